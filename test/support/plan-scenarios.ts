import fc from 'fast-check';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { type CampaignPlan, type PlannedCustomer, planCampaign } from '../../functions/core/campaign-plan.js';
import {
  type Campaign,
  type Channel,
  type Customer,
  campaignSchema,
  customerSchema,
  DEFAULT_SEGMENTS,
  DEFAULT_TIERS,
  SEGMENTS,
  type Segment,
  TIERS,
} from '../../functions/core/schemas.js';
import { tierCutoffsOf } from '../../functions/core/segmentation.js';

/**
 * Generated campaigns and customers for the plan's invariants (test/unit/core/campaign-plan.*.property.test.ts),
 * and the brute-force checks the invariants are recomputed with: luxon and counting, never the scheduling
 * helpers the plan itself uses.
 */

export const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
export const WINDOW_48H = 48 * HOUR_MS;
export const WINDOW_7D = 7 * DAY_MS;
export const RUNS = 150;

/** Both DST hemispheres, a half-hour offset, and zones without DST. */
const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
] as const;

/** Valid numbers in CN, US, AU, IN and FR (the last one has no price of its own). */
const PHONES = ['+8613800138000', '+14155552671', '+61412345678', '+919812345678', '+33612345678'] as const;

/** Days when a zone of the list changes its clocks (the other three never do). */
export const DST_CHANGES = [
  ['America/New_York', '2026-11-01'],
  ['America/New_York', '2027-03-14'],
  ['Europe/London', '2026-10-25'],
  ['Europe/London', '2027-03-28'],
  ['Australia/Sydney', '2026-10-04'],
  ['Australia/Sydney', '2027-04-04'],
] as const;

/** Every zone above changes its clocks between 01:00 and 03:00 local; boundaries from 04:00 on never fall in a DST gap or fold. */
export const AFTER_DST_CHANGES = 4 * 60;
const LAST_MINUTE = 23 * 60 + 59;

interface Period {
  start: number;
  end: number;
}

export const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function periodWithin(from: number, to: number): fc.Arbitrary<Period> {
  return fc
    .integer({ min: from, max: to - 1 })
    .chain((start) => fc.integer({ min: start + 1, max: to }).map((end) => ({ start, end })));
}

function datesFrom(start: string, days: number): string[] {
  const first = DateTime.fromISO(start, { zone: 'UTC' });
  return Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate() ?? '');
}

const isWeekend = (date: string): boolean => DateTime.fromISO(date, { zone: 'UTC' }).weekday >= 6;

const rate = fc.oneof(fc.constantFrom(0.5, 0.7, 1, 2, 2.5, 50), fc.double({ min: 0.5, max: 50, noNaN: true }));

interface Scenario {
  campaign: Campaign;
  customers: Customer[];
  now: Date;
  suppressed: Set<string>;
  history: Map<string, number[]>;
}

interface ScenarioShape {
  /** Earliest minute of the day a window or quiet-hour boundary may take. */
  earliestMinute: number;
  /** Give every segment a random completion deadline instead of the rulebook's. */
  randomDeadlines: boolean;
}

