import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Channel, campaignSchema, customerSchema } from '../../../functions/core/schemas.js';
import {
  bucketOf,
  busiestWindowHolding,
  customerById,
  DST_CHANGES,
  everyDay,
  hhmm,
  localTime,
  minuteOfDay,
  minutesOf,
  periodWithin,
  planOf,
  RUNS,
  sendsByChannel,
  touched,
  WINDOW_7D,
  WINDOW_48H,
} from '../../support/plan-scenarios.js';

/**
 * Invariants of the dry-run plan (rulebook sections 1-2) over generated campaigns and customers. Every
 * expectation is recomputed here from the campaign's rules with luxon and brute force, never by calling
 * the scheduling helpers the plan itself uses.
 */

describe('planCampaign, for any campaign and customers', () => {
  it("sends every touch inside the customer's local contact window and outside every quiet period", () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const { contactWindow, quietHours } = scenario.campaign;
        for (const entry of touched(plan)) {
          const customer = customerById(scenario, entry.id);
          for (const touch of entry.touches) {
            const minute = minuteOfDay(localTime(touch.sendAt, customer.timeZone));
            expect(minute, `${touch.sendAt} in ${customer.timeZone}`).toBeGreaterThanOrEqual(minutesOf(contactWindow.start));
            expect(minute, `${touch.sendAt} in ${customer.timeZone}`).toBeLessThan(minutesOf(contactWindow.end));
            for (const quiet of quietHours) {
              const inQuiet = minute >= minutesOf(quiet.start) && minute < minutesOf(quiet.end);
              expect(inQuiet, `${touch.sendAt} in ${customer.timeZone}, quiet ${quiet.start}-${quiet.end}`).toBe(false);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('sends only on execution days that are neither blackout days nor, on a working-day calendar, non-working days', () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const { execution, blackoutDates, calendar } = scenario.campaign;
        for (const entry of touched(plan)) {
          const customer = customerById(scenario, entry.id);
          for (const touch of entry.touches) {
            const local = localTime(touch.sendAt, customer.timeZone);
            const date = local.toISODate() ?? '';
            expect(date >= execution.start && date <= execution.end, `${date} within ${execution.start}..${execution.end}`).toBe(
              true,
            );
            expect(blackoutDates).not.toContain(date);
            if (calendar.workingDaysOnly) {
              expect(local.weekday <= 5 || calendar.makeUpWorkdays.includes(date), `${date} is a working day`).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps each customer's touches plus earlier touches within the 48-hour and 7-day caps in every sliding window", () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const { per48h, per7d } = scenario.campaign.frequencyCap;
        for (const entry of touched(plan)) {
          const planned = entry.touches.map((touch) => Date.parse(touch.sendAt));
          const points = [...(scenario.history.get(entry.id) ?? []), ...planned];
          for (const t of planned) {
            expect(
              busiestWindowHolding(points, t, WINDOW_48H),
              `${entry.id} at ${new Date(t).toISOString()}`,
            ).toBeLessThanOrEqual(per48h);
            expect(busiestWindowHolding(points, t, WINDOW_7D), `${entry.id} at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(
              per7d,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never books more sends in one of a channel's epoch-aligned rate buckets than the rate allows", () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const sends = sendsByChannel(plan);
        const rates: Record<Channel, number> = {
          sms: scenario.campaign.sendRates.smsPerSecond,
          email: scenario.campaign.sendRates.emailPerSecond,
        };
        for (const channel of ['sms', 'email'] as const) {
          const bucket = bucketOf(rates[channel]);
          const perBucket = new Map<number, number>();
          for (const at of sends[channel]) {
            const key = Math.floor(at / bucket.ms);
            perBucket.set(key, (perBucket.get(key) ?? 0) + 1);
          }
          const allowed = Math.max(1, Math.floor((rates[channel] * bucket.ms) / 1000));
          for (const [key, count] of perBucket) {
            expect(
              count,
              `${channel} at ${rates[channel]}/s, bucket from ${new Date(key * bucket.ms).toISOString()}`,
            ).toBeLessThanOrEqual(allowed);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never books more than twice the rate in any sliding window of one bucket length', () => {
    // Aligned buckets allow a burst at the end of one bucket and the start of the next; never more.
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const sends = sendsByChannel(plan);
        const rates: Record<Channel, number> = {
          sms: scenario.campaign.sendRates.smsPerSecond,
          email: scenario.campaign.sendRates.emailPerSecond,
        };
        for (const channel of ['sms', 'email'] as const) {
          const bucket = bucketOf(rates[channel]);
          const list = sends[channel];
          for (let i = 0; i < list.length; i++) {
            const from = list[i] ?? 0;
            const inWindow = list.filter((at) => at >= from && at < from + bucket.ms).length;
            expect(inWindow).toBeLessThanOrEqual(2 * bucket.capacity);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('planCampaign, when a contact window or quiet period touches the hours of a DST change', () => {
  // Windows anywhere in the day, in a zone that changes its clocks, over a campaign that includes the change.
  const aroundDstChange = fc
    .record({
      change: fc.constantFrom(...DST_CHANGES),
      window: periodWithin(0, 4 * 60),
      quietShare: fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
        nil: null,
      }),
      nowMinute: fc.integer({ min: -60, max: 6 * 60 }),
      customers: fc.integer({ min: 1, max: 6 }),
    })
    .map(({ change: [zone, date], window, quietShare, nowMinute, customers }) => {
      const quiet =
        quietShare === null
          ? []
          : (() => {
              const a = window.start + Math.floor(quietShare[0] * (window.end - window.start));
              const b = window.start + Math.ceil(quietShare[1] * (window.end - window.start));
              const [start, end] = a < b ? [a, b] : [b, a];
              return start < end ? [{ start: hhmm(start), end: hhmm(end) }] : [];
            })();
      const campaign = campaignSchema.parse({
        id: 'dst',
        name: 'dst',
        defaultTimeZone: zone,
        execution: { start: date, end: date },
        contactWindow: { start: hhmm(window.start), end: hhmm(window.end) },
        quietHours: quiet,
        frequencyCap: { per48h: 3, per7d: 5 },
        sendRates: { smsPerSecond: 0.5, emailPerSecond: 0.5 },
        maxTouches: 1,
      });
      const now = DateTime.fromISO(date, { zone }).startOf('day').plus({ minutes: nowMinute }).toJSDate();
      const list = Array.from({ length: customers }, (_, i) =>
        customerSchema.parse({ id: `D${i}`, name: `D${i}`, phone: '+8613800138000', timeZone: zone }),
      );
      return { campaign, customers: list, now, suppressed: new Set<string>(), history: new Map<string, number[]>() };
    });

  it('still sends only at local wall-clock times inside the window and outside quiet hours', () => {
    fc.assert(
      fc.property(aroundDstChange, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        const { contactWindow, quietHours } = scenario.campaign;
        for (const entry of touched(plan)) {
          const customer = customerById(scenario, entry.id);
          for (const touch of entry.touches) {
            const minute = minuteOfDay(localTime(touch.sendAt, customer.timeZone));
            const where = `${touch.sendAt} in ${customer.timeZone}, window ${contactWindow.start}-${contactWindow.end}, quiet ${JSON.stringify(quietHours)}`;
            expect(minute >= minutesOf(contactWindow.start) && minute < minutesOf(contactWindow.end), where).toBe(true);
            for (const quiet of quietHours)
              expect(minute >= minutesOf(quiet.start) && minute < minutesOf(quiet.end), where).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
