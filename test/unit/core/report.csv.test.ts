import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildReport, reportCsvFiles } from '../../../functions/core/report.js';
import { dataset } from '../../support/report-dataset.js';

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
