import { describe, expect, it } from 'vitest';
import { calendarCustomer, calendarOf, purchase, testProgram } from '../../../support/programs.js';

describe('the program calendar: triggers', () => {
  it('follows a purchase up 3, 7, 30 and 90 days later, each step with its own message', () => {
    // Prepare
    const sms = { 'zh-CN': '【{{brand}}】{{name}}您好。回复TD退订', 'en-US': '{{brand}}: Hi {{name}}. Reply STOP to opt out' };
    const program = testProgram({
      triggers: [{ on: 'purchase', after: ['3d', '7d', '30d', '90d'], templates: ['p3', 'p7', 'p30', 'p90'] }],
      messages: { p3: { sms }, p7: { sms }, p30: { sms }, p90: { sms } },
    });
    const customer = calendarCustomer('C1', 'gold');

    // Act
    const calendar = calendarOf(program, [customer], { events: [purchase('E1', 'C1', '2027-03-01T10:30:00+08:00')] });

    // Assess
    expect(calendar.customers[0]?.touches.map((t) => [t.sendAt, t.trigger, t.template])).toEqual([
      ['2027-03-04T10:30:00+08:00', 'purchase+3d', 'p3'],
      ['2027-03-08T10:30:00+08:00', 'purchase+7d', 'p7'],
      ['2027-03-31T10:30:00+08:00', 'purchase+30d', 'p30'],
      ['2027-05-30T10:30:00+08:00', 'purchase+90d', 'p90'],
    ]);
    expect(calendar.events).toEqual({ used: 1, duplicates: 0, unknownCustomer: 0, noTrigger: 0 });
  });

  it('places a step due outside the window at the next open minute, in the customer’s zone', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'] }] });

    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold', { timeZone: 'America/New_York' })], {
      events: [purchase('E1', 'C1', '2027-03-01T22:15:00-05:00')],
    });

    expect(calendar.customers[0]?.touches.map((t) => t.sendAt)).toEqual(['2027-03-05T09:00:00-05:00']);
  });

  it('counts a re-delivered event once, and reports events of unknown customers and without a trigger', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'] }] });
    const events = [
      purchase('E1', 'C1', '2027-03-01T10:00:00+08:00'),
      purchase('E1', 'C1', '2027-03-01T10:00:00+08:00'),
      purchase('E2', 'NOBODY', '2027-03-01T10:00:00+08:00'),
      { id: 'E3', customerId: 'C1', type: 'contract-end' as const, at: '2027-04-01T10:00:00+08:00' },
    ];

    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], { events });

    expect(calendar.customers[0]?.touches).toHaveLength(1);
    expect(calendar.events).toEqual({ used: 1, duplicates: 1, unknownCustomer: 1, noTrigger: 1 });
  });

  it('keeps the steps of a purchase before the period that fall inside it, and none after its end', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d', '7d', '30d', '90d'] }] });

    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], {
      from: '2027-01-01',
      months: 2,
      events: [purchase('E1', 'C1', '2026-12-28T10:00:00+08:00')],
    });

    expect(calendar.customers[0]?.touches.map((t) => t.trigger)).toEqual(['purchase+7d', 'purchase+30d']);
  });

  it('limits a trigger to the tiers it names, by the tier at the event', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'], tiers: ['diamond'] }] });
    const events = [purchase('E1', 'D1', '2027-03-01T10:00:00+08:00'), purchase('E2', 'B1', '2027-03-01T10:00:00+08:00')];

    const calendar = calendarOf(program, [calendarCustomer('D1', 'diamond'), calendarCustomer('B1', 'basic')], { events });

    expect(calendar.customers.map((c) => c.touches.length)).toEqual([1, 0]);
  });
});

