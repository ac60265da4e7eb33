import { describe, expect, it } from 'vitest';
import { type CampaignPlan, type PlannedCustomer, planCampaign } from '../../../functions/core/campaign-plan.js';
import { nextSendTime, type WindowRules } from '../../../functions/core/contact-window.js';
import { type CampaignInput, type Customer, DEFAULT_SEGMENTS, DEFAULT_TIERS, TIERS } from '../../../functions/core/schemas.js';
import { CUTOFFS, campaignOf, customerOf } from '../../support/fixtures.js';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';

/** 09:00 in Shanghai on the first day of the default execution window. */
const OPENING = new Date('2026-12-16T01:00:00Z');

/** Customers reachable by SMS only, so every touch competes for the SMS rate. */
function smsCustomers(count: number, overrides: Parameters<typeof customerOf>[0] = {}): Customer[] {
  return Array.from({ length: count }, (_, i) => customerOf({ id: `C${String(i).padStart(3, '0')}`, email: null, ...overrides }));
}

function plan(customers: readonly Customer[], campaign: Partial<CampaignInput>, now: Date): CampaignPlan {
  return planCampaign(customers, campaignOf(campaign), CUTOFFS, now);
}

function entry(result: CampaignPlan, id: string): PlannedCustomer {
  const found = result.customers.find((c) => c.id === id);
  if (!found) throw new Error(`no plan for ${id}`);
  return found;
}

const firstTouches = (result: CampaignPlan): string[] => result.customers.map((c) => c.touches[0]?.sendAt ?? 'none');

const everyTier = (replyTimeoutHours: number) =>
  Object.fromEntries(TIERS.map((tier) => [tier, { ...DEFAULT_TIERS[tier], replyTimeoutHours }]));

describe('contact windows across daylight-saving changes', () => {
  it.each([
    [
      'clocks go forward (2027-03-14)',
      { start: '2027-03-13', end: '2027-03-16' },
      '2027-03-13T12:00:00Z',
      ['2027-03-13T09:00:00-05:00', '2027-03-14T09:00:00-04:00', '2027-03-15T09:00:00-04:00'],
    ],
    [
      'clocks go back (2026-11-01)',
      { start: '2026-10-31', end: '2026-11-03' },
      '2026-10-31T12:00:00Z',
      ['2026-10-31T09:00:00-04:00', '2026-11-01T09:00:00-05:00', '2026-11-02T09:00:00-05:00'],
    ],
  ])('keeps a 09:00-20:00 window opening at 09:00 New York time on both sides when %s', (_when, execution, now, expected) => {
    // Prepare: a 20-hour reply timeout lands each re-contact before the next morning's opening
    const customers = smsCustomers(1, { timeZone: NEW_YORK });
    const campaign = { execution, maxTouches: 3, tiers: everyTier(20), frequencyCap: { per48h: 3, per7d: 5 } };

    // Act
    const result = plan(customers, campaign, new Date(now));

    // Assess
    expect(entry(result, 'C000').touches.map((t) => t.sendAt)).toEqual(expected);
  });

  const smallHours = (overrides: Partial<WindowRules> & { day: string }): WindowRules => ({
    window: { start: '00:00', end: '23:59' },
    blackoutDates: [],
    execution: { start: overrides.day, end: overrides.day },
    ...overrides,
  });

  it('sends nothing on the day the clocks skip the whole contact window', () => {
    // Prepare: on 2027-03-14 New York goes from 02:00 straight to 03:00, so 02:00-02:45 never happens
    const rules = smallHours({ day: '2027-03-14', window: { start: '02:00', end: '02:45' } });

    // Act
    const at = nextSendTime(new Date('2027-03-14T05:00:00Z'), NEW_YORK, rules);

    // Assess
    expect(at?.toISO() ?? null).toBeNull();
  });

  it('keeps quiet hours that straddle the skipped hour when the clocks go forward', () => {
    // Prepare: quiet 02:30-03:30 local; the wall clock reads 03:00-03:30 EDT inside it
    const rules = smallHours({ day: '2027-03-14', quietHours: [{ start: '02:30', end: '03:30' }] });

    // Act: 07:00Z is 03:00 EDT
    const at = nextSendTime(new Date('2027-03-14T07:00:00Z'), NEW_YORK, rules);

    // Assess
    expect(at?.toISO()).toBe('2027-03-14T03:30:00.000-04:00');
  });

  it('does not send before the window opens during the repeated hour when the clocks go back', () => {
    // Prepare: on 2026-11-01 New York reads 01:00-02:00 twice; the second 01:10 is still before 01:30
    const rules = smallHours({ day: '2026-11-01', window: { start: '01:30', end: '05:00' } });

    // Act: 06:10Z is 01:10 EST, after the first 01:30 (EDT) has passed
    const at = nextSendTime(new Date('2026-11-01T06:10:00Z'), NEW_YORK, rules);

    // Assess
    expect(at?.toISO()).toBe('2026-11-01T01:30:00.000-05:00');
  });

  it('keeps quiet hours during the repeated hour when the clocks go back', () => {
    // Prepare: quiet 01:00-01:30 local, which happens once in EDT and again in EST
    const rules = smallHours({ day: '2026-11-01', quietHours: [{ start: '01:00', end: '01:30' }] });

    // Act: 06:05Z is 01:05 EST
    const at = nextSendTime(new Date('2026-11-01T06:05:00Z'), NEW_YORK, rules);

    // Assess
    expect(at?.toISO()).toBe('2026-11-01T01:30:00.000-05:00');
  });
});

