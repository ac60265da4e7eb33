import { describe, expect, it } from 'vitest';
import { campaignSchema, DEFAULT_SEGMENTS, DEFAULT_TIERS, SEGMENTS, TIERS } from '../../../functions/core/schemas.js';
import { CAMPAIGN_ID } from '../../support/fixtures.js';

describe('rulebook section 1: value tiers', () => {
  it.each([
    { tier: 'diamond', cadence: { touches: 2, per: 'month' }, unansweredTouches: 2, noResponseRule: 'account-manager-task' },
    { tier: 'gold', cadence: { touches: 1, per: 'month' }, unansweredTouches: 1, noResponseRule: 'sms-care-follow-up' },
    { tier: 'silver', cadence: { touches: 1, per: 'quarter' }, unansweredTouches: 2, noResponseRule: 'downgrade-to-basic' },
    { tier: 'basic', cadence: { touches: 1, per: 'half-year' }, unansweredTouches: 1, noResponseRule: 'stop' },
  ] as const)(
    'gives $tier a cadence of $cadence.touches per $cadence.per, a 48 h reply timeout and $noResponseRule after $unansweredTouches unanswered touch(es)',
    ({ tier, cadence, unansweredTouches, noResponseRule }) => {
      // Act
      const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'defaults' });

      // Assess
      const expected = { cadence, replyTimeoutHours: 48, unansweredTouches, noResponseRule };
      expect(DEFAULT_TIERS[tier]).toEqual(expected);
      expect(campaign.tiers[tier]).toEqual(expected);
    },
  );

  it('has a default for every tier and no others', () => {
    expect(Object.keys(DEFAULT_TIERS).sort()).toEqual([...TIERS].sort());
  });

  it('lets a campaign configure a tier rule', () => {
    // Prepare
    const tiers = { ...DEFAULT_TIERS, gold: { ...DEFAULT_TIERS.gold, replyTimeoutHours: 72 } };

    // Act
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'custom', tiers });

    // Assess
    expect(campaign.tiers.gold.replyTimeoutHours).toBe(72);
    expect(campaign.tiers.diamond.replyTimeoutHours).toBe(48);
  });

  it('refuses a reply timeout that is not a positive number of hours', () => {
    const tiers = { ...DEFAULT_TIERS, basic: { ...DEFAULT_TIERS.basic, replyTimeoutHours: 0 } };

    const parsed = campaignSchema.safeParse({ id: CAMPAIGN_ID, name: 'bad', tiers });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['tiers', 'basic', 'replyTimeoutHours']);
  });
});

describe('rulebook section 1: cadence as data', () => {
  it.each([
    ['2 per month', { touches: 2, per: 'month' }],
    ['1 per quarter', { touches: 1, per: 'quarter' }],
    ['1 per half-year', { touches: 1, per: 'half-year' }],
    ['  3 per week ', { touches: 3, per: 'week' }],
    ['0 per year', { touches: 0, per: 'year' }],
  ] as const)('reads the text "%s" as %o', (text, expected) => {
    // Act
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'text', tiers: { gold: { cadence: text } } });

    // Assess
    expect(campaign.tiers.gold.cadence).toEqual(expected);
  });

  it('takes the object form and keeps the other fields of the tier at their defaults', () => {
    const campaign = campaignSchema.parse({
      id: CAMPAIGN_ID,
      name: 'object',
      tiers: { silver: { cadence: { touches: 2, per: 'quarter' } } },
    });

    expect(campaign.tiers.silver).toEqual({ ...DEFAULT_TIERS.silver, cadence: { touches: 2, per: 'quarter' } });
    expect(campaign.tiers.diamond).toEqual(DEFAULT_TIERS.diamond);
  });

  it('reads a parsed campaign again unchanged (the stored campaign is parsed on every read)', () => {
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'round trip', tiers: { gold: { cadence: '3 per month' } } });

    expect(campaignSchema.parse(JSON.parse(JSON.stringify(campaign)))).toEqual(campaign);
  });

  it.each([
    'banana',
    'twice a month',
    '2 per fortnight',
    '2 PER MONTH',
    '2.5 per month',
    '-1 per month',
    '',
    42,
    { touches: 2 },
    { touches: 2, per: 'month', every: 3 },
    { touches: 1.5, per: 'month' },
    { touches: 32, per: 'month' },
  ])('refuses the cadence %o, naming the field and the accepted forms', (cadence) => {
    // Act
    const parsed = campaignSchema.safeParse({ id: CAMPAIGN_ID, name: 'bad', tiers: { diamond: { cadence } } });

    // Assess
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path.slice(0, 3)).toEqual(['tiers', 'diamond', 'cadence']);
    if (typeof cadence === 'string' || typeof cadence === 'number') {
      expect(issue?.message).toContain('"N per PERIOD"');
      expect(issue?.message).toContain('week, month, quarter, half-year, year');
      expect(issue?.message).toContain('周期');
    }
  });
});

