import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type {
  EscalationRecord,
  LifecycleRecord,
  ReplyRecord,
  TicketRecord,
  TouchRecord,
} from '../../../functions/core/records.js';
import {
  achievementOf,
  buildReport,
  type CampaignReport,
  type GroupMetrics,
  type ReportInput,
  reportCsvFiles,
} from '../../../functions/core/report.js';
import { renderReportHtml } from '../../../functions/report/html.js';
import { CAMPAIGN_ID, campaignOf, HOUR_MS, lifecycleOf, NOW, sentTouchOf } from '../../support/fixtures.js';

const GENERATED_AT = new Date('2027-01-21T00:00:00.000Z');
const at = (hoursAfterNow: number): string => new Date(Date.parse(NOW) + hoursAfterNow * HOUR_MS).toISOString();

function inputOf(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    campaign: campaignOf(),
    lifecycles: [],
    touches: [],
    replies: [],
    escalations: [],
    tickets: [],
    generatedAt: GENERATED_AT,
    ...overrides,
  };
}

function replyOf(overrides: Partial<ReplyRecord> = {}): ReplyRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    replyId: 'r-1',
    channel: 'sms',
    receivedAt: at(1),
    kind: 'optout',
    value: 'TD',
    touch: 1,
    late: false,
    duplicate: false,
    resumed: true,
    ...overrides,
  };
}

function ticketOf(overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    severity: 'B',
    category: 'service',
    reason: 'low CSAT (2/5)',
    owner: 'li.na@example.com',
    chain: ['li.na@example.com'],
    level: 0,
    status: 'open',
    createdAt: at(2),
    respondBy: at(26),
    acknowledgedAt: null,
    resolvedAt: null,
    closedAt: null,
    breached: false,
    climbs: [],
    confirmation: null,
    reopened: 0,
    replyText: null,
    score: null,
    ...overrides,
  };
}

function escalationOf(overrides: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    kind: 'escalation',
    owner: 'li.na@example.com',
    reason: 'low CSAT (2/5)',
    status: 'sent',
    messageId: 'ses-1',
    createdAt: at(2),
    ...overrides,
  };
}

/**
 * Ten customers covering every definition:
 * - D1 diamond/core, sms, replied in time, CSAT 5, NPS 10
 * - D2 diamond/churn-warning, email then sms, replied after the deadline, CSAT 2, NPS 3
 * - G1 gold/active, sms claimed (possibly sent, no message id), no reply
 * - G2 gold/active, email, replied in time without a reply deadline (48 h rule), opted out
 * - S1 silver/potential, sms, replied exactly at the deadline, CSAT 4, NPS 8
 * - S2 silver/new, only a released touch (not contacted), skipped
 * - B1 basic/dormant, sms, no reply (no-response)
 * - B2 basic/lost, never touched
 * - B3 basic/lost, email, no reply (no-response), a duplicate opt-out
 * - S3 silver/active, email, replied 49 h after the send with no deadline
 */
