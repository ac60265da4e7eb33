import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../functions/core/ports/index.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Event-driven mode: while work is in flight, the clock may still jump to an instant at most this far
 * ahead, so that events a few minutes apart (replies, sends) are handled side by side rather than one at
 * a time. Work in flight then sees time move on by up to this much while it runs, as a Lambda would see
 * other Lambdas' minutes pass.
 */
export const LOOKAHEAD_MS = 5 * 60_000;

/** One piece of tracked work: whether it has woken from a wait for an instant, and whether it has ended. */
interface Work {
  onTime: boolean;
  ended: boolean;
}

interface Waiter {
  at: number;
  resolve: () => void;
}

/**
 * Compressed time, in one of two modes.
 *
 * Scaled (`scale` a number): while nothing is being processed, virtual time runs `scale` times faster
 * than the wall clock; while a handler (or a DynamoDB call of the engine) is in flight, it runs at
 * wall-clock speed, so the time work takes on this machine is not multiplied `scale` times over. For
 * runs people watch and answer (`revisit run --serve --time-scale 60`).
 *
 * Event-driven (`scale` Infinity, "max"): the clock jumps straight to the earliest instant somebody
 * waits for (a Wait state, a reply timeout, a send slot, a simulated reply) and wakes exactly those
 * waiters: the moment nothing is in flight, or, while work is, when that instant is at most
 * LOOKAHEAD_MS ahead; otherwise it runs at wall-clock speed. No idle wall time is spent at all, and
 * every wake-up happens at its instant, never after it. Work that has woken inside a handler from a
 * wait for an instant (a send that waited for its send slot) is on time until it ends or waits again:
 * while any is, the clock does not jump out of the current second, so what it does next (the send)
 * happens in the second it waited for, as it would on AWS, rather than minutes later.
 *
 * Handlers read now(); the engine's waits, timeouts and the simulator's delays sleep with until(), so
 * every part sees one consistent, monotonic clock.
 */
export class VirtualClock implements Clock {
  private anchorVirtual: number;
  private anchorReal = performance.now();
  private inFlight = 0;
  /** Work in flight that is waiting inside a handler (sleepUntil): it does not hold the clock back. */
  private sleeping = 0;
  /** Event-driven mode: who waits for which instant, earliest first. */
  private readonly waiters: Waiter[] = [];
  private jumpScheduled = false;
  /** Tracked work that woke from sleepUntil and has not ended or slept again (see Work). */
  private onTime = 0;
  /** While work on time holds the clock: when to look at the waiters again (recheckLater). */
  private recheck: NodeJS.Timeout | null = null;
  private readonly work = new AsyncLocalStorage<Work>();

  constructor(
    readonly start: Date,
    readonly scale: number,
  ) {
    if (!(scale >= 1)) throw new Error('time scale must be at least 1');
    this.anchorVirtual = start.getTime();
  }

  /** Whether time jumps from event to event (full compression) rather than running at a scale. */
  get eventDriven(): boolean {
    return this.scale === Number.POSITIVE_INFINITY;
  }

  private busy(): boolean {
    return this.inFlight - this.sleeping > 0;
  }

  private rate(): number {
    if (this.busy()) return 1;
    return this.eventDriven ? 0 : this.scale;
  }

  now(): Date {
    return new Date(this.anchorVirtual + (performance.now() - this.anchorReal) * this.rate());
  }

  private reanchor(): void {
    const real = performance.now();
    this.anchorVirtual += (real - this.anchorReal) * this.rate();
    this.anchorReal = real;
  }

  /** Runs a piece of work during which virtual time runs at wall-clock speed. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.reanchor();
    this.inFlight++;
    const context: Work = { onTime: false, ended: false };
    try {
      return await this.work.run(context, work);
    } finally {
      this.reanchor();
      this.inFlight--;
      // A wait its promises go on with after it has ended cannot put it on time again (see sleepUntil).
      context.ended = true;
      this.leaveOnTime(context);
      this.scheduleJump();
    }
  }

  /** Real milliseconds for a virtual duration, at full compression (0 when event-driven). */
  realMsFor(virtualMs: number): number {
    return Math.min(MAX_TIMER_MS, Math.max(0, virtualMs / this.scale));
  }

  /** Real milliseconds until a virtual instant at full compression (0 when it is past). */
  realMsUntil(instant: Date): number {
    return this.realMsFor(instant.getTime() - this.now().getTime());
  }

