import type { Server } from 'node:http';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { integer, timeScale } from './shared.js';

const runOptions = z.object({
  customers: z.string(),
  campaign: z.string().optional(),
  out: z.string(),
  replies: z.enum(['simulate', 'none']),
  seed: z.number().int(),
  // `max` is Infinity, which z.number() refuses.
  timeScale: z.custom<number>((value) => typeof value === 'number' && value >= 1, 'a time scale of at least 1, or max'),
  data: z.string(),
  fresh: z.boolean(),
  resume: z.boolean(),
  reset: z.boolean(),
  serve: z.boolean(),
  port: z.number().int(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']),
});

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a whole campaign locally: DynamoDB Local, the synthesized state machines, the outbox and simulated replies')
    .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines)')
    .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
    .option('--out <dir>', 'output folder for summary.json, outbox.jsonl, replies.jsonl, rejected.csv', 'out')
    .addOption(
      new Option('--replies <mode>', 'simulate customers answering, or nobody')
        .choices(runOptions.shape.replies.options)
        .default('simulate'),
    )
    .option('--seed <n>', 'seed of the reply simulator', integer, 42)
    .addOption(
      new Option(
        '--time-scale <n>',
        'max: time jumps straight to the next thing due (the fastest); a number: virtual seconds per real second while idle (60 for a run you answer yourself)',
      )
        .argParser(timeScale)
        .default(Number.POSITIVE_INFINITY, 'max'),
    )
    .option('--data <dir>', 'DynamoDB Local data folder, shared by all campaigns (opt-outs, contact history)', '.revisit')
    .option('--fresh', "delete this campaign's records from an earlier run first (opt-outs are kept)", false)
    .option('--resume', 'go on with a run that stopped (a crash, Ctrl-C): nothing sent is sent again', false)
    .option('--reset', 'empty the data folder first: every campaign and every opt-out (for demos)', false)
    .option('--serve', 'serve the outbox and the survey pages on localhost while the campaign runs', false)
    .option('--port <n>', 'port of --serve', integer, 8787)
    .addOption(
      new Option('--log-level <level>', "the handlers' JSON logs (stdout; personal data masked)")
        .choices(runOptions.shape.logLevel.options)
        .default('ERROR'),
    )
    .action(async (raw: unknown) => {
      const options = runOptions.parse(raw);
      if (options.resume && (options.fresh || options.reset)) {
        throw new InvalidArgumentError('--resume goes on with an earlier run; it cannot be combined with --fresh or --reset');
      }
      const { rmSync } = await import('node:fs');
      const { SingleBar } = await import('cli-progress');
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { runCampaign } = await import('../../local/run-campaign.js');
      const { startServer } = await import('../../local/serve.js');
      const { formatSummary } = await import('../format.js');
      const campaign = await loadCampaignFile(options.campaign);
      if (options.reset) rmSync(options.data, { recursive: true, force: true });
      let server: Server | undefined;
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
        resume: options.resume,
        logLevel: options.logLevel,
        ...(options.serve ? { publicBaseUrl: `http://localhost:${options.port}` } : {}),
        onRuntime: async (runtime) => {
          if (!options.serve) return;
          server = await startServer(runtime, options.out, options.port);
          console.log(`outbox and survey pages: http://localhost:${options.port}/`);
        },
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
      server?.close();
      console.log(formatSummary(result.summary, options.out, (performance.now() - started) / 1000));
      if (result.simulatorErrors.length > 0) {
        console.error(`simulated replies that failed: ${result.simulatorErrors.length}`);
        for (const error of result.simulatorErrors.slice(0, 5)) console.error(`  ${error}`);
        process.exitCode = 1;
      }
    });
}