describe('the program calendar: the frequency cap arbitrates', () => {
  it('moves the later of two touches wanted within 48 hours to the next allowed slot, and says so', () => {
    // Prepare: two purchases a day apart, each followed up 3 days later.
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'] }] });
    const events = [purchase('E1', 'C1', '2027-03-01T10:00:00+08:00'), purchase('E2', 'C1', '2027-03-02T10:00:00+08:00')];

    // Act
    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], { events });

    // Assess
    expect(calendar.customers[0]?.touches.map((t) => t.sendAt)).toEqual([
      '2027-03-04T10:00:00+08:00',
      '2027-03-06T10:00:00+08:00',
    ]);
    expect(calendar.deferrals).toEqual([
      {
        customerId: 'C1',
        trigger: 'purchase+3d',
        from: '2027-03-05T10:00:00+08:00',
        to: '2027-03-06T10:00:00+08:00',
        why: 'cap-48h',
        reason: 'frequency cap: at most 1 touch(es) in 48 hours / 频次上限：48 小时内至多 1 次',
      },
    ]);
  });

  it('moves a cadence touch that comes after a purchase follow-up, not the follow-up', () => {
    const program = testProgram({ cadence: { gold: '1 per month' }, triggers: [{ on: 'purchase', after: ['3d'] }] });
    const plain = calendarOf(program, [calendarCustomer('C1', 'gold')], { months: 1 });
    const checkIn = plain.customers[0]?.touches[0]?.sendAt ?? '';
    const purchaseAt = new Date(Date.parse(checkIn) - 3 * 86_400_000 - 3_600_000).toISOString();

    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], {
      months: 1,
      events: [purchase('E1', 'C1', purchaseAt)],
    });

    expect(calendar.customers[0]?.touches.map((t) => t.trigger)).toEqual(['purchase+3d', 'cadence']);
    expect(calendar.deferrals.map((d) => [d.trigger, d.from, d.why])).toEqual([['cadence', checkIn, 'cap-48h']]);
  });

  it('skips, with its reason, a step the cap would push past the next step', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['1d', '2d', '3d'] }] });

    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], {
      events: [purchase('E1', 'C1', '2027-03-01T10:00:00+08:00')],
    });

    expect(calendar.customers[0]?.touches.map((t) => t.trigger)).toEqual(['purchase+1d', 'purchase+3d']);
    expect(calendar.skipped).toEqual([
      {
        customerId: 'C1',
        trigger: 'purchase+2d',
        tier: 'gold',
        wantedAt: '2027-03-03T10:00:00+08:00',
        before: '2027-03-04T10:00:00+08:00',
        why: 'cap-before-next-cycle',
        reason: expect.stringContaining('frequency cap leaves no slot before the next cycle'),
        key: 'purchase#0:E1+2d',
      },
    ]);
  });

  it('skips the cadence touches the 7-day cap leaves no room for before their next cycle', () => {
    // Prepare: 4 a week wanted, at most 3 in 7 days allowed (and 1 in 48 hours).
    const program = testProgram({ cadence: { gold: '4 per week' } });

    // Act
    const calendar = calendarOf(program, [calendarCustomer('C1', 'gold')], { from: '2027-02-01', months: 1 });

    // Assess: every touch placed is within the cap, and every want is placed or skipped with a reason.
    const sent = calendar.customers[0]?.touches.map((t) => Date.parse(t.sendAt)) ?? [];
    for (const [i, at] of sent.entries()) if (i > 0) expect(at - (sent[i - 1] ?? 0)).toBeGreaterThanOrEqual(48 * 3_600_000);
    expect(sent.length + calendar.skipped.length).toBe(4 * 4);
    expect(calendar.skipped.length).toBeGreaterThan(0);
    expect(new Set(calendar.skipped.map((s) => s.why))).toEqual(new Set(['cap-before-next-cycle']));
  });

  it('counts the touches the customer already has against the cap', () => {
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'] }] });
    const customer = calendarCustomer('C1', 'gold');

    const calendar = calendarOf(program, [customer], { events: [purchase('E1', 'C1', '2027-03-01T10:00:00+08:00')] });
    const withHistory = calendarOf(program, [customer], {
      events: [purchase('E1', 'C1', '2027-03-01T10:00:00+08:00')],
      history: [Date.parse('2027-03-03T15:00:00+08:00')],
    });

    expect(calendar.customers[0]?.touches[0]?.sendAt).toBe('2027-03-04T10:00:00+08:00');
    expect(withHistory.customers[0]?.touches[0]?.sendAt).toBe('2027-03-05T15:00:00+08:00');
  });
});
