import { afterEach, describe, expect, it } from 'vitest';
import { ProviderThrottledError } from '../../functions/core/errors.js';
import type { EmailSender, OutboundEmail, OutboundSms, SmsSender } from '../../functions/core/ports/index.js';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import type { OutboxMessenger } from '../../local/outbox.js';

/** SNS refusing the first `failures` SMS with throttling (nothing goes out), noting when each attempt came. */
class ScriptedSms implements SmsSender, EmailSender {
  readonly attempts: number[] = [];
  constructor(
    private readonly outbox: OutboxMessenger,
    private readonly now: () => Date,
    private failures: number,
  ) {}
  async sendSms(message: OutboundSms) {
    this.attempts.push(this.now().getTime());
    if (this.failures-- > 0) throw new ProviderThrottledError('provider throttled: ThrottlingException');
    return this.outbox.sendSms(message);
  }
  sendEmail(message: OutboundEmail) {
    return this.outbox.sendEmail(message);
  }
}

// The Contact state's Retry (workflows/lifecycle.asl.json): ProviderThrottledError and TransientError,
// 2 s apart and doubling, 6 retries; then the Catch records the failure.
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function harnessFailing(failures: number): Promise<{ h: Harness; sms: ScriptedSms }> {
  let sms: ScriptedSms | undefined;
  const harness = await startHarness(
    [customer({ id: 'retry-1' })],
    { segments: { core: { channels: ['sms'], accountManagerTask: false } } },
    5_000,
    { wrapProviders: (outbox) => (sms = new ScriptedSms(outbox, () => harness.runtime.clock.now(), failures)) },
  );
  if (!sms) throw new Error('the runtime did not wrap its providers');
  return { h: harness, sms };
}

describe('Step Functions retries on the real lifecycle definition', () => {
  it('retries a throttled send at least 2, 4 and 8 seconds later, and sends it once', async () => {
    // Prepare
    const setup = await harnessFailing(3);
    h = setup.h;

    // Act
    h.startLifecycle('retry-1');
    const message = await h.nextMessage('retry-1');
    await h.runtime.clock.sleepVirtual(60_000); // Contact records the send after the provider's answer

    // Assess
    const gaps = setup.sms.attempts.slice(1).map((at, i) => (at - (setup.sms.attempts[i] ?? at)) / 1000);
    expect(gaps).toHaveLength(3);
    // Retry pauses sleep on the compressed clock: each is at least its interval (never a retry storm);
    // how much longer depends on the machine's load, so there is no upper bound to hold it to.
    for (const [i, expected] of [2, 4, 8].entries()) expect(gaps[i]).toBeGreaterThanOrEqual(expected);
    expect(h.messages.filter((m) => m.kind === 'touch')).toEqual([message]);
    expect((await h.runtime.repo.getTouch({ campaignId: h.campaignId, customerId: 'retry-1', touch: 1 }))?.messageId).toBe(
      message.messageId,
    );
  });

  it('gives up after six retries, sends nothing and records why on the lifecycle', async () => {
    // Prepare
    const setup = await harnessFailing(Number.POSITIVE_INFINITY);
    h = setup.h;

    // Act
    h.startLifecycle('retry-1');
    const execution = await h.finished('retry-1');

    // Assess
    expect(setup.sms.attempts).toHaveLength(7);
    expect(execution.visited).toContain('RecordFailure');
    expect(h.messages).toEqual([]);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'retry-1');
    expect(lifecycle?.status).toBe('failed');
    expect(lifecycle?.failure).toContain('ProviderThrottledError');
    expect((await h.runtime.repo.getTouch({ campaignId: h.campaignId, customerId: 'retry-1', touch: 1 }))?.status).toBe(
      'released',
    );
  });
});