function campaignArbitrary(shape: ScenarioShape): fc.Arbitrary<Campaign> {
  const window = periodWithin(shape.earliestMinute, LAST_MINUTE);
  return fc
    .record({
      window,
      executionStart: fc
        .oneof(
          fc.integer({ min: 0, max: 3 * 365 }).map((d) => DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: d })),
          // Half the campaigns open a few days before a change of clocks in New York, London or Sydney.
          fc
            .tuple(fc.constantFrom(...DST_CHANGES.map(([, date]) => date)), fc.integer({ min: 0, max: 3 }))
            .map(([date, daysBefore]) => DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: daysBefore })),
        )
        .map((day) => day.toISODate() ?? ''),
      executionDays: fc.integer({ min: 1, max: 40 }),
      workingDaysOnly: fc.boolean(),
      per48h: fc.integer({ min: 1, max: 3 }),
      per7d: fc.integer({ min: 1, max: 5 }),
      smsPerSecond: rate,
      emailPerSecond: rate,
      maxTouches: fc.integer({ min: 1, max: 3 }),
      replyTimeoutHours: fc.array(fc.double({ min: 0.5, max: 96, noNaN: true }), {
        minLength: TIERS.length,
        maxLength: TIERS.length,
      }),
      completeWithinHours: fc.array(fc.integer({ min: 1, max: 96 }), { minLength: SEGMENTS.length, maxLength: SEGMENTS.length }),
      defaultTimeZone: fc.constantFrom(...ZONES),
    })
    .chain((base) => {
      const dates = datesFrom(base.executionStart, base.executionDays);
      return fc.record({
        base: fc.constant(base),
        quiet: fc.array(periodWithin(base.window.start, base.window.end), { maxLength: 2 }),
        blackoutDates: fc.subarray(dates, { maxLength: Math.min(8, dates.length) }),
        makeUpWorkdays: fc.subarray(dates.filter(isWeekend)),
      });
    })
    .map(({ base, quiet, blackoutDates, makeUpWorkdays }) =>
      campaignSchema.parse({
        id: 'prop',
        name: 'property campaign',
        defaultTimeZone: base.defaultTimeZone,
        execution: { start: base.executionStart, end: datesFrom(base.executionStart, base.executionDays).at(-1) },
        contactWindow: { start: hhmm(base.window.start), end: hhmm(base.window.end) },
        quietHours: quiet.map((q) => ({ start: hhmm(q.start), end: hhmm(q.end) })),
        blackoutDates,
        calendar: { workingDaysOnly: base.workingDaysOnly, makeUpWorkdays },
        frequencyCap: { per48h: base.per48h, per7d: base.per7d },
        sendRates: { smsPerSecond: base.smsPerSecond, emailPerSecond: base.emailPerSecond },
        maxTouches: base.maxTouches,
        tiers: Object.fromEntries(
          TIERS.map((tier, i) => [tier, { ...DEFAULT_TIERS[tier], replyTimeoutHours: base.replyTimeoutHours[i] }]),
        ),
        segments: shape.randomDeadlines
          ? Object.fromEntries(
              SEGMENTS.map((segment, i) => [
                segment,
                { ...DEFAULT_SEGMENTS[segment], completeWithinHours: base.completeWithinHours[i] },
              ]),
            )
          : DEFAULT_SEGMENTS,
      }),
    );
}

const customerFacts = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  phone: fc.option(fc.constantFrom(...PHONES), { nil: null, freq: 4 }),
  hasEmail: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  smsConsent: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  emailConsent: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  smsSuppressed: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  emailSuppressed: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  locale: fc.constantFrom('zh-CN' as const, 'en-US' as const),
  accountManager: fc.option(fc.constant('am@example.com'), { nil: null }),
  lastPurchaseDaysAgo: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
  firstPurchaseDaysBefore: fc.integer({ min: 0, max: 2000 }),
  orders12m: fc.integer({ min: 0, max: 20 }),
  spend12m: fc.integer({ min: 0, max: 10_000 }),
  spendPrev3m: fc.integer({ min: 0, max: 3000 }),
  spendLast3m: fc.integer({ min: 0, max: 3000 }),
  openComplaints: fc.constantFrom(0, 0, 0, 1),
  /** Earlier touches of any campaign, before `now`. */
  historyAgoMs: fc.array(fc.integer({ min: 1, max: 10 * DAY_MS }), { maxLength: 4 }),
});

