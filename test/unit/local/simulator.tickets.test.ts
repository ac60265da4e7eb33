import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../local/outbox.js';
import { ReplySimulator } from '../../../local/simulator.js';

/** The instants at which simulated managers act (acknowledge, resolve) on ticket e-mails sent at these times. */
function managerActionTimes(sentAts: readonly number[]): number[] {
  const times: number[] = [];
  const simulator = new ReplySimulator({
    seed: 7,
    clock: {
      now: () => new Date(0),
      until: (instant: Date) => {
        times.push(instant.getTime());
        return new Promise<void>(() => undefined);
      },
    },
    deliverSms: async () => undefined,
    deliverWeb: async () => undefined,
  });
  for (const [i, sentAt] of sentAts.entries()) {
    simulator.handle({
      kind: 'escalation',
      campaignId: 'c1',
      // Five tickets, each e-mailed to the same manager twice (a reminder as the ticket climbs).
      customerId: `cust-${i % 5}`,
      touch: 1,
      channel: 'email',
      to: 'manager@example.com',
      template: 'ticket/zh-CN',
      body: 'https://revisit.example/t/abcDEF123.sig_-xyz',
      sentAt: new Date(sentAt).toISOString(),
    } as OutboxEntry);
  }
  return times;
}

describe('the simulated managers', () => {
  it('act on ticket e-mails alike whatever millisecond the e-mails went out in (same seed: same campaign)', () => {
    const base = Date.parse('2027-01-20T02:00:00.000Z');
    const onTime = Array.from({ length: 10 }, (_, i) => base + i * 3_600_000);
    const later = onTime.map((t) => t + 1_234);

    const a = managerActionTimes(onTime);
    const b = managerActionTimes(later);

    // Some managers act, some let their e-mail lie; the same ones, after the same delays.
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBeLessThan(2 * onTime.length);
    expect(b.map((t, i) => t - (a[i] as number))).toEqual(a.map(() => 1_234));
  });
});
