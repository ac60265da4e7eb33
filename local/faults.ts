import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { z } from 'zod';
import { translateProviderError } from '../functions/adapters/sns-sms-sender.js';
import type { CampaignRepository, EmailSender, OutboundEmail, OutboundSms, SmsSender } from '../functions/core/ports/index.js';

/** How often the simulated providers refuse a send, and with which seed. */
export interface ProviderFaults {
  /** Share of sends refused, 0-1. */
  rate: number;
  seed: number;
}

/** The faults a provider refuses with, as the AWS SDK raises them (SNS/SES throttling, a 500, a 503). */
const REFUSALS = [
  () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
  () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }),
  () => Object.assign(new Error('Internal error'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }),
  () => Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }),
];

/**
 * SNS and SES as they behave on a bad day: a seeded share of sends is refused before anything goes out,
 * with the errors the SDK raises, translated by the same code as the real adapters. The state machines'
 * retries (with backoff) must then send every message once, and lose none.
 */
export class FaultyProviders implements SmsSender, EmailSender {
  private rng;
  /** Refusals so far, by error name. */
  readonly refused = new Map<string, number>();

  constructor(
    private readonly inner: SmsSender & EmailSender,
    private readonly faults: ProviderFaults,
  ) {
    this.rng = xoroshiro128plus(faults.seed);
  }

  private maybeRefuse(): void {
    if (uniformFloat64(this.rng) >= this.faults.rate) return;
    const raw = REFUSALS[Math.floor(uniformFloat64(this.rng) * REFUSALS.length)]?.() ?? new Error('refused');
    this.refused.set(raw.name, (this.refused.get(raw.name) ?? 0) + 1);
    throw translateProviderError(raw);
  }

  async sendSms(message: OutboundSms): Promise<{ messageId: string }> {
    this.maybeRefuse();
    return this.inner.sendSms(message);
  }

  async sendEmail(message: OutboundEmail): Promise<{ messageId: string }> {
    this.maybeRefuse();
    return this.inner.sendEmail(message);
  }
}

/**
 * A crash at the worst moment, for the fault-injection tests: the process kills itself (SIGKILL) right
 * after its `count`-th claim of a message (before the provider is called) or its `count`-th message sent
 * (before the send is recorded). Set with REVISIT_CRASH_AFTER=claim:N or send:N; never in normal runs.
 */
export const crashPointSchema = z
  .string()
  .regex(/^(claim|send):[1-9]\d*$/, 'REVISIT_CRASH_AFTER: claim:N or send:N')
  .transform((value) => {
    const [event, count] = value.split(':');
    return { event: event as 'claim' | 'send', count: Number(count) };
  });
export type CrashPoint = z.infer<typeof crashPointSchema>;

export function armCrash(
  point: CrashPoint,
  repo: Pick<CampaignRepository, 'claimTouch' | 'claimEscalation'>,
  outbox: { onMessage(listener: () => void): void },
): void {
  let seen = 0;
  const crashOn = (event: CrashPoint['event']) => {
    if (event === point.event && ++seen === point.count) process.kill(process.pid, 'SIGKILL');
  };
  const claimTouch = repo.claimTouch.bind(repo);
  repo.claimTouch = async (record) => {
    const result = await claimTouch(record);
    if (result.claimed) crashOn('claim');
    return result;
  };
  const claimEscalation = repo.claimEscalation.bind(repo);
  repo.claimEscalation = async (record) => {
    const claimed = await claimEscalation(record);
    if (claimed) crashOn('claim');
    return claimed;
  };
  outbox.onMessage(() => crashOn('send'));
}
