import type { DateTime } from 'luxon';
import { nextSendTime, type WindowRules } from './contact-window.js';
import type { Channel } from './schemas.js';

/**
 * Books send slots so that no channel ever goes over its rate: time is cut into buckets (one second, or
 * longer for rates under one per second) that each hold `capacity` sends. Buckets that fill up are
 * linked to the next one (a union-find with path compression), so booking stays near O(1) per send
 * even when a hundred thousand customers all want 09:00.
 */
export class RateBuckets {
  readonly bucketMs: number;
  readonly capacity: number;
  private readonly counts = new Map<number, number>();
  private readonly full = new Map<number, number>();

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new Error('a send rate must be above zero');
    this.bucketMs = perSecond >= 1 ? 1000 : Math.ceil(1000 / perSecond);
    this.capacity = Math.max(1, Math.floor((perSecond * this.bucketMs) / 1000));
  }

  /** The first bucket at or after `bucket` with room left. */
  private free(bucket: number): number {
    let root = bucket;
    while (this.full.has(root)) root = this.full.get(root) as number;
    let cursor = bucket;
    while (this.full.has(cursor)) {
      const next = this.full.get(cursor) as number;
      this.full.set(cursor, root);
      cursor = next;
    }
    return root;
  }

  /** The earliest instant at or after `at` (epoch ms) in a bucket with room. */
  earliest(at: number): number {
    const bucket = this.free(Math.floor(at / this.bucketMs));
    return Math.max(at, bucket * this.bucketMs);
  }

  book(at: number): void {
    const bucket = Math.floor(at / this.bucketMs);
    const count = (this.counts.get(bucket) ?? 0) + 1;
    if (count > this.capacity) throw new Error('bucket over capacity: earliest() was not asked first');
    this.counts.set(bucket, count);
    if (count === this.capacity) this.full.set(bucket, bucket + 1);
  }

  /** Sends booked in the bucket that holds `at` (for tests and the benchmark). */
  bookedAt(at: number): number {
    return this.counts.get(Math.floor(at / this.bucketMs)) ?? 0;
  }
}

/**
 * Finds each send its time: the earliest instant that is inside the customer's contact window (and the
 * campaign), and in a rate bucket of the channel with room left. Callers book in priority order.
 */
export class SendScheduler {
  private readonly buckets: Record<Channel, RateBuckets>;

  constructor(
    rates: { smsPerSecond: number; emailPerSecond: number },
    private readonly rules: WindowRules,
  ) {
    this.buckets = { sms: new RateBuckets(rates.smsPerSecond), email: new RateBuckets(rates.emailPerSecond) };
  }

  /** Books the earliest allowed slot at or after `after`; null when the campaign has no time left. */
  book(channel: Channel, timeZone: string, after: Date): DateTime | null {
    const buckets = this.buckets[channel];
    let candidate = nextSendTime(after, timeZone, this.rules);
    for (let guard = 0; candidate !== null && guard < 10_000; guard++) {
      const slot = buckets.earliest(candidate.toMillis());
      if (slot === candidate.toMillis()) {
        buckets.book(slot);
        return candidate;
      }
      // The window may have closed while we looked for room: find the next open instant from there.
      candidate = nextSendTime(new Date(slot), timeZone, this.rules);
    }
    return null;
  }

  rateBuckets(channel: Channel): RateBuckets {
    return this.buckets[channel];
  }
}
