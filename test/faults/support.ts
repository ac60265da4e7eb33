import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EscalationRecord, LifecycleRecord, ReplyRecord, TicketRecord, TouchRecord } from '../../functions/core/records.js';
import { type OutboxEntry, readOutbox } from '../../local/outbox.js';
import { startLocalRuntime } from '../../local/runtime.js';
import { answerKey, ReplySimulator } from '../../local/simulator.js';
import { VirtualClock } from '../../local/virtual-clock.js';

/** Everything a finished campaign left: the table's records (read from the data folder) and the outbox. */
export interface CampaignRecords {
  outbox: OutboxEntry[];
  lifecycles: LifecycleRecord[];
  touches: TouchRecord[];
  replies: ReplyRecord[];
  tickets: TicketRecord[];
  escalations: EscalationRecord[];
}

/** Opens a data folder (DynamoDB Local on its files) and reads a campaign's records back. */
export async function recordsOf(dataDir: string, outDir: string, campaignId: string): Promise<CampaignRecords> {
  const runtime = await startLocalRuntime({
    outDir: mkdtempSync(join(tmpdir(), 'revisit-verify-')),
    dataDir,
    clock: new VirtualClock(new Date(), 1),
  });
  try {
    const [lifecycles, touches, replies, tickets, escalations] = await Promise.all([
      runtime.repo.listLifecycles(campaignId),
      runtime.repo.listTouches(campaignId),
      runtime.repo.listReplies(campaignId),
      runtime.repo.listTickets(campaignId),
      runtime.repo.listEscalations(campaignId),
    ]);
    return { outbox: readOutbox(join(outDir, 'outbox.jsonl')), lifecycles, touches, replies, tickets, escalations };
  } finally {
    await runtime.stop();
  }
}

const count = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
};

/**
 * What must hold of a campaign however it was interrupted, each a list of violations (empty when it holds):
 * - every touch a lifecycle decided on went out exactly once, and the table records that very message;
 * - every answer the simulated customers give to the messages sent is recorded exactly once;
 * - every lifecycle ended, none failed;
 * - no manager got an e-mail more often than the ticket's steps account for.
 */
export function violationsOf(records: CampaignRecords, seed: number, customers: number) {
  const touchKey = (m: { customerId: string; touch: number }) => `${m.customerId}#${m.touch}`;
  const customerMessages = records.outbox.filter((m) => m.kind === 'touch');
  const sends = count(customerMessages, touchKey);
  const sentTwice = [...sends].filter(([, n]) => n > 1).map(([key, n]) => `${key} sent ${n} times`);
  const byKey = new Map(customerMessages.map((m) => [touchKey(m), m]));
  const unsent = records.touches
    .filter((t) => byKey.get(touchKey(t))?.messageId !== t.messageId || t.status === 'claimed' || t.status === 'released')
    .map(
      (t) =>
        `${touchKey(t)} ${t.status}, message ${t.messageId ?? 'none'} (outbox: ${byKey.get(touchKey(t))?.messageId ?? 'none'})`,
    );
  const recordedTouches = new Set(records.touches.map(touchKey));
  const orphanSends = customerMessages
    .filter((m) => !recordedTouches.has(touchKey(m)))
    .map((m) => `${touchKey(m)} not in the table`);

  const expected = count(ReplySimulator.expectedReplies(seed, records.outbox), (r) =>
    answerKey(r.customerId, r.touch, r.channel),
  );
  const answers = records.replies.filter((r) => r.customerId !== null && r.touch !== null && !r.replyId.endsWith('-more'));
  const recorded = count(answers, (r) => answerKey(r.customerId ?? '', r.touch ?? 0, r.channel));
  const replyViolations = [
    ...[...expected.keys()]
      .filter((key) => recorded.get(key) !== 1)
      .map((key) => `answer ${key} recorded ${recorded.get(key) ?? 0} times`),
    ...[...recorded.keys()].filter((key) => !expected.has(key)).map((key) => `answer ${key} recorded but never given`),
    ...records.replies.filter((r) => r.duplicate).map((r) => `answer ${r.customerId}#${r.touch} recorded as a duplicate`),
  ];

  const unfinished = records.lifecycles
    .filter((l) => l.finishedAt === null || l.status === 'failed' || l.status === 'cancelled')
    .map((l) => `${l.customerId} ${l.status} ${l.failure ?? ''}`);
  if (records.lifecycles.length !== customers)
    unfinished.push(`${records.lifecycles.length} lifecycles for ${customers} customers`);

  const managerMails = count(
    records.outbox.filter((m) => m.kind !== 'touch'),
    (m) => `${m.kind} ${m.customerId} touch ${m.touch}`,
  );
  const allowed = (id: string) => {
    const ticket = records.tickets.find((t) => id === `escalation ${t.customerId} touch ${t.touch}`);
    return ticket ? 1 + ticket.climbs.length + ticket.reopened : 1;
  };
  const managerTwice = [...managerMails].filter(([id, n]) => n > allowed(id)).map(([id, n]) => `${id}: ${n} e-mails`);
  const managerUnsent = records.escalations
    .filter((e) => e.status !== 'sent' || !managerMails.has(`${e.kind} ${e.customerId} touch ${e.touch}`))
    .map((e) => `${e.kind} ${e.customerId} touch ${e.touch}: ${e.status}`);

  return { sentTwice, unsent, orphanSends, replyViolations, unfinished, managerTwice, managerUnsent };
}

/**
 * Where a run is killed: once the outbox has `lines` more lines than when the run started, `delayMs`
 * later; at the N-th claim or send (REVISIT_CRASH_AFTER); or never.
 */
export type KillPoint = { lines: number; delayMs: number } | { crashAfter: string } | null;

export function outboxLines(outDir: string): number {
  const file = join(outDir, 'outbox.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Runs until the kill point or the end; `killed` when SIGKILL ended it. The whole process group goes. */
export async function runUntil(outDir: string, kill: KillPoint, start: (env: NodeJS.ProcessEnv) => ChildProcess) {
  const before = outboxLines(outDir);
  const env = kill && 'crashAfter' in kill ? { ...process.env, REVISIT_CRASH_AFTER: kill.crashAfter } : process.env;
  const child = start(env);
  const run: { ended: { code: number | null; signal: NodeJS.Signals | null } | null } = { ended: null };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      run.ended = { code, signal };
      resolve(run.ended);
    }),
  );
  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {} // the group is gone already
  };
  if (kill && 'lines' in kill) {
    while (!run.ended && outboxLines(outDir) < before + kill.lines) await sleep(10);
    if (!run.ended) await sleep(kill.delayMs);
    if (run.ended) return { killed: false, code: run.ended.code };
    killGroup();
    await exited;
    return { killed: true, code: null };
  }
  const { code, signal } = await exited;
  // A runner that killed itself leaves DynamoDB Local's JVM behind in its group.
  killGroup();
  return { killed: signal === 'SIGKILL', code };
}
