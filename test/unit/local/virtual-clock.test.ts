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

  it('event-driven: keeps a handler woken for its send slot in that second until it has sent, then jumps on', async () => {
    // Prepare: a sender waits for a slot late in a second; another waits for a slot in the next second
    const clock = new VirtualClock(START, Number.POSITIVE_INFINITY);
    const slot = new Date(START.getTime() + 60_000 + 900);
    let woke = false;
    let finish: () => void = () => undefined;
    const sender = clock.track(async () => {
      await clock.sleepUntil(slot);
      woke = true;
      // Its checks and claim (DynamoDB calls) take real time after the wake-up.
      await new Promise<void>((resolve) => (finish = resolve));
      return clock.now().getTime();
    });
    const next = clock.track(async () => {
      await clock.sleepUntil(new Date(slot.getTime() + 1_000));
      return clock.now().getTime();
    });

    // Act: the sender works for 30 real ms after its wake-up, then sends
    while (!woke) await sleep(1);
    await sleep(30);
    finish();
    const sentAt = await sender;
    const nextWoke = await next;

    // Assess: the other slot (within the look-ahead) did not pull the clock out of the sender's second
    expect(Math.floor(sentAt / 1000)).toBe(Math.floor(slot.getTime() / 1000));
    expect(nextWoke).toBeGreaterThanOrEqual(slot.getTime() + 1_000);
  });

  it('event-driven: a woken handler that waits again does not hold the clock', async () => {
    // Prepare: other work is in flight the whole time, so the clock may only jump within the look-ahead
    const clock = new VirtualClock(START, Number.POSITIVE_INFINITY);
    let release: () => void = () => undefined;
    const working = clock.track(() => new Promise<void>((resolve) => (release = resolve)));
    const slot = new Date(START.getTime() + 1_500);

    // Act: woken at its slot, the handler waits again for a slot 10 s later
    const before = performance.now();
    const wokeAgain = await clock.track(async () => {
      await clock.sleepUntil(slot);
      await clock.sleepUntil(new Date(slot.getTime() + 10_000));
      return clock.now().getTime();
    });
    const realMs = performance.now() - before;
    release();
    await working;

    // Assess: the second wait was a jump, not 10 s of wall-clock time
    expect(wokeAgain).toBeGreaterThanOrEqual(slot.getTime() + 10_000);
    expect(realMs).toBeLessThan(2_000);
  });

  it('event-driven: work that waits twice side by side, or waits after it has ended, leaves the clock free', async () => {
    // Prepare: one piece of work waits for two instants at once; another starts a wait it does not await
    const clock = new VirtualClock(START, Number.POSITIVE_INFINITY);
    const at = (ms: number) => new Date(START.getTime() + ms);
    await clock.track(() => Promise.all([clock.sleepUntil(at(1_000)), clock.sleepUntil(at(2_000))]));
    let floating: Promise<void> = Promise.resolve();
    await clock.track(async () => {
      floating = clock.sleepUntil(at(3_000));
    });
    await floating;

    // Act: with other work in flight, wait for an instant 10 s ahead (within the look-ahead)
    let release: () => void = () => undefined;
    const working = clock.track(() => new Promise<void>((resolve) => (release = resolve)));
    const before = performance.now();
    await clock.track(() => clock.sleepUntil(at(13_000)));
    const realMs = performance.now() - before;
    release();
    await working;

    // Assess: a jump, not 10 s of wall-clock time held back by a count left over
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(at(13_000).getTime());
    expect(realMs).toBeLessThan(2_000);
  });

  it('event-driven: wakes a waiter at its instant in the next second while work on time still holds the clock', async () => {
    // Prepare: a waiter for 5 ms into the next second, and a sender woken at the last millisecond of this one
    const clock = new VirtualClock(START, Number.POSITIVE_INFINITY);
    const slot = new Date(START.getTime() + 999);
    let waiterWoke = false;
    const waiter = clock.track(async () => {
      await clock.sleepUntil(new Date(slot.getTime() + 5));
      waiterWoke = true;
    });
    let finish: () => void = () => undefined;
    let senderWoke = false;
    const sender = clock.track(async () => {
      await clock.sleepUntil(slot);
      senderWoke = true;
      await new Promise<void>((resolve) => (finish = resolve));
    });

    // Act: the sender stays at work for up to half a second of wall-clock time
    while (!senderWoke) await sleep(1);
    for (let i = 0; i < 50 && !waiterWoke; i++) await sleep(10);
    const wokeWhileSenderWorked = waiterWoke;
    finish();
    await sender;
    await waiter;

    // Assess: time went on past the second at wall-clock speed, and the waiter was woken then
    expect(wokeWhileSenderWorked).toBe(true);
  });
});
