import { describe, expect, it } from 'vitest';
import { achievementOf, buildReport, type GroupMetrics } from '../../../functions/core/report.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, sentTouchOf } from '../../support/fixtures.js';
import { at, dataset, inputOf } from '../../support/report-dataset.js';

const COUNTS = ['planned', 'contacted', 'reached', 'responded', 'csatAnswers', 'npsAnswers', 'optOuts'] as const;
const RATES = ['followUpRate', 'reachRate', 'responseRate', 'csat', 'nps', 'optOutRate'] as const;

describe('buildReport', () => {
  it('counts the planned, contacted, reached and responded customers by the rulebook definitions', () => {
    // Prepare
    const input = dataset();

    // Act
    const { totals } = buildReport(input);

    // Assess: 9 of 10 touched, S2's released touch and B2 (no touch) are not contacted; G1's claimed one is.
    expect(totals).toMatchObject({ planned: 10, contacted: 8, followUpRate: 0.8 });
    // G1 has no message id: contacted but not reached.
    expect(totals).toMatchObject({ reached: 7, reachRate: 0.875 });
    // D1, G2 (47 h, no deadline) and S1 (exactly at the deadline) in time; D2 and S3 (49 h) late.
    expect(totals).toMatchObject({ responded: 3, responseRate: 0.375 });
  });

  it("leaves a fix's confirmation out of the follow-up measures", () => {
    const lifecycles = [lifecycleOf({ customerId: 'X' })];
    const touches = [sentTouchOf({ customerId: 'X', touch: 2, asks: 'confirm', channel: 'email', repliedAt: at(1) })];

    const report = buildReport(inputOf({ lifecycles, touches }));

    expect(report.totals).toMatchObject({ contacted: 0, responded: 0 });
    expect(report.byChannel.find((g) => g.key === 'none')).toMatchObject({ planned: 1 });
  });

  it('counts CSAT as the share of 4-5 answers and NPS as promoters minus detractors', () => {
    const { totals } = buildReport(dataset());

    // CSAT 5, 2, 4: two of three. NPS 10, 3, 8: (1 - 1) / 3.
    expect(totals).toMatchObject({ csat: 0.6667, csatAnswers: 3, nps: 0, npsAnswers: 3 });
  });

  it('gives NPS to one decimal', () => {
    const lifecycles = [10, 10, 6].map((nps, i) => lifecycleOf({ customerId: `N${i}`, nps }));

    const { totals } = buildReport(inputOf({ lifecycles }));

    expect(totals.nps).toBe(33.3);
    expect(totals.csat).toBeNull();
  });

  it('counts non-duplicate opt-out replies against the contacted customers', () => {
    const { totals } = buildReport(dataset());

    expect(totals).toMatchObject({ optOuts: 1, optOutRate: 0.125 });
  });

  it('notes that reach is measured by message ids, not delivery receipts', () => {
    const report = buildReport(dataset());

    expect(report.notes.join('\n')).toMatch(/no delivery receipts/);
  });

  it('gives null rates, not zeros, when their denominator is 0', () => {
    const report = buildReport(inputOf());

    for (const rate of RATES) expect(report.totals[rate]).toBeNull();
    expect(report.totals.planned).toBe(0);
    expect(report.tickets).toMatchObject({ raised: 0, resolutionRate: null, slaBreachRate: null });
    expect(report.kpis.every((k) => k.current === null && k.achievement === null)).toBe(true);
  });

  it('leaves the rates of a group without customers null', () => {
    const lifecycles = [lifecycleOf({ customerId: 'X', tier: 'gold' })];

    const report = buildReport(inputOf({ lifecycles }));

    expect(report.byTier.find((g) => g.key === 'diamond')).toMatchObject({ planned: 0, followUpRate: null, csat: null });
    expect(report.byTier.find((g) => g.key === 'gold')).toMatchObject({
      planned: 1,
      contacted: 0,
      followUpRate: 0,
      reachRate: null,
    });
  });

  it.each([
    ['byTier', ['diamond', 'gold', 'silver', 'basic']],
    ['bySegment', ['churn-warning', 'core', 'potential', 'new', 'active', 'dormant', 'lost']],
    ['byChannel', ['sms', 'email', 'none']],
  ] as const)('adds %s up to the totals', (breakdown, keys) => {
    const report = buildReport(dataset());

    const rows = report[breakdown];

    expect(rows.map((r) => r.key)).toEqual(keys);
    for (const count of COUNTS) {
      expect(
        rows.reduce((sum, r) => sum + r[count], 0),
        count,
      ).toBe(report.totals[count]);
    }
  });

  it('computes each group with the same definitions as the totals', () => {
    const report = buildReport(dataset());

    expect(report.byTier.find((g) => g.key === 'diamond')).toEqual<GroupMetrics & { key: string }>({
      key: 'diamond',
      planned: 2,
      contacted: 2,
      followUpRate: 1,
      reached: 2,
      reachRate: 1,
      responded: 1,
      responseRate: 0.5,
      csat: 0.5,
      csatAnswers: 2,
      nps: 0,
      npsAnswers: 2,
      optOuts: 0,
      optOutRate: 0,
    });
  });

  it("files a customer under the channel of the first touch, and the never-touched under 'none'", () => {
    const report = buildReport(dataset());
    const planned = Object.fromEntries(report.byChannel.map((g) => [g.key, g.planned]));

    // D2's first touch was an e-mail even though its record came second; B2 was never touched.
    expect(planned).toEqual({ sms: 5, email: 4, none: 1 });
  });

  it('counts tickets by status, category and severity', () => {
    const { tickets } = buildReport(dataset());

    expect(tickets).toMatchObject({ raised: 4, open: 2, resolved: 2, breached: 2, resolutionRate: 0.5, slaBreachRate: 0.5 });
    expect(tickets.byCategory).toEqual({
      'product-quality': 0,
      service: 1,
      price: 0,
      'contract-dispute': 1,
      logistics: 1,
      uncategorised: 1,
    });
    expect(tickets.bySeverity.A).toMatchObject({ raised: 1, open: 1, resolved: 0, breached: 1 });
    expect(tickets.bySeverity.B).toMatchObject({ raised: 2, open: 0, resolved: 2, breached: 1 });
    expect(tickets.bySeverity.C).toMatchObject({ raised: 1, open: 1, resolved: 0, breached: 0 });
    expect(tickets.bySeverity.B.byStatus).toEqual({ open: 0, acknowledged: 0, resolved: 1, closed: 1, reopened: 0 });
  });

  it('counts no-response lifecycles by tier, sent escalations and account-manager tasks', () => {
    const report = buildReport(dataset());

    expect(report.noResponse).toEqual({ total: 2, byTier: { diamond: 0, gold: 0, silver: 0, basic: 2 } });
    expect(report.escalations).toBe(1);
    expect(report.accountManagerTasks).toBe(1);
  });

  it('names the campaign and the time of the report', () => {
    const report = buildReport(dataset());

    expect(report.campaign).toEqual({ id: CAMPAIGN_ID, name: '新春回访 2027' });
    expect(report.generatedAt).toBe('2027-01-21T00:00:00.000Z');
  });

  it("shows each KPI's baseline, target, current value and achievement from the campaign's kpis", () => {
    const report = buildReport(dataset());

    expect(report.kpis.map((k) => k.key)).toEqual([
      'followUpRate',
      'reachRate',
      'responseRate',
      'csat',
      'nps',
      'resolutionRate',
      'slaBreachRate',
      'optOutRate',
    ]);
    const kpi = Object.fromEntries(report.kpis.map((k) => [k.key, k]));
    expect(kpi.responseRate).toMatchObject({
      label: 'Response rate',
      labelZh: '回复率',
      baseline: 0.35,
      target: 0.5,
      current: 0.375,
      achievement: 0.75,
      better: 'higher',
    });
    expect(kpi.csat).toMatchObject({ baseline: 0.8, target: 0.92, current: 0.6667, achievement: 0.7247 });
    // NPS target 30, current 0.
    expect(kpi.nps).toMatchObject({ target: 30, current: 0, achievement: 0 });
    expect(kpi.resolutionRate).toMatchObject({ target: 0.95, current: 0.5, achievement: 0.5263 });
    // Lower is better: a target of 0 that is missed achieves nothing.
    expect(kpi.slaBreachRate).toMatchObject({ target: 0, current: 0.5, achievement: 0, better: 'lower' });
    // Opt-outs 12.5% against at most 2%: 0.02 / 0.125.
    expect(kpi.optOutRate).toMatchObject({ target: 0.02, current: 0.125, achievement: 0.16, better: 'lower' });
  });

  it("takes the campaign's own baselines and targets", () => {
    const campaign = campaignOf({ kpis: { followUpRate: { baseline: 0.7, target: 0.9 } } });

    const report = buildReport({ ...dataset(), campaign });

    expect(report.kpis[0]).toMatchObject({ key: 'followUpRate', baseline: 0.7, target: 0.9, current: 0.8, achievement: 0.8889 });
  });
});

describe('achievementOf', () => {
  it.each([
    [0.46, 0.92, 'higher', 0.5],
    [1.1, 1, 'higher', 1.1],
    [null, 0.5, 'higher', null],
    [0.5, null, 'higher', null],
    [0.5, 0, 'higher', null],
    [12, -10, 'higher', null],
    [0.01, 0.02, 'lower', 1],
    [0.02, 0.02, 'lower', 1],
    [0.04, 0.02, 'lower', 0.5],
    [0.03, 0.02, 'lower', 0.6667],
    [0, 0, 'lower', 1],
    [0.1, 0, 'lower', 0],
    [null, 0.02, 'lower', null],
  ] as const)('gives %s against %s (%s is better) an achievement of %s', (current, target, better, expected) => {
    expect(achievementOf(current, target, better)).toBe(expected);
  });
});
