import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarCustomer, calendarOf, localClock, testProgram } from '../../../support/programs.js';

const RULEBOOK_CADENCE = { diamond: '2 per month', gold: '1 per month', silver: '1 per quarter', basic: '1 per half-year' };

describe('the program calendar: cadence cycles', () => {
  it('gives each tier its rulebook cadence over 12 months: diamond 24, gold 12, silver 4, basic 2', () => {
    // Prepare
    const program = testProgram({ cadence: RULEBOOK_CADENCE });
    const customers = (['diamond', 'gold', 'silver', 'basic'] as const).map((tier, i) => calendarCustomer(`C${i}`, tier));

    // Act
    const calendar = calendarOf(program, customers);

    // Assess
    expect(calendar.customers.map((c) => [c.tier, c.touches.length])).toEqual([
      ['diamond', 24],
      ['gold', 12],
      ['silver', 4],
      ['basic', 2],
    ]);
    expect(calendar.deferrals).toEqual([]);
    expect(calendar.skipped).toEqual([]);
    expect(calendar.customers[0]?.touches[0]).toMatchObject({
      channel: 'sms',
      program: 'always-on',
      trigger: 'cadence',
      template: 'default',
    });
  });

  it.each([
    ['2027-01-31', ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']],
    ['2028-01-31', ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31']],
    ['2027-02-28', ['2027-02-28', '2027-03-28', '2027-04-28', '2027-05-28', '2027-06-28']],
  ])('counts months from %s, each from the first day, whatever their length', (from, cycleStarts) => {
    // Prepare: many customers, so that some are wanted on the first day of a cycle and some late in it.
    const program = testProgram({ cadence: { gold: '1 per month' } });
    const customers = Array.from({ length: 40 }, (_, i) => calendarCustomer(`G${i}`, 'gold'));

    // Act
    const calendar = calendarOf(program, customers, { from, months: 4 });

    // Assess
    for (const entry of calendar.customers) {
      expect(entry.touches).toHaveLength(4);
      entry.touches.forEach((touch, i) => {
        const wanted = touch.wantedAt.slice(0, 10);
        expect(wanted >= (cycleStarts[i] ?? '')).toBe(true);
        expect(wanted < (cycleStarts[i + 1] ?? '')).toBe(true);
      });
    }
  });

  it('spreads customers over the period, each on the same day of it on every run', () => {
    const program = testProgram({ cadence: { gold: '1 per month' } });
    const customers = Array.from({ length: 60 }, (_, i) => calendarCustomer(`G${i}`, 'gold'));

    const first = calendarOf(program, customers);
    const again = calendarOf(program, customers);

    expect(again).toEqual(first);
    const days = new Set(first.customers.map((c) => c.touches[0]?.sendAt.slice(0, 10)));
    expect(days.size).toBeGreaterThan(8);
    const minutes = new Set(first.customers.map((c) => c.touches[0]?.sendAt.slice(11, 16)));
    expect(minutes.size).toBeGreaterThan(20);
  });

  it('follows the cadence of the tier in force when a cycle starts: a silver customer downgraded in May hears basic from July', () => {
    // Prepare
    const program = testProgram({
      cadence: RULEBOOK_CADENCE,
      messages: {},
    });
    const silver = calendarCustomer('S1', 'silver', { tierChanges: [{ at: '2027-05-10T10:00:00+08:00', tier: 'basic' }] });

    // Act
    const calendar = calendarOf(program, [silver]);

    // Assess: silver's January and April quarters, then basic's July half-year.
    const touches = calendar.customers[0]?.touches ?? [];
    expect(touches.map((t) => [t.tier, t.wantedAt.slice(0, 7)])).toEqual([
      ['silver', expect.stringMatching(/^2027-0[1-2]$/)],
      ['silver', expect.stringMatching(/^2027-0[4-5]$/)],
      ['basic', expect.stringMatching(/^2027-(0[7-9])$/)],
    ]);
  });

  it("uses each tier's cadence message", () => {
    const sms = {
      'zh-CN': '【{{brand}}】{{name}}，专属优惠。回复TD退订',
      'en-US': '{{brand}}: {{name}}, a coupon. Reply STOP to opt out',
    };
    const program = testProgram({
      cadence: { diamond: '2 per month' },
      cadenceTemplates: { diamond: 'diamond-coupon' },
      messages: { 'diamond-coupon': { sms } },
    });

    const calendar = calendarOf(program, [calendarCustomer('D1', 'diamond')], { months: 1 });

    expect(calendar.customers[0]?.touches.map((t) => t.template)).toEqual(['diamond-coupon', 'diamond-coupon']);
  });
});

describe('the program calendar: windows in the customer’s own zone', () => {
  it('keeps an America/New_York customer inside 09:00-20:00 local time across the March and November clock changes', () => {
    // Prepare: a touch every week from March to December 2027 (clocks change on 14 March and 7 November).
    const program = testProgram({ cadence: { gold: '1 per week' }, contactWindow: { start: '09:00', end: '20:00' } });
    const customers = Array.from({ length: 12 }, (_, i) => calendarCustomer(`NY${i}`, 'gold', { timeZone: 'America/New_York' }));

    // Act
    const calendar = calendarOf(program, customers, { from: '2027-03-01', months: 10 });

    // Assess
    for (const entry of calendar.customers) {
      expect(entry.touches.length).toBeGreaterThanOrEqual(43);
      for (const touch of entry.touches) {
        const local = DateTime.fromISO(touch.sendAt, { zone: 'America/New_York' });
        expect(local.hour * 60 + local.minute).toBeGreaterThanOrEqual(9 * 60);
        expect(local.hour * 60 + local.minute).toBeLessThan(20 * 60);
        const summer = touch.sendAt.slice(0, 10) > '2027-03-14' && touch.sendAt.slice(0, 10) < '2027-11-07';
        expect(touch.sendAt.endsWith(summer ? '-04:00' : '-05:00')).toBe(true);
        expect(touch.sendAt.slice(11, 16)).toBe(local.toFormat('HH:mm'));
      }
    }
  });

  it('sends inside the contact window and never in quiet hours', () => {
    const program = testProgram({
      cadence: { gold: '1 per week' },
      contactWindow: { start: '10:00', end: '16:00' },
      quietHours: [{ start: '10:30', end: '14:00' }],
    });
    const customers = Array.from({ length: 20 }, (_, i) => calendarCustomer(`G${i}`, 'gold'));

    const calendar = calendarOf(program, customers, { months: 3 });

    const clocks = calendar.customers.flatMap((c) => c.touches.map((t) => localClock(t.sendAt, 'Asia/Shanghai').slice(11)));
    expect(clocks.length).toBeGreaterThan(20 * 12);
    for (const clock of clocks) expect((clock >= '10:00' && clock < '10:30') || (clock >= '14:00' && clock < '16:00')).toBe(true);
  });

  it('sends nothing on blackout days: the touches wanted on them go out on the next open day', () => {
    const blackout = Array.from({ length: 14 }, (_, i) => `2027-02-${String(i + 1).padStart(2, '0')}`);
    const program = testProgram({ cadence: { gold: '1 per month' }, blackoutDates: blackout });
    const customers = Array.from({ length: 40 }, (_, i) => calendarCustomer(`G${i}`, 'gold'));

    const calendar = calendarOf(program, customers, { from: '2027-02-01', months: 1 });

    const days = calendar.customers.map((c) => c.touches[0]?.sendAt.slice(0, 10) ?? '');
    expect(days.every((day) => day >= '2027-02-15')).toBe(true);
    expect(days.filter((day) => day === '2027-02-15').length).toBeGreaterThan(10);
  });

  it('sends on working days only when configured, and on the make-up working days (调休)', () => {
    const makeUp = ['2027-02-20', '2027-02-27'];
    const program = testProgram({
      cadence: { gold: '1 per week' },
      calendar: { workingDaysOnly: true, makeUpWorkdays: makeUp },
    });
    const customers = Array.from({ length: 30 }, (_, i) => calendarCustomer(`G${i}`, 'gold'));

    // From a Friday: the weekly touches are wanted Friday to Sunday.
    const calendar = calendarOf(program, customers, { from: '2027-02-19', months: 1 });

    const days = calendar.customers.flatMap((c) => c.touches.map((t) => DateTime.fromISO(t.sendAt, { zone: 'Asia/Shanghai' })));
    for (const day of days) expect(day.weekday <= 5 || makeUp.includes(day.toISODate() ?? '')).toBe(true);
    expect(days.some((day) => makeUp.includes(day.toISODate() ?? ''))).toBe(true);
  });

  it('says why a customer with no reachable channel gets nothing, touch by touch', () => {
    const program = testProgram({ cadence: { gold: '1 per month' } });

    const calendar = calendarOf(program, [calendarCustomer('G1', 'gold', { phone: null, email: null })], { months: 3 });

    expect(calendar.customers[0]).toMatchObject({ touches: [], skip: expect.stringContaining('no sms address') });
    expect(calendar.skipped.map((s) => s.why)).toEqual(['unreachable', 'unreachable', 'unreachable']);
  });
});
