import type { Clock } from '../../../functions/core/ports/index.js';

/** A clock that stands still unless a test moves it. */
export class FixedClock implements Clock {
  private current: Date;

  constructor(at: string | Date) {
    this.current = new Date(at);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  /** Sleeping moves the fixed clock to the instant, at once. */
  async sleepUntil(instant: Date): Promise<void> {
    if (instant > this.current) this.current = new Date(instant);
  }
}
