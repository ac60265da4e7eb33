import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Campaign } from '../functions/core/schemas.js';
import { type CustomerExport, eraseCustomer, exportCustomer } from '../functions/core/use-cases/customer-data.js';
import {
  type CampaignStatus,
  campaignStatus,
  cancelCampaign,
  type OperateResult,
  pauseCampaign,
  resumeCampaign,
  type UpdateResult,
  updateCampaignSettings,
} from '../functions/core/use-cases/operate.js';
import { awsOperateDeps, launchOnAws, StackNotReadyError } from '../local/aws-launch.js';
import { CampaignFileError, loadCampaignFile } from '../local/campaign-file.js';
import {
  applyControl,
  type ControlRequest,
  controlPending,
  liveRun,
  readStatusFile,
  requestControl,
  takeControlOutcome,
} from '../local/control.js';
import { planFromFile } from '../local/plan-files.js';
import { writeReport } from '../local/report-files.js';
import { CampaignExistsError, runCampaign } from '../local/run-campaign.js';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.js';
import { startServer } from '../local/serve.js';
import { VirtualClock } from '../local/virtual-clock.js';
import { formatErased, formatFound, recordCount } from './customer-report.js';
import { commandLine, planDeploy } from './deploy.js';
import { formatSummary } from './format.js';
import { formatPlan } from './plan-report.js';
import { formatStatus } from './status-report.js';

/** `max`: time jumps from event to event (no idle time at all); a number: virtual seconds per real second. */
function timeScale(value: string): number {
  if (value === 'max') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError('expected max, or a number of at least 1');
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
      .choices(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'])
      .default('ERROR'),
  )
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
      resume: boolean;
      reset: boolean;
      serve: boolean;
      port: number;
      logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
    }) => {
      if (options.resume && (options.fresh || options.reset)) {
        throw new InvalidArgumentError('--resume goes on with an earlier run; it cannot be combined with --fresh or --reset');
      }
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
    },
  );

program
  .command('launch')
  .description(
    'validate the campaign and its customers, import them and start the campaign: on AWS with --target aws (the stack deployed by cdk deploy), else as revisit run does locally',
  )
  .requiredOption('--customers <file>', 'customer file (CSV or JSON lines)')
  .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
  .addOption(new Option('--target <target>', 'where the campaign runs').choices(['local', 'aws']).default('local'))
  .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit')
  .option('--out <dir>', 'where rejected.csv (and, locally, the run files) go', 'out')
  .option('--data <dir>', 'DynamoDB Local data folder (--target local)', '.revisit')
  .option('--resume', 'go on with a campaign launched before (nothing is sent twice)', false)
  .action(
    async (options: {
      customers: string;
      campaign?: string;
      target: 'local' | 'aws';
      stack: string;
      out: string;
      data: string;
      resume: boolean;
    }) => {
      const campaign = await loadCampaignFile(options.campaign);
      if (options.target === 'local') {
        const result = await runCampaign({
          customersFile: options.customers,
          campaign,
          outDir: options.out,
          replies: 'simulate',
          seed: 42,
          timeScale: Number.POSITIVE_INFINITY,
          dataDir: options.data,
          resume: options.resume,
        });
        console.log(formatSummary(result.summary, options.out, 0));
        return;
      }
      const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      const { SFNClient } = await import('@aws-sdk/client-sfn');
      const { SchedulerClient } = await import('@aws-sdk/client-scheduler');
      const sfn = new SFNClient({});
      const region = await sfn.config.region().catch(() => {
        throw new InvalidArgumentError('no AWS region: set AWS_REGION (or a profile with a region) for --target aws');
      });
      const result = await launchOnAws(
        { cfn: new CloudFormationClient({}), dynamodb: new DynamoDBClient({}), sfn, scheduler: new SchedulerClient({}), region },
        { stackName: options.stack, campaign, customersFile: options.customers, outDir: options.out, resume: options.resume },
      ).catch((error: unknown) => {
        if ((error as Error).name === 'CredentialsProviderError')
          throw new InvalidArgumentError(
            'no AWS credentials: use a profile (AWS_PROFILE) or the standard AWS environment variables',
          );
        throw error;
      });
      const bad = result.rejected.filter((r) => r.action === 'rejected').length;
      console.log(
        [
          `Campaign ${campaign.id} launched on ${options.stack}: ${result.imported} customers imported, ${bad} rows rejected (${options.out}/rejected.csv)`,
          `  execution: ${result.executionArn}`,
          `  console:   ${result.consoleUrl}`,
          ...result.reports.map(
            (r) =>
              `  report (${r.name}) scheduled for ${r.localTime} ${r.timeZone}, e-mailed to ${campaign.owner ?? 'nobody (set owner)'}`,
          ),
          `  watch it:  revisit status ${campaign.id} --target aws --stack ${options.stack} --watch`,
        ].join('\n'),
      );
    },
  );