describe('working-day calendar around the Spring Festival', () => {
  it('skips the festival blackout and weekends but sends on the make-up working days', () => {
    // Prepare: window 09:00-09:01 at one SMS per 10 s gives exactly six slots a day; 85 customers need 15 days
    const campaign = {
      execution: { start: '2027-01-29', end: '2027-02-22' },
      contactWindow: { start: '09:00', end: '09:01' },
      blackoutDates: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
      calendar: { workingDaysOnly: true, makeUpWorkdays: ['2027-01-31', '2027-02-20'] },
      sendRates: { smsPerSecond: 0.1, emailPerSecond: 14 },
      maxTouches: 1,
    };
    const customers = smsCustomers(85);

    // Act
    const result = plan(customers, campaign, new Date('2027-01-29T00:00:00Z'));

    // Assess: Sat 01-30 and Sun 02-21 are weekends, Sun 01-31 and Sat 02-20 are make-up days, 02-13/14 a weekend
    const sendDays = [
      '2027-01-29',
      '2027-01-31',
      '2027-02-01',
      '2027-02-02',
      '2027-02-03',
      '2027-02-04',
      '2027-02-05',
      '2027-02-15',
      '2027-02-16',
      '2027-02-17',
      '2027-02-18',
      '2027-02-19',
      '2027-02-20',
      '2027-02-22',
    ];
    expect(result.totals.byDay).toEqual(Object.fromEntries(sendDays.map((day) => [day, 6])));
    expect(entry(result, 'C084').skip).toBe('no contact window left in the campaign');
  });
});

describe('quiet hours', () => {
  const lunchBreak = { quietHours: [{ start: '12:00', end: '13:30' }] };

  it('moves a 12:15 candidate to 13:30 when quiet hours are 12:00-13:30', () => {
    // Prepare: 04:15Z is 12:15 in Shanghai
    const rules: WindowRules = {
      window: { start: '09:00', end: '20:00' },
      ...lunchBreak,
      blackoutDates: [],
      execution: { start: '2026-12-16', end: '2027-01-20' },
    };

    // Act
    const at = nextSendTime(new Date('2026-12-16T04:15:00Z'), SHANGHAI, rules);

    // Assess
    expect(at?.toISO()).toBe('2026-12-16T13:30:00.000+08:00');
  });

  it('plans a customer whose turn comes at 12:15 for 13:30', () => {
    // Act
    const result = plan(smsCustomers(1), lunchBreak, new Date('2026-12-16T04:15:00Z'));

    // Assess
    expect(firstTouches(result)).toEqual(['2026-12-16T13:30:00+08:00']);
  });
});

describe('send rates', () => {
  it('spreads 10 customers who all want 09:00 over 5 distinct seconds at 2 SMS per second', () => {
    // Act
    const result = plan(smsCustomers(10), { sendRates: { smsPerSecond: 2, emailPerSecond: 14 }, maxTouches: 1 }, OPENING);

    // Assess
    const perSecond = new Map<string, number>();
    for (const at of firstTouches(result)) {
      const second = `${at.slice(0, 19)}${at.slice(-6)}`;
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Object.fromEntries(perSecond)).toEqual({
      '2026-12-16T09:00:00+08:00': 2,
      '2026-12-16T09:00:01+08:00': 2,
      '2026-12-16T09:00:02+08:00': 2,
      '2026-12-16T09:00:03+08:00': 2,
      '2026-12-16T09:00:04+08:00': 2,
    });
  });

  it('spaces sends 2 seconds apart at 0.5 SMS per second', () => {
    // Act
    const result = plan(smsCustomers(5), { sendRates: { smsPerSecond: 0.5, emailPerSecond: 14 }, maxTouches: 1 }, OPENING);

    // Assess
    expect(firstTouches(result)).toEqual([
      '2026-12-16T09:00:00+08:00',
      '2026-12-16T09:00:02+08:00',
      '2026-12-16T09:00:04+08:00',
      '2026-12-16T09:00:06+08:00',
      '2026-12-16T09:00:08+08:00',
    ]);
  });
});

