import { rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { serveControl } from '../files/control.js';
import { readEventsFile, rejectedEventsCsv } from '../files/events-file.js';
import { CampaignExistsError } from '../files/import-customers.js';
import { loadCustomers } from '../files/plan-files.js';
import { importProfilesFile } from '../files/profile-files.js';
import { programReportMarkdown } from '../files/program-run-report.js';
import type { CustomerEvent } from '../functions/core/events.js';
import type { Profile } from '../functions/core/profiles.js';
import { campaignOf, type Program } from '../functions/core/programs/schema.js';
import { firstSweepDayOf, launchProgram, type ProgramDeps } from '../functions/core/use-cases/programs.js';
import { takeEvents } from '../functions/core/use-cases/take-events.js';
import { lambdaContext } from './engine.js';
import type { ProviderFaults } from './faults.js';
import { readOutbox } from './outbox.js';
import { type ProgramRunSummary, summarizeProgram } from './program-summary.js';
import { CLOCK_FILE, resumePointIn } from './run-campaign.js';
import { type LocalRuntime, type LocalRuntimeOptions, PROGRAM_ARN, startLocalRuntime } from './runtime.js';
import { answerKey, ReplySimulator } from './simulator.js';
import { VirtualClock } from './virtual-clock.js';

export interface ProgramRunOptions {
  customersFile: string;
  program: Program;
  eventsFile?: string | undefined;
  /** The program's first local day (YYYY-MM-DD). */
  from: string;
  months: number;
  outDir: string;
  replies: 'simulate' | 'none';
  seed: number;
  timeScale: number;
  /** DynamoDB Local's folder (profiles, opt-outs and contact history are shared); null: in memory. */
  dataDir: string | null;
  /** Delete this program's earlier records (and its waves) first; profiles and opt-outs stay. */
  fresh?: boolean;
  /** Go on with a program run that stopped: nothing sent is sent again. */
  resume?: boolean;
  onProgress?: (progress: ProgramRunProgress) => void;
  providerFaults?: ProviderFaults;
  logLevel?: LocalRuntimeOptions['logLevel'];
  inspect?: (runtime: LocalRuntime) => Promise<void>;
}

export interface ProgramRunProgress {
  /** Days of the period the virtual clock has passed, of all of them. */
  day: number;
  days: number;
  sent: number;
  replied: number;
  events: number;
}

export interface ProgramRunResult {
  summary: ProgramRunSummary;
  simulatorErrors: string[];
  rejectedRows: number;
  rejectedEvents: number;
}

const STALE = [
  'outbox.jsonl',
  'emails',
  'summary.json',
  'replies.jsonl',
  'profiles.jsonl',
  'rejected.csv',
  'rejected-events.csv',
  'report.md',
  CLOCK_FILE,
];

/**
 * `revisit program run`: a standing program over N months on this machine, on the compressed clock.
 * 1. start DynamoDB Local, the engine (the real lifecycle, campaign and program state machines) and the outbox;
 * 2. import the customer file onto their profiles (bad rows to rejected.csv);
 * 3. store the program and start its state machine: enrolment, then a sweep a day, each day's touches a
 *    wave whose lifecycles the campaigns' StartLifecycles starts;
 * 4. feed the events file in at each event's time (bad lines to rejected-events.csv; a purchase lifts the
 *    customer and starts its follow-ups); simulated customers answer (or nobody, --replies none);
 * 5. when the period is swept and every lifecycle has ended: summary.json, profiles.jsonl,
 *    replies.jsonl and report.md.
 */
export async function runProgram(options: ProgramRunOptions): Promise<ProgramRunResult> {
  const { program } = options;
  await mkdir(options.outDir, { recursive: true });
  for (const name of options.resume ? ['summary.json', 'report.md'] : STALE)
    rmSync(join(options.outDir, name), { recursive: true, force: true });
  const zone = program.defaultTimeZone;
  const firstSweep = firstSweepDayOf({ from: options.from });
  const start = options.resume ? await resumePointIn(options.outDir) : null;
  const clock = new VirtualClock(start ?? new Date(`${firstSweep}T00:00:00Z`), options.timeScale);
  const runtime = await startLocalRuntime({
    outDir: options.outDir,
    dataDir: options.dataDir,
    clock,
    providerFaults: options.providerFaults,
    logLevel: options.logLevel,
  });
  try {
    const { repo, engine, outbox } = runtime;
    const { programs, profiles, events } = runtime.operate;
    const deps: ProgramDeps = { repo, programs, profiles, events, clock };
    const earlier = await programs.getProgram(program.id);
    if (earlier && !options.resume) {
      if (!options.fresh) {
        throw new CampaignExistsError(
          `program ${program.id} already ran on this machine (its records are in ${options.dataDir}); pass --resume to go on with it (nothing is sent twice), or --fresh to delete its records (profiles and opt-outs are kept)`,
        );
      }
      for (const wave of await programs.listWaves(program.id)) await repo.deleteCampaign(wave.waveId);
      await programs.deleteProgram(program.id);
    }
    const lastDay = DateTime.fromISO(options.from, { zone }).plus({ months: options.months }).minus({ days: 1 }).toISODate();
    const settings = campaignOf(program, { start: options.from, end: lastDay ?? options.from });
    // Importing is work: the clock runs at wall speed meanwhile.
    const imported = await clock.track(() =>
      importProfilesFile({ profiles }, { file: options.customersFile, campaign: settings, outDir: options.outDir }, clock.now()),
    );
    const rejectedRows = imported.rejected.filter((r) => r.action === 'rejected').length;
    const ids = new Set<string>();
    // The customers of the file (the profiles the run reports on).
    for (const customer of (await loadCustomers(options.customersFile, settings)).customers) ids.add(customer.id);
    const startProfiles = (await Promise.all([...ids].map((id) => profiles.getProfile(id)))).filter(
      (p): p is Profile => p !== null,
    );

    let fileEvents: CustomerEvent[] = [];
    let rejectedEvents = 0;
    if (options.eventsFile) {
      const read = await readEventsFile(options.eventsFile);
      fileEvents = [...read.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      rejectedEvents = read.rejected.length;
      await writeFile(join(options.outDir, 'rejected-events.csv'), rejectedEventsCsv(read.rejected));
    }
    const periodEnd = DateTime.fromISO(options.from, { zone }).plus({ months: options.months }).toMillis();
    const eventCounts = { taken: 0, duplicate: 0, rejected: rejectedEvents, afterTheEnd: 0 };
    const take = async (batch: readonly CustomerEvent[]) => {
      for (const result of await takeEvents(deps, batch, program.segmentation, clock.now().toISOString()))
        eventCounts[result.outcome]++;
    };
    // Events up to the first day are the customers' history; the rest come in at their time.
    const history = fileEvents.filter((e) => Date.parse(e.at) <= clock.now().getTime());
    await clock.track(() => take(history));
    const ahead = fileEvents.filter((e) => Date.parse(e.at) > clock.now().getTime());
    eventCounts.afterTheEnd = ahead.filter((e) => Date.parse(e.at) >= periodEnd).length;
    let fed = history.length;
    // Started once the program's execution is (its waits are then the clock's): with only the feeder
    // waiting, the event-driven clock would jump straight to the first event.
    const feed = async () => {
      for (const event of ahead) {
        if (Date.parse(event.at) >= periodEnd) break;
        await clock.until(new Date(event.at));
        await clock.track(() => take([event]));
        fed++;
      }
    };

    await clock.track(() => launchProgram(deps, program, { from: options.from, months: options.months }));
    let sent = 0;
    let smsSegments = 0;
    outbox.onMessage((entry) => {
      if (entry.kind === 'touch') sent++;
      smsSegments += entry.segments ?? 0;
    });
    const sentBefore = options.resume ? readOutbox(join(options.outDir, 'outbox.jsonl')) : [];
    for (const entry of sentBefore) smsSegments += entry.segments ?? 0;
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
    const startMs = Date.parse(`${firstSweep}T00:00:00Z`);
    const days = Math.max(1, Math.round((periodEnd - startMs) / 86_400_000));
    const report = () =>
      options.onProgress?.({
        day: Math.min(days, Math.max(0, Math.floor((clock.now().getTime() - startMs) / 86_400_000))),
        days,
        sent,
        replied: simulator ? simulator.sent.length - simulator.pendingReplies() : 0,
        events: fed,
      });
    let ticks = 0;
    const ticker = setInterval(() => {
      report();
      if (++ticks % 5 === 0) writeFileSync(join(options.outDir, CLOCK_FILE), clock.now().toISOString());
    }, 100);
    const stopControl = options.dataDir ? serveControl(runtime, options.dataDir, program.id) : () => undefined;
    try {
      const record = await programs.getProgram(program.id);
      // A resumed run sweeps again from the first day: every claim is found again (nothing twice), and each
      // lifecycle goes on from its record.
      const name = options.resume ? `${program.id}-resume-${Date.now()}` : `${program.id}-launch`;
      const execution = engine.startExecution(PROGRAM_ARN, name, {
        programId: program.id,
        day: firstSweepDayOf(record ?? { from: options.from }),
        cursor: null,
        enrol: true,
      });
      if (simulator && sentBefore.length > 0) {
        // The customers go on answering what the stopped run sent (each answer once).
        const answered = new Set<string>();
        await clock.track(async () => {
          for (const wave of await programs.listWaves(program.id))
            for (const r of await repo.listReplies(wave.waveId))
              if (r.customerId !== null && r.touch !== null) answered.add(answerKey(r.customerId, r.touch, r.channel));
        });
        simulator.replay(sentBefore, answered);
      }
      const feeding = feed();
      await execution.result;
      if (execution.status !== 'SUCCEEDED') throw new Error(`program run failed: ${execution.error ?? 'unknown error'}`);
      await feeding;
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
    const { summary, replies } = await summarizeProgram(
      { repo, programs, profiles, events },
      {
        program,
        from: options.from,
        months: options.months,
        profiles: startProfiles,
        rejectedRows,
        events: eventCounts,
        smsSegments,
      },
    );
    await writeFile(join(options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const finalProfiles = await Promise.all(startProfiles.map(async (p) => (await profiles.getProfile(p.customerId)) ?? p));
    writeFileSync(
      join(options.outDir, 'profiles.jsonl'),
      finalProfiles
        .map(
          (p) =>
            `${JSON.stringify({ id: p.customerId, tier: p.tier, segment: p.segment, tierHistory: p.tierHistory, downgrade: p.downgrade })}\n`,
        )
        .join(''),
    );
    writeFileSync(
      join(options.outDir, 'replies.jsonl'),
      replies
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
        .map(
          (r) =>
            `${JSON.stringify({ campaignId: r.campaignId, customerId: r.customerId, channel: r.channel, receivedAt: r.receivedAt, kind: r.kind, value: r.value, touch: r.touch, late: r.late, duplicate: r.duplicate })}\n`,
        )
        .join(''),
    );
    await writeFile(join(options.outDir, 'report.md'), programReportMarkdown(summary, program));
    return { summary, simulatorErrors: simulator?.errors ?? [], rejectedRows, rejectedEvents };
  } finally {
    await runtime.stop();
  }
}