program
  .command('report')
  .description('write DIR/report.html (self-contained, with charts), report.json and report-*.csv for the campaign run into DIR')
  .argument('<dir>', 'the run folder (its summary.json names the campaign)')
  .option('--data <dir>', 'DynamoDB Local data folder of the run', '.revisit')
  .option('--campaign-id <id>', 'the campaign, when DIR has no summary.json')
  .action(async (dir: string, options: { data: string; campaignId?: string }) => {
    let campaignId = options.campaignId;
    if (!campaignId) {
      try {
        campaignId = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { campaignId: string }).campaignId;
      } catch {
        throw new InvalidArgumentError(`${dir}/summary.json names no campaign: pass --campaign-id`);
      }
    }
    const runtime = await startLocalRuntime({ outDir: dir, dataDir: options.data, clock: new VirtualClock(new Date(), 1) });
    try {
      const { files } = await writeReport(runtime.repo, campaignId, dir, new Date());
      console.log(`report of ${campaignId}: ${files.map((f) => join(dir, f)).join(', ')}`);
    } finally {
      await runtime.stop();
    }
  });

/** Runs `fn` with a runtime on the data folder, when no run holds it. */
async function withDataFolder<T>(dataDir: string, fn: (runtime: LocalRuntime) => Promise<T>): Promise<T> {
  const runtime = await startLocalRuntime({ outDir: join(dataDir, 'operate'), dataDir, clock: new VirtualClock(new Date(), 1) });
  try {
    return await fn(runtime);
  } finally {
    await runtime.stop();
  }
}

program
  .command('status')
  .description("where a campaign's lifecycles are: by state, channel and tier, the send rate, SLA breaches, failures")
  .argument('<campaign>', 'campaign id')
  .option('--data <dir>', 'DynamoDB Local data folder', '.revisit')
  .addOption(new Option('--target <target>', 'where the campaign runs').choices(['local', 'aws']).default('local'))
  .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit')
  .option('--watch', 'refresh every 2 seconds (Ctrl-C to stop)', false)
  .option('--json', 'print the status as JSON', false)
  .action(
    async (
      campaignId: string,
      options: { data: string; target: 'local' | 'aws'; stack: string; watch: boolean; json: boolean },
    ) => {
      const aws = options.target === 'aws' ? await awsOperateDeps(options.stack) : null;
      const once = async () => {
        let status: CampaignStatus & { live?: boolean };
        if (aws) status = await campaignStatus(aws, campaignId);
        else {
          const live = liveRun(options.data) !== null ? readStatusFile(options.data, campaignId) : null;
          status =
            (live as (CampaignStatus & { live: boolean }) | null) ??
            (await withDataFolder(options.data, (rt) => campaignStatus(rt.operate, campaignId)));
        }
        if (options.json) console.log(JSON.stringify(status, null, 2));
        else {
          if (options.watch) process.stdout.write('\x1b[2J\x1b[H');
          console.log(formatStatus(status, new Date()));
        }
      };
      await once();
      while (options.watch) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await once();
      }
    },
  );

/**
 * Carries out an operation where the campaign runs: on AWS, through the running `revisit run` that holds
 * the data folder (its control folder), or on the data folder itself when no run holds it.
 */