describe('first touches a day', () => {
  it('moves the fourth first touch of a day to the next morning when at most 3 a day may start', () => {
    // Act
    const result = plan(
      [...smsCustomers(4), ...smsCustomers(3, { phone: null, email: 'x@example.com' }).map((c) => ({ ...c, id: `E${c.id}` }))],
      { sendRates: { smsPerSecond: 20, emailPerSecond: 14, firstTouchesPerDay: 3 }, maxTouches: 1 },
      OPENING,
    );

    // Assess: both channels count against one cap, and each day fills from its opening
    const days = firstTouches(result).map((at) => at.slice(0, 10));
    expect(days.filter((d) => d === '2026-12-16')).toHaveLength(3);
    expect(days.filter((d) => d === '2026-12-17')).toHaveLength(3);
    expect(days.filter((d) => d === '2026-12-18')).toHaveLength(1);
    expect(firstTouches(result).filter((at) => at.startsWith('2026-12-17'))[0]).toBe('2026-12-17T09:00:00+08:00');
  });

  it('does not count re-contacts against the cap', () => {
    // Act
    const result = plan(
      smsCustomers(2),
      { sendRates: { smsPerSecond: 20, emailPerSecond: 14, firstTouchesPerDay: 2 }, maxTouches: 2, tiers: everyTier(20) },
      OPENING,
    );

    // Assess: both first touches on the first day, both re-contacts the next, nobody pushed further
    expect(result.customers.map((c) => c.touches.map((t) => t.sendAt.slice(0, 10)))).toEqual([
      ['2026-12-16', '2026-12-18'],
      ['2026-12-16', '2026-12-18'],
    ]);
  });
});

describe('the send times the plan reports', () => {
  it('reports sends at 0.7 SMS per second in distinct rate buckets', () => {
    // Prepare: at 0.7/s a bucket is 1429 ms, and 09:00:00 Shanghai lies 1162 ms into one
    const bucketMs = Math.ceil(1000 / 0.7);

    // Act
    const result = plan(smsCustomers(4), { sendRates: { smsPerSecond: 0.7, emailPerSecond: 14 }, maxTouches: 1 }, OPENING);

    // Assess
    const buckets = firstTouches(result).map((at) => Math.floor(Date.parse(at) / bucketMs));
    expect(new Set(buckets).size).toBe(4);
  });

  it("never reports a touch less than 48 hours after the customer's previous touch", () => {
    // Prepare: the previous touch went out half a second after 09:00, two days before the campaign opens
    const previous = Date.parse('2026-12-14T01:00:00.500Z');
    const campaign = campaignOf({ maxTouches: 1 });

    // Act
    const result = planCampaign(smsCustomers(1), campaign, CUTOFFS, OPENING, { history: () => [previous] });

    // Assess
    const sendAt = Date.parse(result.customers[0]?.touches[0]?.sendAt ?? '');
    expect(sendAt - previous).toBeGreaterThanOrEqual(48 * 3600_000);
  });
});

