import { describe, expect, it } from 'vitest';
import { sendRateOf } from '../../../bench/send-rate.js';
import type { OutboxEntry } from '../../../local/outbox.js';

const base = Date.parse('2027-01-20T01:00:00.000Z');
const sms = (ms: number, touch = 1): OutboxEntry =>
  ({ kind: 'touch', channel: 'sms', touch, sentAt: new Date(base + ms).toISOString() }) as OutboxEntry;

describe('the send-rate measure of the bench', () => {
  it('counts first-touch SMS per second of the clock, and the busiest sliding second apart', () => {
    // 3 a second on the grid for 2 s, then 3 bunched at the end of the third second and 3 at the start of the fourth
    const outbox = [0, 333, 666, 1000, 1333, 1666, 2900, 2950, 2990, 3000, 3010, 3020].map((ms) => sms(ms));

    const rate = sendRateOf([...outbox, sms(500, 2)], 3);

    expect(rate.perSecond).toEqual([3, 3, 3, 3]);
    expect(rate.peakObservedPerSecond).toBe(3);
    expect(rate.peakSlidingPerSecond).toBe(6);
    expect(rate.sustainedRatio).toBe(1);
    expect(rate.sends).toBe(12);
  });

  it('measures the backlog only: sends after a gap of over 5 s are another backlog', () => {
    const outbox = [0, 500, 1000, 1500, 9000, 9100].map((ms) => sms(ms));

    const rate = sendRateOf(outbox, 2);

    expect(rate.sends).toBe(4);
    expect(rate.perSecond).toEqual([2, 2]);
    expect(rate.sustainedRatio).toBe(1);
  });

  it('shows a second over the rate as such', () => {
    const rate = sendRateOf(
      [0, 100, 200, 300, 1500].map((ms) => sms(ms)),
      3,
    );

    expect(rate.peakObservedPerSecond).toBe(4);
    expect(rate.perSecond).toEqual([4, 1]);
  });
});
