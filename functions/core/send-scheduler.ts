import { nextSendMillis, type WindowRules } from './contact-window.js';
import type { Channel } from './schemas.js';

const DAY_MS = 86_400_000;

/** How a send rate is cut into buckets: one second (or 1/rate) holding `capacity` evenly spaced slots. */
export function rateBucketOf(perSecond: number): { bucketMs: number; capacity: number; spacingMs: number } {
  if (!(perSecond > 0)) throw new Error('a send rate must be above zero');
  const bucketMs = perSecond >= 1 ? 1000 : Math.ceil(1000 / perSecond);
  const capacity = Math.max(1, Math.floor((perSecond * bucketMs) / 1000));
  return { bucketMs, capacity, spacingMs: Math.floor(bucketMs / capacity) };
}

/**
 * Books send slots so that no channel ever goes over its rate, in any sliding second. Time is cut into
 * buckets (one second, or 1/rate for rates under one a second) of `capacity` slots spaced evenly inside
 * the bucket (20/s: every 50 ms from each whole second; 14/s: every 71 ms, the last gap a little
 * longer), one send per slot, so any window of one bucket's length holds at most `capacity` sends.
 * Taken slots are linked to the next one (a union-find with path compression), so booking stays near
 * O(1) even when a hundred thousand customers all want 09:00.
 */
export class RateBuckets {
  readonly bucketMs: number;
  readonly capacity: number;
  /** Distance between the slots of a bucket, in milliseconds. */
  readonly spacingMs: number;
  private readonly taken = new Map<number, number>();

  /** `origin`: where the grid starts (epoch ms), e.g. the campaign's start, so that its first slot is on it. */
  constructor(
    perSecond: number,
    private readonly origin = 0,
  ) {
    ({ bucketMs: this.bucketMs, capacity: this.capacity, spacingMs: this.spacingMs } = rateBucketOf(perSecond));
  }

  private timeOf(slot: number): number {
    return this.origin + Math.floor(slot / this.capacity) * this.bucketMs + (slot % this.capacity) * this.spacingMs;
  }

  /** The first slot whose time is at or after `at`. */
  private slotAtOrAfter(at: number): number {
    const since = at - this.origin;
    const bucket = Math.floor(since / this.bucketMs);
    const index = Math.ceil((since - bucket * this.bucketMs) / this.spacingMs);
    return index >= this.capacity ? (bucket + 1) * this.capacity : bucket * this.capacity + index;
  }

  /** The first free slot at or after `slot`. */
  private free(slot: number): number {
    let root = slot;
    while (this.taken.has(root)) root = this.taken.get(root) as number;
    let cursor = slot;
    while (this.taken.has(cursor)) {
      const next = this.taken.get(cursor) as number;
      this.taken.set(cursor, root);
      cursor = next;
    }
    return root;
  }

  /** The time of the earliest free slot at or after `at` (epoch ms). */
  earliest(at: number): number {
    return this.timeOf(this.free(this.slotAtOrAfter(at)));
  }

  book(at: number): void {
    const slot = this.slotAtOrAfter(at);
    if (this.timeOf(slot) !== at || this.taken.has(slot)) throw new Error('not a free slot: earliest() was not asked first');
    this.taken.set(slot, slot + 1);
  }

  /** Sends booked in the bucket that holds `at` (for tests and the benchmark). */
  bookedAt(at: number): number {
    const bucket = Math.floor((at - this.origin) / this.bucketMs);
    let count = 0;
    for (let i = 0; i < this.capacity; i++) if (this.taken.has(bucket * this.capacity + i)) count++;
    return count;
  }
}

/**
 * Finds each send its time: the earliest instant that is inside the customer's contact window (and the
 * campaign), and in a rate bucket of the channel with room left. Callers book in priority order.
 */
export class SendScheduler {
  private readonly buckets: Record<Channel, RateBuckets>;
  private readonly firstTouchesPerDay: number | undefined;
  /** First touches booked per UTC day (days since the epoch), when they are capped. */
  private readonly firstTouchesByDay = new Map<number, number>();

  constructor(
    rates: { smsPerSecond: number; emailPerSecond: number; firstTouchesPerDay?: number | undefined },
    private readonly rules: WindowRules,
    origin = 0,
  ) {
    this.buckets = { sms: new RateBuckets(rates.smsPerSecond, origin), email: new RateBuckets(rates.emailPerSecond, origin) };
    this.firstTouchesPerDay = rates.firstTouchesPerDay;
  }

  /**
   * Books the earliest allowed slot at or after `after` (epoch ms); null when the campaign has no time left.
   * A first touch also needs room in its UTC day under `firstTouchesPerDay`, or moves to the next day.
   */
  book(channel: Channel, timeZone: string, after: Date, options: { firstTouch?: boolean } = {}): number | null {
    const buckets = this.buckets[channel];
    const cap = options.firstTouch ? this.firstTouchesPerDay : undefined;
    let candidate = nextSendMillis(after.getTime(), timeZone, this.rules);
    for (let guard = 0; candidate !== null && guard < 10_000; guard++) {
      const day = Math.floor(candidate / DAY_MS);
      if (cap !== undefined && (this.firstTouchesByDay.get(day) ?? 0) >= cap) {
        candidate = nextSendMillis((day + 1) * DAY_MS, timeZone, this.rules);
        continue;
      }
      const slot = buckets.earliest(candidate);
      if (slot === candidate) {
        buckets.book(slot);
        if (cap !== undefined) this.firstTouchesByDay.set(day, (this.firstTouchesByDay.get(day) ?? 0) + 1);
        return slot;
      }
      // The window may have closed while we looked for room: find the next open instant from there.
      candidate = nextSendMillis(slot, timeZone, this.rules);
    }
    return null;
  }

  rateBuckets(channel: Channel): RateBuckets {
    return this.buckets[channel];
  }
}
