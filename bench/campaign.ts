import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Campaign } from '../functions/core/schemas.js';
import { type OutboxEntry, readOutbox } from '../local/outbox.js';
import { runCampaign } from '../local/run-campaign.js';
import { RunStats } from '../local/stats.js';
import { peakRssMb, peakRssMbOf } from './memory.js';

export interface CampaignBench {
  customers: number;
  seconds: number;
  customersPerSecond: number;
  ddbReadsPerCustomer: number;
  ddbWritesPerCustomer: number;
  ddbOpsPerCustomer: number;
  transitionsPerCustomer: number;
  lambdaInvocationsPerCustomer: number;
  /** Average wall-clock time of one handler invocation here (DynamoDB Local's latency included). */
  handlerMsPerInvocation: number;
  /** This process (engine, handlers, simulator) and DynamoDB Local's JVM. */
  peakRssMb: number;
  jvmPeakRssMb: number | null;
  summary: { contacted: number; replied: number; escalations: number; failed: number };
  messages: { sms: number; smsParts: number; email: number; smsPartsByCountry: Record<string, number> };
  outbox: OutboxEntry[];
}

const countryOf = (phone: string) => (phone.startsWith('+86') ? 'CN' : phone.startsWith('+1') ? 'US' : 'default');

/**
 * A whole campaign on the local engine as `revisit run` runs it (DynamoDB Local in memory, the real
 * state machines and handlers, simulated customers), timed end to end from the customer file to the
 * summary, with a progress bar; the run's counts come from its RunStats.
 */
export async function benchCampaign(options: {
  customersFile: string;
  campaign: Campaign;
  timeScale: number;
  replies: 'simulate' | 'none';
  label: string;
}): Promise<CampaignBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'revisit-bench-'));
  const bar = new SingleBar({
    format: ` ${options.label} |{bar}| {value}/{total} lifecycles | {sent} sent | ETA {eta_formatted} | {duration_formatted}`,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 200,
  });
  let barStarted = false;
  let stats = new RunStats();
  let jvmPeak: number | null = null;
  const started = performance.now();
  const result = await runCampaign({
    customersFile: options.customersFile,
    campaign: options.campaign,
    outDir,
    replies: options.replies,
    seed: 42,
    timeScale: options.timeScale,
    dataDir: null,
    onProgress: (p) => {
      if (p.phase !== 'run') return;
      if (!barStarted) {
        bar.start(p.total, 0, { sent: 0 });
        barStarted = true;
      }
      bar.update(p.done, { sent: p.sent });
    },
    inspect: async (runtime) => {
      stats = runtime.stats;
      jvmPeak = peakRssMbOf(runtime.ddb.pid);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (barStarted) bar.stop();
  const n = result.summary.customers;
  const invocations = RunStats.sum(stats.invocations);
  const outbox = readOutbox(join(outDir, 'outbox.jsonl'));
  const sms = outbox.filter((m) => m.channel === 'sms' && m.kind === 'touch');
  const smsPartsByCountry: Record<string, number> = {};
  for (const m of sms) smsPartsByCountry[countryOf(m.to)] = (smsPartsByCountry[countryOf(m.to)] ?? 0) + (m.segments ?? 1);
  return {
    customers: n,
    seconds,
    customersPerSecond: n / seconds,
    ddbReadsPerCustomer: stats.ddbReads / n,
    ddbWritesPerCustomer: stats.ddbWrites / n,
    ddbOpsPerCustomer: (stats.ddbReads + stats.ddbWrites) / n,
    transitionsPerCustomer: RunStats.sum(stats.transitions) / n,
    lambdaInvocationsPerCustomer: invocations / n,
    handlerMsPerInvocation: RunStats.sum(stats.handlerMs) / Math.max(1, invocations),
    peakRssMb: peakRssMb(),
    jvmPeakRssMb: jvmPeak,
    summary: {
      contacted: result.summary.contacted,
      replied: result.summary.replied,
      escalations: result.summary.escalations,
      failed: result.summary.failed,
    },
    messages: {
      sms: sms.length,
      smsParts: sms.reduce((sum, m) => sum + (m.segments ?? 1), 0),
      email: outbox.filter((m) => m.channel === 'email').length,
      smsPartsByCountry,
    },
    outbox,
  };
}
