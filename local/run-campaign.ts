import { rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveControl } from '../files/control.js';
import type { RejectedRow } from '../files/customer-file.js';
import { CampaignExistsError, importCustomers, type RunProgress } from '../files/import-customers.js';
import { campaignStartOf } from '../files/plan-files.js';
import { writeReport } from '../files/report-files.js';
import type { Campaign } from '../functions/core/schemas.js';
import { type RecoveryResult, recoverClaims } from '../functions/core/use-cases/recover.js';
import { lambdaContext } from './engine.js';
import type { ProviderFaults } from './faults.js';
import { readOutbox } from './outbox.js';
import { CAMPAIGN_ARN, LIFECYCLE_ARN, type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from './runtime.js';
import { answerKey, ReplySimulator } from './simulator.js';
import { type CampaignSummary, summarize } from './summary.js';
import { VirtualClock } from './virtual-clock.js';

export interface RunOptions {
  customersFile: string;
  campaign: Campaign;
  outDir: string;
  replies: 'simulate' | 'none';
  seed: number;
  timeScale: number;
  /** DynamoDB Local's folder, shared by every campaign (opt-outs and contact history); null: in memory. */
  dataDir: string | null;
  /** Delete this campaign's earlier records first (its opt-outs stay); without it, a campaign that ran before is refused. */
  fresh?: boolean;
  /**
   * Go on with a campaign whose earlier run stopped (a crash, Ctrl-C): nothing sent is sent again, every
   * lifecycle goes on from the touch it had reached, and lifecycles that ended stay ended.
   */
  resume?: boolean;
  /** Virtual start of the run; default: the campaign's first day at 08:00 (or now, when later). */
  start?: Date;
  onProgress?: (progress: RunProgress) => void;
  /** Base of the links in messages; `revisit run --serve` points it at its local server. */
  publicBaseUrl?: string;
  /** Called once the runtime is up (the CLI starts its local web server there). */
  onRuntime?: (runtime: LocalRuntime) => Promise<void>;
  /** Simulated provider refusals (throttling, 5xx) for fault-injection runs. */
  providerFaults?: ProviderFaults;
  /** Level of the handlers' JSON logs on stdout; default ERROR (quiet under the progress bar). */
  logLevel?: LocalRuntimeOptions['logLevel'];
  /** Lets a caller inspect the runtime before it stops (tests). */
  inspect?: (runtime: LocalRuntime) => Promise<void>;
}

export interface RunResult {
  summary: CampaignSummary;
  rejected: RejectedRow[];
  simulatorErrors: string[];
  lifecycleVisits: string[][];
  /** A resumed run: the claims the crash had cut short, settled against the outbox before anything else. */
  recovery: RecoveryResult | null;
}

/**
 * `revisit run`: a whole campaign on this machine.
 * 1. start DynamoDB Local, the engine and the outbox on a virtual clock;
 * 2. import the customer file (bad rows to rejected.csv, good ones on);
 * 3. start the campaign state machine, which starts one lifecycle per customer;
 * 4. let simulated customers answer (or nobody, with --replies none) until every lifecycle has ended;
 * 5. read the results back from the table into summary.json and replies.jsonl.
 */
export async function runCampaign(options: RunOptions): Promise<RunResult> {
  const { campaign } = options;
  await mkdir(options.outDir, { recursive: true });
  // A resumed run adds to the outbox of the run it continues; any other run starts a new one.
  const stale = options.resume
    ? ['summary.json']
    : ['outbox.jsonl', 'emails', 'summary.json', 'replies.jsonl', 'rejected.csv', 'clock.txt'];
  for (const name of stale) rmSync(join(options.outDir, name), { recursive: true, force: true });
  // A resumed run's clock goes on from where the run it continues had got to (its last checkpoint or send).
  const resumeAt = options.resume ? await resumePointIn(options.outDir) : null;
  const clock = new VirtualClock(options.start ?? resumeAt ?? campaignStartOf(campaign), options.timeScale);
  let sent = 0;
  let replied = 0;
  const runtime = await startLocalRuntime({
    outDir: options.outDir,
    dataDir: options.dataDir,
    clock,
    publicBaseUrl: options.publicBaseUrl,
    providerFaults: options.providerFaults,
    logLevel: options.logLevel,
  });
  await options.onRuntime?.(runtime);
  try {
    const { repo, engine, outbox } = runtime;
    const earlier = await repo.getCampaign(campaign.id);
    if (earlier && !options.resume) {
      if (!options.fresh) {
        throw new CampaignExistsError(
          `campaign ${campaign.id} already ran on this machine (its records are in ${options.dataDir}); pass --resume to go on with it (nothing is sent twice), give the campaign a new id, or pass --fresh to delete its records (opt-outs are kept)`,
        );
      }
      await repo.deleteCampaign(campaign.id);
    }
    // What the run that stopped had sent: its customers go on answering it (a resumed run only).
    const sentBefore = options.resume ? readOutbox(join(options.outDir, 'outbox.jsonl')) : [];
    const recovery = earlier && options.resume ? await recoverClaims({ repo, ledger: outbox }, campaign.id) : null;
    let imported: number;
    let rejected: RejectedRow[] = [];
    if (earlier && options.resume && earlier.status !== 'importing') {
      // The customers are in the table already: go on with them as imported, with the campaign as it ran.
      imported = earlier.customerCount;
    } else {
      // Importing is work like a handler's: the clock runs at wall speed meanwhile, so that a large file's
      // import does not eat the campaign's first days at full compression.
      ({ imported, rejected } = await clock.track(() =>
        importCustomers(runtime.repo, { ...options, profiles: runtime.operate.profiles }, clock.now()),
      ));
    }

    let smsSegments = 0;
    outbox.onMessage((entry) => {
      if (entry.kind === 'touch') sent++;
      smsSegments += entry.segments ?? 0;
    });
    const simulator =
      options.replies === 'simulate'
        ? new ReplySimulator({
            seed: options.seed,
            clock,
            deliverSms: (event) => runtime.handlers['inbound-sms'](event, lambdaContext('revisit-inbound-sms')),
            deliverWeb: (event) => runtime.handlers['reply-api'](event, lambdaContext('revisit-reply-api')),
          })
        : null;
    if (simulator) outbox.onMessage((entry) => simulator.handle(entry));
    if (simulator && sentBefore.length > 0) {
      const answered = new Set(
        (await repo.listReplies(campaign.id)).flatMap((r) =>
          r.customerId !== null && r.touch !== null ? [answerKey(r.customerId, r.touch, r.channel)] : [],
        ),
      );
      simulator.replay(sentBefore, answered);
    }

    const report = () => {
      let done = 0;
      for (const execution of engine.executions.values()) {
        if (execution.stateMachineArn === LIFECYCLE_ARN && execution.status !== 'RUNNING') done++;
      }
      replied = simulator ? simulator.sent.length - simulator.pendingReplies() : 0;
      options.onProgress?.({ phase: 'run', done, total: imported, sent, replied });
    };
    let ticks = 0;
    const ticker = setInterval(() => {
      report();
      // The virtual time, twice a second: a run killed meanwhile resumes from about here.
      if (++ticks % 5 === 0) writeFileSync(join(options.outDir, CLOCK_FILE), clock.now().toISOString());
    }, 100);
    // `revisit pause|resume|cancel|status` from another process reach this run through the data folder.
    const stopControl = options.dataDir ? serveControl(runtime, options.dataDir, campaign.id) : () => undefined;
    try {
      const fanOut = engine.startExecution(CAMPAIGN_ARN, `${campaign.id}-launch`, {
        campaignId: campaign.id,
        cursor: null,
        day: null,
      });
      await repo.updateCampaign(campaign.id, {
        launch: { executionArn: fanOut.executionArn, startedAt: fanOut.startedAt.toISOString() },
      });
      await fanOut.result;
      if (fanOut.status !== 'SUCCEEDED') throw new Error(`campaign fan-out failed: ${fanOut.error ?? 'unknown error'}`);
      while (engine.running() > 0 || (simulator?.pendingReplies() ?? 0) > 0) {
        await engine.idle();
        await simulator?.idle();
      }
    } finally {
      clearInterval(ticker);
      stopControl();
      report();
    }
    await options.inspect?.(runtime);
    const summary = await summarize(
      repo,
      campaign.id,
      { customers: imported, rejectedRows: rejected.filter((r) => r.action === 'rejected').length },
      { smsSegments },
    );
    const replies = await repo.listReplies(campaign.id);
    await writeFile(join(options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeReport(repo, campaign.id, options.outDir, clock.now());
    writeFileSync(
      join(options.outDir, 'replies.jsonl'),
      replies
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
        .map((r) =>
          JSON.stringify({
            customerId: r.customerId,
            channel: r.channel,
            receivedAt: r.receivedAt,
            kind: r.kind,
            value: r.value,
            touch: r.touch,
            late: r.late,
            duplicate: r.duplicate,
          }),
        )
        .map((line) => `${line}\n`)
        .join(''),
    );
    const lifecycleVisits = [...engine.executions.values()]
      .filter((e) => e.stateMachineArn === LIFECYCLE_ARN)
      .map((e) => e.visited);
    return { summary, rejected, simulatorErrors: simulator?.errors ?? [], lifecycleVisits, recovery };
  } finally {
    await runtime.stop();
  }
}

/** Where a run keeps its virtual time, so that a resumed run does not go back in time. */
export const CLOCK_FILE = 'clock.txt';

/** The virtual time a stopped run had reached: its last clock checkpoint or its last send, whichever is later. */
export async function resumePointIn(outDir: string): Promise<Date | null> {
  let last = Number.NEGATIVE_INFINITY;
  for (const entry of readOutbox(join(outDir, 'outbox.jsonl'))) last = Math.max(last, Date.parse(entry.sentAt));
  try {
    const checkpoint = Date.parse((await readFile(join(outDir, CLOCK_FILE), 'utf8')).trim());
    if (Number.isFinite(checkpoint)) last = Math.max(last, checkpoint);
  } catch {}
  return Number.isFinite(last) ? new Date(last) : null;
}