describe('rulebook section 1: lifecycle segments', () => {
  it.each([
    { segment: 'churn-warning', priority: 'high', hours: 48 },
    { segment: 'core', priority: 'high', hours: 7 * 24 },
    { segment: 'potential', priority: 'medium', hours: 15 * 24 },
    { segment: 'new', priority: 'medium', hours: 15 * 24 },
    { segment: 'active', priority: 'medium', hours: 15 * 24 },
    { segment: 'dormant', priority: 'low', hours: 30 * 24 },
    { segment: 'lost', priority: 'low', hours: 30 * 24 },
  ] as const)('gives $segment $priority priority and $hours hours to complete the follow-up', ({ segment, priority, hours }) => {
    // Act
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'defaults' });

    // Assess
    expect(DEFAULT_SEGMENTS[segment]).toMatchObject({ priority, completeWithinHours: hours });
    expect(campaign.segments[segment]).toMatchObject({ priority, completeWithinHours: hours });
  });

  it('has a default for every segment and no others', () => {
    expect(Object.keys(DEFAULT_SEGMENTS).sort()).toEqual([...SEGMENTS].sort());
  });

  it.each([
    { segment: 'core', first: 'email', accountManagerTask: true },
    { segment: 'churn-warning', first: 'sms', accountManagerTask: true },
    { segment: 'potential', first: 'email', accountManagerTask: false },
    { segment: 'new', first: 'sms', accountManagerTask: false },
    { segment: 'dormant', first: 'sms', accountManagerTask: false },
    { segment: 'lost', first: 'sms', accountManagerTask: false },
  ] as const)(
    'contacts $segment first by $first, with an account-manager task: $accountManagerTask',
    ({ segment, first, accountManagerTask }) => {
      const rule = DEFAULT_SEGMENTS[segment];

      expect(rule.channels[0]).toBe(first);
      expect([...rule.channels].sort()).toEqual(['email', 'sms']);
      expect(rule.accountManagerTask).toBe(accountManagerTask);
    },
  );
});

describe('campaign defaults', () => {
  it('takes the rulebook defaults for everything a campaign does not set', () => {
    // Act
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'defaults' });

    // Assess
    expect(campaign).toMatchObject({
      defaultLocale: 'zh-CN',
      defaultTimeZone: 'Asia/Shanghai',
      defaultRegion: 'CN',
      contactWindow: { start: '09:00', end: '20:00' },
      execution: { start: '2026-12-16', end: '2027-01-20' },
      frequencyCap: { per48h: 1, per7d: 3 },
      blackoutDates: [],
    });
  });

  it.each([
    ['churnDropShare', 0.5],
    ['potentialGrowthShare', 0.2],
    ['newWithinMonths', 6],
    ['coreYears', 3],
    ['dormantAfterMonths', 6],
    ['lostAfterMonths', 12],
    ['diamondRevenueShare', 0.2],
  ] as const)('sets segmentation rule %s to %s by default', (rule, value) => {
    const campaign = campaignSchema.parse({ id: CAMPAIGN_ID, name: 'defaults' });

    expect(campaign.segmentation[rule]).toBe(value);
  });

  it.each([
    ['a contact window not in 24-hour HH:MM', { contactWindow: { start: '9am', end: '20:00' } }, 'contactWindow'],
    ['a campaign id with a slash', { id: 'spring/2027' }, 'id'],
    ['a blackout day that is not a date', { blackoutDates: ['Spring Festival'] }, 'blackoutDates'],
    ['a frequency cap of zero', { frequencyCap: { per48h: 0, per7d: 3 } }, 'frequencyCap'],
  ])('refuses %s', (_what, overrides, field) => {
    const parsed = campaignSchema.safeParse({ id: CAMPAIGN_ID, name: 'bad', ...overrides });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe('rulebook section 3: the survey', () => {
  const question = (i: number) => ({ id: `q${i}`, type: 'rating', label: { 'zh-CN': `问题${i}` } });

  it('asks CSAT by SMS and has no extra questions by default', () => {
    expect(campaignSchema.parse({ id: CAMPAIGN_ID, name: 'defaults' }).survey).toEqual({ smsAsks: 'csat', questions: [] });
  });

  it('takes up to 9 extra questions: 15 in all with the 6 of its own', () => {
    const survey = campaignSchema.parse({
      id: CAMPAIGN_ID,
      name: 'x',
      survey: { questions: [...Array(9).keys()].map(question) },
    }).survey;

    expect(survey.questions).toHaveLength(9);
    expect(survey.questions[0]).toEqual({ id: 'q0', type: 'rating', label: { 'zh-CN': '问题0' }, required: false });
  });

  it.each([
    ['a tenth extra question', { questions: [...Array(10).keys()].map(question) }, 'at most 9 extra questions'],
    ['two questions with one id', { questions: [question(1), question(1)] }, 'every question needs its own id'],
    ['a question id with capitals', { questions: [{ ...question(1), id: 'Delivery' }] }, 'question id'],
    ['a question without a label', { questions: [{ ...question(1), label: {} }] }, 'zh-CN, en-US or both'],
    [
      'a choice with one option',
      { questions: [{ ...question(1), type: 'choice', options: [{ 'en-US': 'only' }] }] },
      'Too small',
    ],
    ['an SMS asking for something else', { smsAsks: 'ces' }, 'csat'],
  ])('refuses %s', (_what, survey, message) => {
    const parsed = campaignSchema.safeParse({ id: CAMPAIGN_ID, name: 'x', survey });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('\n')).toContain(message);
  });
});
