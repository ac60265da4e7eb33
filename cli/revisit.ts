import { rmSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CampaignFileError, loadCampaignFile } from '../local/campaign-file.js';
import { planFromFile } from '../local/plan-files.js';
import { CampaignExistsError, runCampaign } from '../local/run-campaign.js';
import { formatSummary } from './format.js';
import { formatPlan } from './plan-report.js';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const program = new Command()
  .name('revisit')
  .description('Customer follow-up (回访) campaigns: runs locally by default, on AWS Step Functions when deployed.')
  .showHelpAfterError();

program
  .command('plan')
  .description('dry run: who will be contacted, how, when and at what cost; sends nothing, stores nothing')
  .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines)')
  .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
  .option('--out <dir>', 'output folder for plan.json, plan.csv, rejected.csv', 'out')
  .action(async (options: { customers: string; campaign?: string; out: string }) => {
    const campaign = await loadCampaignFile(options.campaign);
    const { plan, rejected } = await planFromFile(options.customers, campaign, options.out);
    console.log(formatPlan(plan, rejected.filter((r) => r.action === 'rejected').length, options.out));
  });

program
  .command('run')
  .description('run a whole campaign locally: DynamoDB Local, the synthesized state machines, the outbox and simulated replies')
  .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines)')
  .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
  .option('--out <dir>', 'output folder for summary.json, outbox.jsonl, replies.jsonl, rejected.csv', 'out')
  .addOption(
    new Option('--replies <mode>', 'simulate customers answering, or nobody').choices(['simulate', 'none']).default('simulate'),
  )
  .option('--seed <n>', 'seed of the reply simulator', integer, 42)
  .option(
    '--time-scale <n>',
    'virtual seconds per real second (20000: a 48-hour reply timeout passes in under 9 s)',
    positiveNumber,
    20_000,
  )
  .option('--data <dir>', 'DynamoDB Local data folder, shared by all campaigns (opt-outs, contact history)', '.revisit')
  .option('--fresh', "delete this campaign's records from an earlier run first (opt-outs are kept)", false)
  .option('--reset', 'empty the data folder first: every campaign and every opt-out (for demos)', false)
  .action(
    async (options: {
      customers: string;
      campaign?: string;
      out: string;
      replies: 'simulate' | 'none';
      seed: number;
      timeScale: number;
      data: string;
      fresh: boolean;
      reset: boolean;
    }) => {
      const campaign = await loadCampaignFile(options.campaign);
      if (options.reset) rmSync(options.data, { recursive: true, force: true });
      const started = performance.now();
      const bar = new SingleBar({
        format: ' {phase} |{bar}| {value}/{total} lifecycles | {sent} sent | {replied} replies | ETA {eta_formatted}',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        etaBuffer: 50,
      });
      let barStarted = false;
      const result = await runCampaign({
        customersFile: options.customers,
        campaign,
        outDir: options.out,
        replies: options.replies,
        seed: options.seed,
        timeScale: options.timeScale,
        dataDir: options.data,
        fresh: options.fresh,
        onProgress: (p) => {
          if (p.phase !== 'run') return;
          if (!barStarted) {
            bar.start(p.total, 0, { phase: 'running', sent: 0, replied: 0 });
            barStarted = true;
          }
          bar.update(p.done, { sent: p.sent, replied: p.replied });
        },
      });
      if (barStarted) bar.stop();
      console.log(formatSummary(result.summary, options.out, (performance.now() - started) / 1000));
      if (result.simulatorErrors.length > 0) {
        console.error(`simulated replies that failed: ${result.simulatorErrors.length}`);
        for (const error of result.simulatorErrors.slice(0, 5)) console.error(`  ${error}`);
        process.exitCode = 1;
      }
    },
  );

program.parseAsync().catch((error: unknown) => {
  if (error instanceof CampaignFileError || error instanceof CampaignExistsError) console.error(`revisit: ${error.message}`);
  else console.error(`revisit: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
