import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENTS, segmentationSchema } from '../../../functions/core/schemas.js';
import { segmentationOf, segmentOf, tierCutoffsOf, tierOf } from '../../../functions/core/segmentation.js';
import { CUTOFFS, campaignOf, customerOf, NOW } from '../../support/fixtures.js';

const rules = segmentationSchema.parse({});
const now = new Date(NOW);

describe('tierCutoffsOf', () => {
  it('puts the top spenders making the first 20% of revenue in diamond and those up to 50% in gold', () => {
    // Prepare: total 2000; 400 is the first 20%, 400 + 300 + 300 reach 50%
    const spends = [100, 300, 200, 400, 100, 200, 300, 200, 100, 100];

    // Act
    const cutoffs = tierCutoffsOf(spends, rules);

    // Assess
    expect(cutoffs).toEqual({ diamondMinSpend: 400, goldMinSpend: 300 });
  });

  it('puts every customer tied at a cut-off in the higher tier', () => {
    // 20% of 1000 is reached by the first 300 alone; the second 300 ties with it
    const cutoffs = tierCutoffsOf([300, 300, 200, 200], rules);
    const tied = customerOf({ spend12m: 300 });

    expect(cutoffs.diamondMinSpend).toBe(300);
    expect(tierOf(tied, cutoffs, rules)).toBe('diamond');
  });

  it('makes nobody diamond or gold when nobody spent anything', () => {
    const cutoffs = tierCutoffsOf([0, 0, 0], rules);

    expect(cutoffs).toEqual({ diamondMinSpend: Number.POSITIVE_INFINITY, goldMinSpend: Number.POSITIVE_INFINITY });
  });

  it('follows a configured diamond revenue share', () => {
    const cutoffs = tierCutoffsOf([400, 300, 300, 200, 200, 200, 100, 100, 100, 100], { ...rules, diamondRevenueShare: 0.35 });

    expect(cutoffs.diamondMinSpend).toBe(300);
  });
});

describe('tierOf', () => {
  it.each([
    [5000, 1, 'diamond'],
    [9000, 0, 'diamond'],
    [2000, 1, 'gold'],
    [4999, 1, 'gold'],
    [1999, 2, 'silver'],
    [1999, 1, 'basic'],
    [0, 0, 'basic'],
  ] as const)('makes a customer spending %i with %i order(s) %s', (spend12m, orders12m, tier) => {
    expect(tierOf(customerOf({ spend12m, orders12m }), CUTOFFS, rules)).toBe(tier);
  });
});

describe('segmentOf', () => {
  it.each([
    ['churn-warning', 'spend fell by half in the last 3 months', { spendPrev3m: 1000, spendLast3m: 500 }],
    ['churn-warning', 'an unresolved complaint', { openComplaints: 1 }],
    ['lost', 'no purchase for 13 months', { lastPurchaseAt: '2025-11-16T10:00:00+08:00' }],
    ['dormant', 'no purchase for 8 months', { lastPurchaseAt: '2026-04-16T10:00:00+08:00' }],
    ['dormant', 'no purchase for exactly 12 months', { lastPurchaseAt: '2025-12-16T10:00:00+08:00' }],
    ['dormant', 'no purchase for exactly 6 months', { lastPurchaseAt: '2026-06-16T10:00:00+08:00' }],
    ['active', 'no purchase for 5 months', { lastPurchaseAt: '2026-07-16T10:00:00+08:00' }],
    ['new', 'a first purchase 2 months ago', { firstPurchaseAt: '2026-10-16T10:00:00+08:00' }],
    ['core', 'exactly 3 years of history', { firstPurchaseAt: '2023-12-16T10:00:00+08:00' }],
    ['potential', 'spend up by 20% in the last 3 months', { spendPrev3m: 300, spendLast3m: 360 }],
    ['active', 'spend up by only 19%', { spendPrev3m: 300, spendLast3m: 357 }],
    ['active', 'spend down by only 49.9%', { spendPrev3m: 1000, spendLast3m: 501 }],
    ['active', 'nothing special', {}],
  ] as const)('puts a customer in %s for %s', (segment, _why, overrides) => {
    // Prepare
    const customer = customerOf(overrides);

    // Act
    const actual = segmentOf(customer, tierOf(customer, CUTOFFS, rules), now, rules);

    // Assess
    expect(actual).toBe(segment);
  });

  it('puts a diamond customer in core', () => {
    expect(segmentOf(customerOf({ spend12m: 6000 }), 'diamond', now, rules)).toBe('core');
  });

  describe('precedence', () => {
    it.each([
      ['a churn warning over lost', 'churn-warning', { openComplaints: 2, lastPurchaseAt: '2025-10-01T10:00:00+08:00' }, 'basic'],
      ['a churn warning over core', 'churn-warning', { spendPrev3m: 9000, spendLast3m: 1000 }, 'diamond'],
      [
        'lost over core',
        'lost',
        { firstPurchaseAt: '2020-01-01T10:00:00+08:00', lastPurchaseAt: '2025-10-01T10:00:00+08:00' },
        'gold',
      ],
      ['dormant over core', 'dormant', { lastPurchaseAt: '2026-05-01T10:00:00+08:00' }, 'diamond'],
      ['new over core', 'new', { firstPurchaseAt: '2026-11-01T10:00:00+08:00' }, 'diamond'],
      [
        'core over potential',
        'core',
        { firstPurchaseAt: '2021-01-01T10:00:00+08:00', spendPrev3m: 100, spendLast3m: 500 },
        'gold',
      ],
      ['potential over active', 'potential', { spendPrev3m: 100, spendLast3m: 500 }, 'silver'],
    ] as const)('ranks %s', (_what, segment, overrides, tier) => {
      expect(segmentOf(customerOf(overrides), tier, now, rules)).toBe(segment);
    });
  });

  it('follows configured thresholds', () => {
    const customer = customerOf({ spendPrev3m: 1000, spendLast3m: 700 });

    expect(segmentOf(customer, 'silver', now, { ...rules, churnDropShare: 0.3 })).toBe('churn-warning');
    expect(segmentOf(customer, 'silver', now, rules)).toBe('active');
  });
});

