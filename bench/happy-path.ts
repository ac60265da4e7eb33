import { customer, startHarness } from '../local/harness.js';

export interface HappyPath {
  states: string[];
  transitions: number;
  lambdaInvocations: number;
  ddbWrites: number;
  ddbReads: number;
  writesByCommand: Record<string, number>;
}

/**
 * One customer's happy path on the real lifecycle definition (one touch, one reply, evaluate): the
 * states it enters, the handlers it invokes (the inbound SMS included) and the DynamoDB requests they
 * and the state machine make, counted exactly.
 */
export async function measureHappyPath(): Promise<HappyPath> {
  const h = await startHarness(
    [customer({ id: 'happy-1' })],
    { segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } } },
    Number.POSITIVE_INFINITY,
  );
  try {
    const stats = h.runtime.stats;
    const before = { reads: stats.ddbReads, writes: stats.ddbWrites, requests: new Map(stats.ddbRequests) };
    const execution = h.startLifecycle('happy-1');
    await h.replyBySms(await h.nextMessage('happy-1'), '5');
    await h.finished('happy-1');
    const writesByCommand: Record<string, number> = {};
    for (const [name, count] of stats.ddbRequests) {
      if (/Put|Update|Delete|Write/.test(name)) writesByCommand[name] = count - (before.requests.get(name) ?? 0);
    }
    return {
      states: execution.visited,
      transitions: execution.visited.length,
      lambdaInvocations: [...stats.invocations.values()].reduce((a, b) => a + b, 0),
      ddbWrites: stats.ddbWrites - before.writes,
      ddbReads: stats.ddbReads - before.reads,
      writesByCommand,
    };
  } finally {
    await h.stop();
  }
}
