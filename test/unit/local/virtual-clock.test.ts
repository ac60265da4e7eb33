import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/virtual-clock.js';

const START = new Date('2026-12-16T01:00:00Z');

describe('the virtual clock', () => {
  it('runs compressed while nothing is in flight, and at wall-clock speed while work is', async () => {
    const clock = new VirtualClock(START, 10_000);

    await sleep(20);
    const idle = clock.now().getTime() - START.getTime();
    let busy = 0;
    await clock.track(async () => {
      const before = clock.now().getTime();
      await sleep(20);
      busy = clock.now().getTime() - before;
    });

    expect(idle).toBeGreaterThan(20 * 1000);
    expect(busy).toBeLessThan(1000);
  });

  it('keeps wall-clock speed for work in flight while another handler sleeps, and compresses once all has ended', async () => {
    // Prepare: a handler is at work when another one starts to wait for its send slot
    const clock = new VirtualClock(START, 10_000);
    let release: () => void = () => undefined;
    const working = clock.track(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = clock.track(() => clock.sleepUntil(new Date(clock.now().getTime() + 600_000)));

    // Act 1: 20 real ms while one works and the other sleeps
    const before = clock.now().getTime();
    await sleep(20);
    const duringWork = clock.now().getTime() - before;
    release();
    await working;
    await waiting;

    // Act 2: 20 real ms with nothing in flight
    const after = clock.now().getTime();
    await sleep(20);
    const idle = clock.now().getTime() - after;

    // Assess: the work's 20 ms are not stretched into 200 virtual seconds; idle time is compressed again
    expect(duringWork).toBeLessThan(1000);
    expect(idle).toBeGreaterThan(20 * 1000);
  });
});
