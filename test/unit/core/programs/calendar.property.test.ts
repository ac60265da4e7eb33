import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../../functions/core/events.js';
import { TIERS } from '../../../../functions/core/schemas.js';
import { calendarCustomer, calendarOf, purchase, testProgram } from '../../../support/programs.js';

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney'];
const PERIODS = ['week', 'month', 'quarter', 'half-year', 'year'] as const;

/** A program, customers and purchases, small enough for dozens of runs. */
const scenario = fc.record({
  cadence: fc.record({
    diamond: fc.record({ touches: fc.integer({ min: 0, max: 4 }), per: fc.constantFrom(...PERIODS) }),
    gold: fc.record({ touches: fc.integer({ min: 0, max: 3 }), per: fc.constantFrom(...PERIODS) }),
  }),
  cap: fc.record({ per48h: fc.integer({ min: 1, max: 2 }), per7d: fc.integer({ min: 1, max: 4 }) }),
  workingDaysOnly: fc.boolean(),
  blackoutDays: fc.uniqueArray(fc.integer({ min: 0, max: 180 }), { maxLength: 20 }),
  quiet: fc.boolean(),
  customers: fc.array(fc.record({ tier: fc.constantFrom(...TIERS), zone: fc.constantFrom(...ZONES) }), {
    minLength: 1,
    maxLength: 6,
  }),
  purchases: fc.array(fc.record({ customer: fc.nat(5), day: fc.integer({ min: -100, max: 180 }), minute: fc.nat(24 * 60 - 1) }), {
    maxLength: 12,
  }),
  from: fc.constantFrom('2027-01-31', '2027-03-01', '2028-02-29', '2027-10-15'),
});

describe('programCalendar, for any program, customers and events', () => {
  it('places every wanted touch or skips it with a reason, inside the window, never over the cap', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        // Prepare
        const start = DateTime.fromISO(s.from, { zone: 'UTC' });
        const blackoutDates = s.blackoutDays.map((d) => start.plus({ days: d }).toISODate() ?? '');
        const program = testProgram({
          cadence: s.cadence,
          frequencyCap: s.cap,
          calendar: { workingDaysOnly: s.workingDaysOnly, makeUpWorkdays: [] },
          blackoutDates,
          quietHours: s.quiet ? [{ start: '12:00', end: '13:30' }] : [],
          triggers: [{ on: EVENT_TYPES[0], after: ['3d', '7d', '30d'] }],
        });
        const customers = s.customers.map((c, i) => calendarCustomer(`C${i}`, c.tier, { timeZone: c.zone }));
        const events = s.purchases.map((p, i) =>
          purchase(`E${i}`, `C${p.customer % customers.length}`, start.plus({ days: p.day, minutes: p.minute }).toISO() ?? ''),
        );

        // Act
        const calendar = calendarOf(program, customers, { from: s.from, months: 6, events });

        // Assess
        for (const [i, entry] of calendar.customers.entries()) {
          const zone = s.customers[i]?.zone ?? '';
          const sent = entry.touches.map((t) => Date.parse(t.sendAt)).sort((a, b) => a - b);
          for (const touch of entry.touches) {
            const local = DateTime.fromISO(touch.sendAt, { zone });
            const clock = local.toFormat('HH:mm');
            expect(clock >= '09:00' && clock < '20:00').toBe(true);
            if (s.quiet) expect(clock >= '12:00' && clock < '13:30').toBe(false);
            expect(blackoutDates).not.toContain(local.toISODate());
            if (s.workingDaysOnly) expect(local.weekday).toBeLessThanOrEqual(5);
            expect(touch.sendAt.slice(-6)).toBe(local.toFormat('ZZ'));
          }
          // Brute force over every touch as a window start: no 48 h or 7-day window over the cap.
          for (const [j, t] of sent.entries()) {
            expect(sent.slice(j).filter((u) => u < t + 48 * 3_600_000).length).toBeLessThanOrEqual(s.cap.per48h);
            expect(sent.slice(j).filter((u) => u < t + 7 * 86_400_000).length).toBeLessThanOrEqual(s.cap.per7d);
          }
          // Never dropped silently: each tier's cadence touches, placed or skipped, are the cycles' count.
          const cadence = program.cadence[entry.tier];
          const cycles = Array.from({ length: 200 }, (_, k) =>
            cadence.per === 'week'
              ? DateTime.fromISO(s.from, { zone }).plus({ weeks: k })
              : DateTime.fromISO(s.from, { zone }).plus({
                  months: k * { month: 1, quarter: 3, 'half-year': 6, year: 12 }[cadence.per],
                }),
          );
          const end = DateTime.fromISO(s.from, { zone }).plus({ months: 6 }).toMillis();
          let expected = 0;
          for (const [k, cycle] of cycles.entries()) {
            const next = cycles[k + 1];
            if (cycle.toMillis() >= end || !next) break;
            for (let n = 0; n < cadence.touches; n++) {
              const shareStart = cycle.toMillis() + (n * (next.toMillis() - cycle.toMillis())) / cadence.touches;
              if (DateTime.fromMillis(shareStart, { zone }).startOf('day').toMillis() < end) expected++;
            }
          }
          const cadenceTouches = entry.touches.filter((t) => t.trigger === 'cadence').length;
          const cadenceSkips = calendar.skipped.filter((k) => k.customerId === entry.id && k.trigger === 'cadence').length;
          expect(cadenceTouches + cadenceSkips).toBeGreaterThanOrEqual(expected - 1);
          expect(cadenceTouches + cadenceSkips).toBeLessThanOrEqual(expected);
        }
        for (const skip of calendar.skipped) expect(skip.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 20, seed: 16 },
    );
  });
});