function dataset(): ReportInput {
  const lifecycles: LifecycleRecord[] = [
    lifecycleOf({ customerId: 'D1', tier: 'diamond', segment: 'core', csat: 5, nps: 10, status: 'replied', outcome: 'replied' }),
    lifecycleOf({ customerId: 'D2', tier: 'diamond', segment: 'churn-warning', csat: 2, nps: 3, status: 'escalated' }),
    lifecycleOf({ customerId: 'G1', tier: 'gold', segment: 'active', status: 'contacted' }),
    lifecycleOf({ customerId: 'G2', tier: 'gold', segment: 'active', status: 'opted-out', outcome: 'opted-out' }),
    lifecycleOf({ customerId: 'S1', tier: 'silver', segment: 'potential', csat: 4, nps: 8, status: 'replied' }),
    lifecycleOf({ customerId: 'S2', tier: 'silver', segment: 'new', status: 'skipped', skip: 'frequency cap' }),
    lifecycleOf({ customerId: 'B1', tier: 'basic', segment: 'dormant', status: 'no-response', outcome: 'no-response' }),
    lifecycleOf({ customerId: 'B2', tier: 'basic', segment: 'lost' }),
    lifecycleOf({ customerId: 'B3', tier: 'basic', segment: 'lost', status: 'no-response', outcome: 'no-response' }),
    lifecycleOf({ customerId: 'S3', tier: 'silver', segment: 'active', status: 'replied', outcome: 'replied' }),
  ];
  const touches: TouchRecord[] = [
    sentTouchOf({ customerId: 'D1', status: 'replied', repliedAt: at(3) }),
    sentTouchOf({ customerId: 'D2', touch: 2, channel: 'sms', sentAt: at(50), replyDeadline: at(98), messageId: 'm-d2-2' }),
    sentTouchOf({ customerId: 'D2', channel: 'email', status: 'replied', repliedAt: at(49), messageId: 'm-d2-1' }),
    sentTouchOf({ customerId: 'G1', status: 'claimed', sentAt: null, messageId: null, replyDeadline: null }),
    sentTouchOf({ customerId: 'G2', channel: 'email', replyDeadline: null, status: 'replied', repliedAt: at(47) }),
    sentTouchOf({ customerId: 'S1', status: 'replied', repliedAt: at(48) }),
    sentTouchOf({ customerId: 'S2', status: 'released', sentAt: null, messageId: null, replyDeadline: null }),
    sentTouchOf({ customerId: 'B1', status: 'unanswered' }),
    sentTouchOf({ customerId: 'B3', channel: 'email', status: 'unanswered' }),
    sentTouchOf({ customerId: 'S3', channel: 'email', replyDeadline: null, status: 'replied', repliedAt: at(49) }),
  ];
  const replies: ReplyRecord[] = [
    replyOf({ customerId: 'G2', replyId: 'r-g2', channel: 'email' }),
    replyOf({ customerId: 'B3', replyId: 'r-b3', duplicate: true }),
    replyOf({ customerId: 'D1', replyId: 'r-d1', kind: 'score', value: 5 }),
  ];
  const tickets: TicketRecord[] = [
    ticketOf({ customerId: 'D2', severity: 'A', category: 'contract-dispute', status: 'open', breached: true }),
    ticketOf({ customerId: 'D2', severity: 'B', category: 'logistics', status: 'resolved' }),
    ticketOf({ customerId: 'S1', severity: 'B', category: null, status: 'closed', breached: true }),
    ticketOf({ customerId: 'B1', severity: 'C', category: 'service', status: 'reopened' }),
  ];
  const escalations: EscalationRecord[] = [
    escalationOf({ customerId: 'D2' }),
    escalationOf({ customerId: 'D1', kind: 'account-manager-task', touch: 0 }),
    escalationOf({ customerId: 'S1', status: 'claimed', messageId: null }),
  ];
  return inputOf({ lifecycles, touches, replies, tickets, escalations });
}

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

function csvRows(text: string | undefined): Record<string, string>[] {
  expect(text).toBeDefined();
  return parse(text ?? '', { columns: true });
}