export function scenarioArbitrary(shape: ScenarioShape): fc.Arbitrary<Scenario> {
  return campaignArbitrary(shape)
    .chain((campaign) => {
      const executionStart = Date.parse(`${campaign.execution.start}T00:00:00Z`);
      const executionMs = Date.parse(`${campaign.execution.end}T00:00:00Z`) - executionStart + DAY_MS;
      return fc.record({
        campaign: fc.constant(campaign),
        now: fc
          .oneof(
            fc.integer({ min: executionStart - 2 * DAY_MS, max: executionStart + DAY_MS }),
            fc.integer({ min: executionStart - 2 * DAY_MS, max: executionStart + executionMs }),
          )
          .map((ms) => new Date(ms)),
        facts: fc.array(customerFacts, { minLength: 1, maxLength: 14 }),
      });
    })
    .map(({ campaign, now, facts }) => {
      const suppressed = new Set<string>();
      const history = new Map<string, number[]>();
      const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
      const customers = facts.map((f, i) => {
        const id = `C${String(i).padStart(3, '0')}`;
        const email = f.hasEmail ? `c${i}@example.com` : null;
        if (f.phone && f.smsSuppressed) suppressed.add(`sms:${f.phone}`);
        if (email && f.emailSuppressed) suppressed.add(`email:${email}`);
        history.set(
          id,
          f.historyAgoMs.map((ago) => now.getTime() - ago),
        );
        return customerSchema.parse({
          id,
          name: `Customer ${i}`,
          phone: f.phone,
          email,
          locale: f.locale,
          timeZone: f.timeZone,
          accountManager: f.accountManager,
          smsConsent: f.smsConsent,
          emailConsent: f.emailConsent,
          lastPurchaseAt: f.lastPurchaseDaysAgo === null ? null : iso(f.lastPurchaseDaysAgo),
          firstPurchaseAt: f.lastPurchaseDaysAgo === null ? null : iso(f.lastPurchaseDaysAgo + f.firstPurchaseDaysBefore),
          orders12m: f.orders12m,
          spend12m: f.spend12m,
          spendPrev3m: f.spendPrev3m,
          spendLast3m: f.spendLast3m,
          openComplaints: f.openComplaints,
        });
      });
      return { campaign, customers, now, suppressed, history };
    });
}

export const everyDay = scenarioArbitrary({ earliestMinute: AFTER_DST_CHANGES, randomDeadlines: false });

export function planOf(scenario: Scenario): CampaignPlan {
  const { campaign, customers, now, suppressed, history } = scenario;
  const cutoffs = tierCutoffsOf(
    customers.map((c) => c.spend12m),
    campaign.segmentation,
  );
  return planCampaign(customers, campaign, cutoffs, now, {
    isSuppressed: (channel, address) => suppressed.has(`${channel}:${address}`),
    history: (customer) => history.get(customer.id) ?? [],
  });
}

export function customerById(scenario: Scenario, id: string): Customer {
  const customer = scenario.customers.find((c) => c.id === id);
  if (!customer) throw new Error(`the plan invented customer ${id}`);
  return customer;
}

/** The customer's local wall-clock time of a touch, checked to carry the customer's own offset. */
export function localTime(sendAt: string, timeZone: string): DateTime {
  const asWritten = DateTime.fromISO(sendAt, { setZone: true });
  const local = asWritten.setZone(timeZone);
  expect(asWritten.offset, `${sendAt} is written with the offset of ${timeZone}`).toBe(local.offset);
  return local;
}

export const minuteOfDay = (local: DateTime): number =>
  local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;

export const minutesOf = (value: string): number => {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The segment's channels this customer can be reached on, from the raw data and the suppression list. */
export function expectedChannels(scenario: Scenario, customer: Customer, segment: Segment): Channel[] {
  return scenario.campaign.segments[segment].channels.filter((channel) => {
    const address = channel === 'sms' ? customer.phone : customer.email;
    const consent = channel === 'sms' ? customer.smsConsent : customer.emailConsent;
    return address !== null && consent && !scenario.suppressed.has(`${channel}:${address}`);
  });
}

/** Brute force: the most touches in any half-open window [s, s + length) that contains `t`. */
export function busiestWindowHolding(points: readonly number[], t: number, length: number): number {
  // A window holding t can slide right to start at its first point without losing any point.
  return Math.max(
    ...points.filter((p) => p > t - length && p <= t).map((p) => points.filter((q) => q >= p && q < p + length).length),
  );
}

export function sendsByChannel(plan: CampaignPlan): Record<Channel, number[]> {
  const sends: Record<Channel, number[]> = { sms: [], email: [] };
  for (const entry of plan.customers) for (const touch of entry.touches) sends[touch.channel].push(Date.parse(touch.sendAt));
  for (const list of Object.values(sends)) list.sort((a, b) => a - b);
  return sends;
}

/** The rate buckets the scheduler promises: one second, or ceil(1 / rate) seconds under one per second, aligned to the epoch. */
export function bucketOf(perSecond: number): { ms: number; capacity: number } {
  const ms = perSecond >= 1 ? 1000 : Math.ceil(1000 / perSecond);
  return { ms, capacity: Math.max(1, Math.floor((perSecond * ms) / 1000)) };
}

export function touched(plan: CampaignPlan): PlannedCustomer[] {
  return plan.customers.filter((entry) => entry.touches.length > 0);
}