  /**
   * Resolves once virtual time has reached `instant` (re-arming while work slowed the clock down). With a
   * signal, stops watching the clock when it aborts (and never resolves then).
   */
  async until(instant: Date, signal?: AbortSignal): Promise<void> {
    if (Number.isNaN(instant.getTime())) throw new RangeError('VirtualClock.until: not a time');
    if (this.eventDriven) return this.waitForEvent(instant.getTime(), signal);
    for (;;) {
      if (signal?.aborted) return new Promise<void>(() => undefined);
      const ms = this.realMsUntil(instant);
      if (ms <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, ms));
        function done() {
          signal?.removeEventListener('abort', done);
          clearTimeout(timer);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private waitForEvent(at: number, signal?: AbortSignal): Promise<void> {
    if (at <= this.now().getTime()) return Promise.resolve();
    if (signal?.aborted) return new Promise<void>(() => undefined);
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { at, resolve };
      // Binary insertion keeps the earliest first; equal instants keep their order of arrival.
      let low = 0;
      let high = this.waiters.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((this.waiters[mid] as Waiter).at <= at) low = mid + 1;
        else high = mid;
      }
      this.waiters.splice(low, 0, waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
        },
        { once: true },
      );
      this.scheduleJump();
    });
  }

  /**
   * Event-driven mode: once nothing is in flight, or the earliest awaited instant is within the lookahead
   * (looked at after the current turn of the event loop, so that work a wake-up starts has started),
   * jump to that instant and wake its waiters.
   */
  private canJump(): boolean {
    const next = this.waiters[0];
    if (next === undefined) return false;
    if (!this.busy()) return true;
    const now = this.now().getTime();
    // Work on time holds the clock in its second; an instant already past is due whatever the second.
    if (this.onTime > 0) return next.at <= now || Math.floor(next.at / 1000) === Math.floor(now / 1000);
    return next.at - now <= LOOKAHEAD_MS;
  }

  private scheduleJump(): void {
    if (!this.eventDriven || this.jumpScheduled) return;
    if (!this.canJump()) {
      this.recheckLater();
      return;
    }
    this.jumpScheduled = true;
    setImmediate(() => {
      this.jumpScheduled = false;
      if (!this.canJump()) {
        this.recheckLater();
        return;
      }
      const next = this.waiters[0];
      if (!next) return;
      this.reanchor();
      this.anchorVirtual = Math.max(this.anchorVirtual, next.at);
      const due = this.waiters.findIndex((w) => w.at > this.anchorVirtual);
      const woken = this.waiters.splice(0, due < 0 ? this.waiters.length : due);
      for (const waiter of woken) waiter.resolve();
      // A wake-up that starts no work leaves the clock idle: look again after this turn.
      this.scheduleJump();
    });
  }

  /** Work that was on time no longer is (it ended, or it waits again). */
  private leaveOnTime(context: Work): void {
    if (!context.onTime) return;
    context.onTime = false;
    this.onTime--;
  }

  /**
   * Work on time holds the clock in its second, at wall-clock speed: look again when the next waiter's
   * instant or the next second comes, so that a waiter is woken then, not only once that work ends.
   */
  private recheckLater(): void {
    const next = this.waiters[0];
    if (next === undefined || this.onTime === 0 || this.recheck !== null) return;
    const now = this.now().getTime();
    const ms = Math.max(1, Math.min(next.at - now, 1000 - (now % 1000)));
    this.recheck = setTimeout(() => {
      this.recheck = null;
      this.scheduleJump();
    }, ms);
    this.recheck.unref();
  }

  /**
   * A wait inside a handler: the handler is not working meanwhile, so the wait runs at full compression
   * (it does not count as work in flight).
   */
  async sleepUntil(instant: Date): Promise<void> {
    // Counted apart rather than taken off inFlight: other work may start and end meanwhile, and the
    // count must come back exactly (a count left over would hold the clock at wall speed for good).
    const context = this.work.getStore();
    if (context) this.leaveOnTime(context);
    this.reanchor();
    this.sleeping++;
    try {
      await this.until(instant);
    } finally {
      this.reanchor();
      this.sleeping--;
      // Woken at its instant: until it ends or waits again, the clock stays in this second (see Work).
      // Counted once per piece of work, however many of its waits run side by side.
      if (context && !context.ended && !context.onTime && this.eventDriven) {
        context.onTime = true;
        this.onTime++;
      }
    }
  }

  sleepVirtual(virtualMs: number): Promise<void> {
    return this.until(new Date(this.now().getTime() + virtualMs));
  }
}