describe('reportCsvFiles', () => {
  const report = buildReport(dataset());
  const files = reportCsvFiles(report);

  it('writes the five report files', () => {
    expect(Object.keys(files).sort()).toEqual([
      'report-by-channel.csv',
      'report-by-segment.csv',
      'report-by-tier.csv',
      'report-kpis.csv',
      'report-tickets.csv',
    ]);
  });

  it('writes one row per tier and a total row, with empty cells for missing rates', () => {
    const text = files['report-by-tier.csv'] ?? '';
    const rows = csvRows(text);

    expect(text.split('\n')[0]).toBe(
      'tier,planned,contacted,followUpRate,reached,reachRate,responded,responseRate,csat,csatAnswers,nps,npsAnswers,optOuts,optOutRate',
    );
    expect(rows.map((r) => r.tier)).toEqual(['diamond', 'gold', 'silver', 'basic', 'total']);
    expect(rows[0]).toMatchObject({ planned: '2', responseRate: '0.5', csat: '0.5', nps: '0' });
    // Gold has no CSAT answers.
    expect(rows[1]).toMatchObject({ csat: '', csatAnswers: '0' });
    expect(rows[4]).toMatchObject({ planned: '10', contacted: '8', followUpRate: '0.8' });
  });

  it('writes the segment and channel breakdowns with their totals', () => {
    expect(csvRows(files['report-by-segment.csv']).map((r) => r.segment)).toEqual([
      'churn-warning',
      'core',
      'potential',
      'new',
      'active',
      'dormant',
      'lost',
      'total',
    ]);
    expect(csvRows(files['report-by-channel.csv']).map((r) => [r.channel, r.planned])).toEqual([
      ['sms', '5'],
      ['email', '4'],
      ['none', '1'],
      ['total', '10'],
    ]);
  });

  it('writes the KPIs with both labels, quoting what needs it', () => {
    const rows = csvRows(files['report-kpis.csv']);

    expect(Object.keys(rows[0] ?? {})).toEqual([
      'key',
      'label',
      'labelZh',
      'better',
      'baseline',
      'target',
      'current',
      'achievement',
    ]);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.key === 'followUpRate')).toMatchObject({ labelZh: '回访率', baseline: '', target: '1' });
    expect(rows.find((r) => r.key === 'optOutRate')).toMatchObject({ better: 'lower', current: '0.125', achievement: '0.16' });
  });

  it('writes tickets by severity and status', () => {
    const rows = csvRows(files['report-tickets.csv']);

    expect(Object.keys(rows[0] ?? {})).toEqual([
      'severity',
      'raised',
      'open',
      'acknowledged',
      'resolved',
      'closed',
      'reopened',
      'breached',
    ]);
    expect(rows).toEqual([
      { severity: 'A', raised: '1', open: '1', acknowledged: '0', resolved: '0', closed: '0', reopened: '0', breached: '1' },
      { severity: 'B', raised: '2', open: '0', acknowledged: '0', resolved: '1', closed: '1', reopened: '0', breached: '1' },
      { severity: 'C', raised: '1', open: '0', acknowledged: '0', resolved: '0', closed: '0', reopened: '1', breached: '0' },
      { severity: 'total', raised: '4', open: '1', acknowledged: '0', resolved: '1', closed: '1', reopened: '1', breached: '2' },
    ]);
  });
});

describe('renderReportHtml', () => {
  const hostile = `<script>alert("x")</script> & <img src=x onerror=alert(1)> 'Q1'`;
  const report: CampaignReport = buildReport({ ...dataset(), campaign: campaignOf({ name: hostile }) });
  const html = renderReportHtml(report);

  it('escapes the campaign name', () => {
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &#39;Q1&#39;',
    );
  });

  it('is one page without scripts or URLs, locked down by its content security policy', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('draws one inline SVG per figure, each labelled for screen readers', () => {
    const figures = html.match(/<figure>/g) ?? [];
    const svgs = html.match(/<svg\b[^>]*>/g) ?? [];

    // KPIs, rates and NPS for tier, segment and channel, tickets by category and by severity.
    expect(figures).toHaveLength(9);
    expect(svgs).toHaveLength(9);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-label="[^"]+"/);
    expect(html.match(/<figcaption>/g)).toHaveLength(9);
  });

  it('quotes every attribute of the charts well: no attribute value closed by a quote inside it', () => {
    const charts = (html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? []).join('\n');

    // A font name in double quotes inside style="..." ends the attribute early: the text loses its
    // style, and the SVG is not well-formed XML. An attribute is followed by a space, / or >.
    expect(charts).toContain('font-family:');
    expect(charts).not.toMatch(/\w="[^"]*"[^\s/>]/);
  });

  it('carries every number in tables with captions and scoped headers', () => {
    expect(html.match(/<caption>/g)?.length).toBe(html.match(/<table>/g)?.length);
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('<th scope="row">Response rate 回复率</th>');
    expect(html).toContain('<th scope="row">Diamond 钻石</th>');
  });

  it('keeps headings in order', () => {
    const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));

    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
  });

  it('stays small for a large campaign', () => {
    const big = dataset();
    const lifecycles = Array.from({ length: 5000 }, (_, i) =>
      lifecycleOf({ customerId: `L${i}`, tier: 'basic', segment: 'dormant', csat: (i % 5) + 1, nps: i % 11 }),
    );

    const page = renderReportHtml(buildReport({ ...big, lifecycles: [...big.lifecycles, ...lifecycles] }));

    expect(page.length).toBeLessThan(500_000);
  });
});
