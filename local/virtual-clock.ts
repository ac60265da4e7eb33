import type { Clock } from '../functions/core/ports.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Compressed time. While nothing is being processed, virtual time runs `scale` times faster than the
 * wall clock; while a handler (or a DynamoDB call of the engine) is in flight, it runs at wall-clock
 * speed, so the time work takes on this machine is not multiplied `scale` times over (a 5 ms write
 * would otherwise cost 28 virtual hours at 20000). Handlers read now(); the engine's waits, timeouts
 * and the simulator's delays sleep with until(), so every part sees one consistent, monotonic clock.
 */
export class VirtualClock implements Clock {
  private anchorVirtual: number;
  private anchorReal = performance.now();
  private inFlight = 0;
  /** Work in flight that is waiting inside a handler (sleepUntil): it does not hold the clock back. */
  private sleeping = 0;

  constructor(
    readonly start: Date,
    readonly scale: number,
  ) {
    if (!(scale >= 1)) throw new Error('time scale must be at least 1');
    this.anchorVirtual = start.getTime();
  }

  private rate(): number {
    return this.inFlight - this.sleeping > 0 ? 1 : this.scale;
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
    try {
      return await work();
    } finally {
      this.reanchor();
      this.inFlight--;
    }
  }

  /** Real milliseconds for a virtual duration, at full compression. */
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

  /**
   * A wait inside a handler: the handler is not working meanwhile, so the wait runs at full compression
   * (it does not count as work in flight).
   */
  async sleepUntil(instant: Date): Promise<void> {
    // Counted apart rather than taken off inFlight: other work may start and end meanwhile, and the
    // count must come back exactly (a count left over would hold the clock at wall speed for good).
    this.reanchor();
    this.sleeping++;
    try {
      await this.until(instant);
    } finally {
      this.reanchor();
      this.sleeping--;
    }
  }

  sleepVirtual(virtualMs: number): Promise<void> {
    return this.until(new Date(this.now().getTime() + virtualMs));
  }
}