async function operate(
  campaignId: string,
  options: { data: string; target: 'local' | 'aws'; stack: string },
  request: ControlRequest,
): Promise<{ where: string; result: unknown }> {
  if (options.target === 'aws') {
    const deps = await awsOperateDeps(options.stack);
    const result = await (async () => {
      switch (request.action) {
        case 'pause':
          return pauseCampaign(deps, campaignId, request.reason);
        case 'resume':
          return resumeCampaign(deps, campaignId);
        case 'cancel':
          return cancelCampaign(deps, campaignId, request.reason ?? 'cancelled by an operator');
        case 'update':
          return updateCampaignSettings(deps, campaignId, request.campaign as Campaign);
      }
    })();
    return { where: `on ${options.stack}`, result };
  }
  if (liveRun(options.data) !== null) {
    requestControl(options.data, campaignId, request);
    for (let waited = 0; controlPending(options.data, campaignId) && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const outcome = takeControlOutcome(options.data, campaignId);
    if (controlPending(options.data, campaignId) || !outcome)
      throw new InvalidArgumentError('the running campaign did not take the request within 10 s');
    if (!outcome.ok) throw new InvalidArgumentError(outcome.error);
    return { where: 'by the running campaign', result: outcome.result };
  }
  const result = await withDataFolder(options.data, (rt) => applyControl(rt, campaignId, request));
  return { where: `in ${options.data}`, result };
}

const operateOptions = (command: Command) =>
  command
    .argument('<campaign>', 'campaign id')
    .option('--data <dir>', 'DynamoDB Local data folder', '.revisit')
    .addOption(new Option('--target <target>', 'where the campaign runs').choices(['local', 'aws']).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit');

for (const [action, description] of [
  ['pause', 'stop new sends at once (lifecycles hold before their next send; replies and escalations go on)'],
  ['resume', 'send again: held lifecycles go on, every touch once, with the templates and settings as they are now'],
  ['cancel', "end the campaign's lifecycles and record why"],
] as const) {
  operateOptions(program.command(action).description(description))
    .option('--reason <text>', 'why (kept on the campaign and, for cancel, on every lifecycle)')
    .action(async (campaignId: string, options: { data: string; reason?: string; target: 'local' | 'aws'; stack: string }) => {
      const request = { action, reason: options.reason ?? null, requestedAt: new Date().toISOString() };
      const { where, result } = await operate(campaignId, options, request);
      const { status, changed, lifecycles } = result as OperateResult;
      const count = action === 'pause' ? '' : `, ${lifecycles} lifecycles ${action === 'resume' ? 'woken' : 'stopped'}`;
      console.log(`${action}: campaign ${campaignId} is ${status}${changed ? '' : ' (no change)'}${count}, ${where}`);
    });
}

operateOptions(
  program
    .command('update')
    .description(
      "replace a paused campaign's settings (templates, windows, rates, survey...) with a campaign file's, checked like a new one; every touch not sent yet uses them",
    ),
)
  .requiredOption('--campaign <file>', 'the campaign file with the new settings (same id)')
  .action(async (campaignId: string, options: { data: string; target: 'local' | 'aws'; stack: string; campaign: string }) => {
    const campaign = await loadCampaignFile(options.campaign);
    const request = { action: 'update' as const, reason: null, requestedAt: new Date().toISOString(), campaign };
    const { where, result } = await operate(campaignId, options, request);
    const { changed, planTime } = result as UpdateResult;
    if (changed.length === 0) {
      console.log(`update: campaign ${campaignId} already has these settings (no change), ${where}`);
      return;
    }
    console.log(`update: campaign ${campaignId} settings replaced ${where}: ${changed.join(', ')}`);
    const sendTime = changed.filter((key) => !planTime.includes(key));
    if (sendTime.length > 0) console.log(`  every touch not sent yet uses the new ${sendTime.join(', ')}`);
    if (planTime.length > 0)
      console.log(`  ${planTime.join(', ')}: read when a customer is planned, so these reach customers not planned yet`);
    console.log(
      `  resume to send: revisit resume ${campaignId}${options.target === 'aws' ? ` --target aws --stack ${options.stack}` : ''}`,
    );
  });

/** Data subject requests on the data folder wait for a run that holds it: DynamoDB Local's files belong to the run. */
function refuseWhileRunning(dataDir: string, what: string): void {
  const pid = liveRun(dataDir);
  if (pid !== null)
    throw new InvalidArgumentError(
      `a campaign run (process ${pid}) holds ${dataDir}: ${what} once it has ended (DynamoDB Local's files belong to the run while it runs)`,
    );
}

const customerCommand = program
  .command('customer')
  .description('data subject requests: export or erase everything kept about one customer, in every campaign');

const customerOptions = (command: Command) =>
  command
    .argument('<id>', 'customer id, as in the customer file')
    .option('--data <dir>', 'DynamoDB Local data folder', '.revisit')
    .addOption(new Option('--target <target>', 'where the campaigns run').choices(['local', 'aws']).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit');

type CustomerOptions = { data: string; target: 'local' | 'aws'; stack: string };

customerOptions(
  customerCommand
    .command('export')
    .description(
      'every record about the customer in every campaign, as JSON: rows, lifecycles, touches, replies, tickets, opt-outs',
    ),
)
  .option('--out <file>', 'write the JSON to FILE (readable by you only) instead of printing it')
  .action(async (customerId: string, options: CustomerOptions & { out?: string }) => {
    let exported: CustomerExport;
    if (options.target === 'aws') exported = await exportCustomer(await awsOperateDeps(options.stack), customerId);
    else {
      refuseWhileRunning(options.data, `export customer ${customerId}`);
      exported = await withDataFolder(options.data, (rt) => exportCustomer(rt.operate, customerId));
    }
    const json = `${JSON.stringify(exported, null, 2)}\n`;
    if (!options.out) {
      process.stdout.write(json);
      return;
    }
    writeFileSync(options.out, json, { mode: 0o600 });
    console.error(
      `customer ${customerId}: ${recordCount(exported)} records from ${exported.campaigns.length} campaigns written to ${options.out}`,
    );
  });

customerOptions(
  customerCommand
    .command('erase')
    .description(
      'delete every record about the customer in every campaign, stopping their lifecycles first; an opt-out stays on the suppression list (a hash of the address)',
    ),
)
  .option('--yes', 'erase without asking (required where there is no terminal to ask in)', false)
  .action(async (customerId: string, options: CustomerOptions & { yes: boolean }) => {
    if (!options.yes && !process.stdin.isTTY)
      throw new InvalidArgumentError(
        `erase deletes every record about customer ${customerId} in every campaign and cannot be undone: pass --yes to go ahead`,
      );
    const erase = async (deps: Parameters<typeof eraseCustomer>[0]) => {
      if (!options.yes) {
        const found = await exportCustomer(deps, customerId);
        if (found.campaigns.length === 0) return eraseCustomer(deps, customerId);
        console.log(formatFound(found));
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await prompt.question(`Erase them for good? Type the customer id (${customerId}) to confirm: `);
        prompt.close();
        if (answer.trim() !== customerId) throw new InvalidArgumentError('not confirmed: nothing erased');
      }
      return eraseCustomer(deps, customerId);
    };
    if (options.target === 'aws') {
      const result = await erase(await awsOperateDeps(options.stack));
      console.log(formatErased(result, `on ${options.stack}`, 'aws'));
      return;
    }
    refuseWhileRunning(options.data, `erase customer ${customerId}`);
    const result = await withDataFolder(options.data, (rt) => erase(rt.operate));
    console.log(formatErased(result, `in ${options.data}`, 'local'));
  });

program
  .command('deploy')
  .description('print (or run, with --yes) the cdk deploy of both stacks, and what the account needs first for the campaign')
  .option('--campaign <file>', 'the campaign to deploy for: its channels and rates decide the checklist')
  .option('--stage <name>', 'stage tag; termination protection when not dev', 'dev')
  .option('--ses-from <address>', 'sender of customer e-mails, a verified SES identity ("Name <address>" accepted)')
  .option('--escalation-from <address>', 'sender of escalation e-mails to managers (default: --ses-from)')
  .option('--reply-to <address>', 'Reply-To of customer e-mails, received by SES (e-mail replies)')
  .option('--sms-origination-number <e164>', 'two-way enabled origination number that sends the SMS')
  .option('--sms-sender-id <id>', 'alphanumeric sender id, where the country supports one')
  .option('--profile <name>', 'AWS profile for cdk')
  .option('--yes', 'run the deployment now (cdk still asks before widening IAM permissions)', false)
  .action(
    async (options: {
      campaign?: string;
      stage: string;
      sesFrom?: string;
      escalationFrom?: string;
      replyTo?: string;
      smsOriginationNumber?: string;
      smsSenderId?: string;
      profile?: string;
      yes: boolean;
    }) => {
      const campaign = options.campaign ? await loadCampaignFile(options.campaign) : undefined;
      const plan = planDeploy({ ...options, campaign });
      console.log(`Deploy revisit (stacks RevisitData and Revisit${campaign ? `, for campaign ${campaign.id}` : ''}):`);
      console.log(`  ${commandLine(plan.argv)}`);
      for (const warning of plan.warnings) console.log(`warning: ${warning}`);
      console.log('Before the first launch:');
      for (const [i, step] of plan.checklist.entries()) console.log(`  ${i + 1}. ${step}`);
      if (!options.yes) {
        console.log('Run it with --yes, or paste the command. README, "First deployment", walks through each step.');
        return;
      }
      const [program_, ...args] = plan.argv;
      const child = spawn(program_ ?? 'npx', args, { stdio: 'inherit' });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      process.exitCode = code ?? 1;
    },
  );

program
  .command('serve')
  .description('serve the outbox of a run and the survey pages on localhost; answers are recorded in the data folder')
  .option('--out <dir>', 'the run folder whose outbox.jsonl to show', 'out')
  .option('--data <dir>', 'DynamoDB Local data folder of the run', '.revisit')
  .option('--port <n>', 'port (the links in the messages point at 8787)', integer, 8787)
  .action(async (options: { out: string; data: string; port: number }) => {
    const runtime = await startLocalRuntime({
      outDir: options.out,
      dataDir: options.data,
      clock: new VirtualClock(new Date(), 1),
      publicBaseUrl: `http://localhost:${options.port}`,
    });
    await startServer(runtime, options.out, options.port);
    console.log(`outbox and survey pages: http://localhost:${options.port}/ (Ctrl-C to stop)`);
    process.once('SIGINT', () => {
      void runtime.stop().then(() => process.exit(0));
    });
  });

program.parseAsync().catch((error: unknown) => {
  if (
    error instanceof CampaignFileError ||
    error instanceof CampaignExistsError ||
    error instanceof InvalidArgumentError ||
    error instanceof StackNotReadyError
  )
    console.error(`revisit: ${error.message}`);
  else console.error(`revisit: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
