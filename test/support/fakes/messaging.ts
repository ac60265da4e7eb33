import type {
  EmailSender,
  LinkKeyProvider,
  OutboundEmail,
  OutboundSms,
  SendRateLimiter,
  SmsSender,
} from '../../../functions/core/ports/index.js';
import type { Channel } from '../../../functions/core/schemas.js';
import { rateBucketOf } from '../../../functions/core/send-scheduler.js';

/** Send slots in memory, bucketed like the DynamoDB limiter (rateBucketOf). */
export class InMemoryRateLimiter implements SendRateLimiter {
  readonly used = new Map<string, number>();

  async reserve(channel: Channel, perSecond: number, notBefore: Date, horizonSeconds: number): Promise<Date | null> {
    const { bucketMs, capacity, spacingMs } = rateBucketOf(perSecond);
    const first = Math.floor(notBefore.getTime() / bucketMs);
    for (let bucket = first; bucket * bucketMs <= notBefore.getTime() + horizonSeconds * 1000; bucket++) {
      const key = `${channel}#${bucket}`;
      const used = this.used.get(key) ?? 0;
      if (used < capacity) {
        this.used.set(key, used + 1);
        return new Date(Math.max(notBefore.getTime(), bucket * bucketMs + used * spacingMs));
      }
    }
    return null;
  }
}

/** Records what it sends; `failNext` makes the next sends throw, one error per send. */
export class RecordingSmsSender implements SmsSender {
  readonly sent: OutboundSms[] = [];
  private readonly failures: Error[] = [];

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async sendSms(message: OutboundSms): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(structuredClone(message));
    return { messageId: `sms-msg-${this.sent.length}` };
  }
}

export class RecordingEmailSender implements EmailSender {
  readonly sent: OutboundEmail[] = [];
  private readonly failures: Error[] = [];

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async sendEmail(message: OutboundEmail): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(structuredClone(message));
    return { messageId: `email-msg-${this.sent.length}` };
  }
}

export class FixedLinkKey implements LinkKeyProvider {
  constructor(readonly key: string) {}

  async linkKey(): Promise<string> {
    return this.key;
  }
}