describe('segmentationOf', () => {
  it.each([
    { segment: 'churn-warning', overrides: { openComplaints: 1 }, priority: 'high', deadline: '2026-12-18T10:00:00+08:00' },
    { segment: 'core', overrides: { spend12m: 6000 }, priority: 'high', deadline: '2026-12-23T10:00:00+08:00' },
    {
      segment: 'potential',
      overrides: { spendPrev3m: 100, spendLast3m: 200 },
      priority: 'medium',
      deadline: '2026-12-31T10:00:00+08:00',
    },
    {
      segment: 'new',
      overrides: { firstPurchaseAt: '2026-11-01T10:00:00+08:00' },
      priority: 'medium',
      deadline: '2026-12-31T10:00:00+08:00',
    },
    { segment: 'active', overrides: {}, priority: 'medium', deadline: '2026-12-31T10:00:00+08:00' },
    {
      segment: 'dormant',
      overrides: { lastPurchaseAt: '2026-03-01T10:00:00+08:00' },
      priority: 'low',
      deadline: '2027-01-15T10:00:00+08:00',
    },
    {
      segment: 'lost',
      overrides: { lastPurchaseAt: '2025-01-01T10:00:00+08:00' },
      priority: 'low',
      deadline: '2027-01-15T10:00:00+08:00',
    },
  ] as const)('gives $segment $priority priority and a deadline of $deadline', ({ segment, overrides, priority, deadline }) => {
    // Act
    const result = segmentationOf(customerOf(overrides), campaignOf(), CUTOFFS, now);

    // Assess
    expect(result).toMatchObject({
      segment,
      priority,
      deadline,
      accountManagerTask: DEFAULT_SEGMENTS[segment].accountManagerTask,
    });
  });

  it("states the deadline in the customer's own time zone", () => {
    const result = segmentationOf(customerOf({ openComplaints: 1, timeZone: 'America/New_York' }), campaignOf(), CUTOFFS, now);

    expect(result.deadline).toBe('2026-12-17T21:00:00-05:00');
  });

  it('counts a 48 h deadline in real hours across a daylight-saving change', () => {
    // 12:00 EST on 13 March 2027; clocks go forward on the 14th
    const result = segmentationOf(
      customerOf({ openComplaints: 1, timeZone: 'America/New_York' }),
      campaignOf(),
      CUTOFFS,
      new Date('2027-03-13T17:00:00Z'),
    );

    expect(result.deadline).toBe('2027-03-15T13:00:00-04:00');
  });

  it("uses the campaign's configured completion time", () => {
    const campaign = campaignOf({
      segments: { ...DEFAULT_SEGMENTS, 'churn-warning': { ...DEFAULT_SEGMENTS['churn-warning'], completeWithinHours: 24 } },
    });

    const result = segmentationOf(customerOf({ openComplaints: 1 }), campaign, CUTOFFS, now);

    expect(result.deadline).toBe('2026-12-17T10:00:00+08:00');
  });
});