describe('booking order when capacity is short', () => {
  it('books high-priority customers into earlier slots than low-priority ones', () => {
    // Prepare: the low-priority (dormant) ids sort first, so only priority can put the churn warnings ahead
    const dormant = smsCustomers(5, { lastPurchaseAt: '2026-04-01T10:00:00+08:00' }).map((c) => ({ ...c, id: `A${c.id}` }));
    const churning = smsCustomers(5, { openComplaints: 1 }).map((c) => ({ ...c, id: `Z${c.id}` }));

    // Act
    const result = plan(
      [...dormant, ...churning],
      { sendRates: { smsPerSecond: 0.5, emailPerSecond: 14 }, maxTouches: 1 },
      OPENING,
    );

    // Assess
    const high = result.customers.filter((c) => c.priority === 'high');
    const low = result.customers.filter((c) => c.priority === 'low');
    expect(high).toHaveLength(5);
    expect(low).toHaveLength(5);
    const latestHigh = Math.max(...high.map((c) => Date.parse(c.touches[0]?.sendAt ?? '')));
    const earliestLow = Math.min(...low.map((c) => Date.parse(c.touches[0]?.sendAt ?? '')));
    expect(latestHigh).toBeLessThan(earliestLow);
    expect(firstTouches(result).slice(0, 5)).toEqual(high.map((c) => c.touches[0]?.sendAt));
  });

  it('books the customer with the earlier deadline first when two high-priority customers are in different zones', () => {
    // Prepare: Shanghai churn warning due in 48 h (02:00Z + 48 h), Los Angeles core due in 50 h: both can
    // be sent at 02:00Z (10:00 in Shanghai, 18:00 the day before in Los Angeles); one SMS per 500 s
    const churning = customerOf({ id: 'SHA', email: null, openComplaints: 1 });
    const core = customerOf({
      id: 'LAX',
      email: null,
      timeZone: LOS_ANGELES,
      firstPurchaseAt: '2022-01-01T10:00:00-08:00',
    });
    const campaign = {
      execution: { start: '2026-12-10', end: '2027-01-20' },
      contactWindow: { start: '00:00', end: '23:59' },
      segments: { ...DEFAULT_SEGMENTS, core: { ...DEFAULT_SEGMENTS.core, completeWithinHours: 50 } },
      sendRates: { smsPerSecond: 0.002, emailPerSecond: 14 },
      maxTouches: 1,
    };

    // Act
    const result = plan([core, churning], campaign, new Date('2026-12-16T02:00:00Z'));

    // Assess
    expect(entry(result, 'SHA').segment).toBe('churn-warning');
    expect(entry(result, 'LAX').segment).toBe('core');
    expect(Date.parse(entry(result, 'SHA').deadline)).toBeLessThan(Date.parse(entry(result, 'LAX').deadline));
    expect(entry(result, 'SHA').touches[0]?.sendAt).toBe('2026-12-16T10:00:00+08:00');
    expect(Date.parse(entry(result, 'LAX').touches[0]?.sendAt ?? '')).toBeGreaterThan(Date.parse('2026-12-16T02:00:00Z'));
  });

  it('books every first touch before a conditional re-contact takes a slot', () => {
    // Prepare: window 09:00-09:01 at one SMS per 10 s holds six sends a day; seven customers, 24 h reply timeout
    const campaign = {
      contactWindow: { start: '09:00', end: '09:01' },
      sendRates: { smsPerSecond: 0.1, emailPerSecond: 14 },
      maxTouches: 2,
      tiers: everyTier(24),
      frequencyCap: { per48h: 2, per7d: 3 },
    };

    // Act
    const result = plan(smsCustomers(7), campaign, OPENING);

    // Assess: the seventh first touch takes the first slot of day two, not a slot after six speculative re-contacts
    expect(entry(result, 'C006').touches[0]?.sendAt).toBe('2026-12-17T09:00:00+08:00');
  });
});

describe('deadline misses', () => {
  it('reports by how many hours churn warnings miss their 48-hour deadline when 500 wait for one SMS per 500 s', () => {
    // Prepare: at one send per 500 s a 09:00-20:00 day holds about 80 first touches, far fewer than 500
    const churning = smsCustomers(500, { openComplaints: 1 });

    // Act
    const result = plan(churning, { sendRates: { smsPerSecond: 0.002, emailPerSecond: 14 }, maxTouches: 1 }, OPENING);

    // Assess
    expect(result.customers.every((c) => c.segment === 'churn-warning' && c.deadline === '2026-12-18T09:00:00+08:00')).toBe(true);
    const sends = result.customers.map((c) => Date.parse(c.touches[0]?.sendAt ?? '')).sort((a, b) => a - b);
    for (let i = 1; i < sends.length; i++)
      expect((sends[i] as number) - (sends[i - 1] as number)).toBeGreaterThanOrEqual(500_000);
    const deadline = Date.parse('2026-12-18T09:00:00+08:00');
    const late = result.customers.filter((c) => Date.parse(c.touches[0]?.sendAt ?? '') > deadline);
    expect(late.length).toBeGreaterThan(300);
    expect(result.totals.deadlineMisses).toBe(late.length);
    for (const customer of result.customers) {
      const missMs = Date.parse(customer.touches[0]?.sendAt ?? '') - deadline;
      expect(customer.deadlineMissedByHours).toBe(missMs > 0 ? Math.round((missMs / 3_600_000) * 10) / 10 : null);
    }
    expect(result.totals.worstDeadlineMissHours).toBe(Math.max(...late.map((c) => c.deadlineMissedByHours ?? 0)));
  });
});

describe('the plan of a first touch', () => {
  it("gives a churn warning an account-manager task at the first touch, to the customer's manager", () => {
    // Act
    const result = plan(smsCustomers(1, { openComplaints: 1 }), {}, OPENING);

    // Assess
    const planned = entry(result, 'C000');
    expect(planned.accountManagerTask).toEqual({ to: 'li.na@example.com', sendAt: planned.touches[0]?.sendAt });
    expect(planned.touches[0]?.sendAt).toBe('2026-12-16T09:00:00+08:00');
  });
});
