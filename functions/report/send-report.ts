import type { z } from 'zod';
import type { CampaignReport, KpiRow } from '../core/report.js';
import { reportCsvFiles } from '../core/report.js';
import type { Deps } from '../core/use-cases/deps.js';
import { campaignReportOf, type ReportStores, type reportInputSchema } from '../core/use-cases/report.js';
import { escapeHtml } from './escape-html.js';
import { renderReportHtml } from './html.js';

/** A KPI value as people read it: rates in %, NPS in points. */
function shown(row: KpiRow, value: number | null): string {
  if (value === null) return '-';
  return row.key === 'nps' ? value.toFixed(1) : `${(value * 100).toFixed(1)}%`;
}

/** The e-mail body: the KPI table (charts are in the attached report.html; mail clients drop inline SVG). */
export function reportSummaryEmail(report: CampaignReport): { subject: string; text: string; html: string } {
  const rows = report.kpis.map((k) => [
    `${k.label} ${k.labelZh}`,
    shown(k, k.baseline),
    shown(k, k.target),
    shown(k, k.current),
    k.achievement === null ? '-' : `${(k.achievement * 100).toFixed(0)}%`,
  ]);
  const header = ['KPI 指标', 'Baseline 基线', 'Target 目标', 'Current 当前', 'Achievement 达成率'];
  const t = report.tickets;
  const csat = report.kpis.find((k) => k.key === 'csat');
  const subject = `Campaign report 回访报告: ${report.campaign.name} (CSAT ${csat ? shown(csat, csat.current) : '-'}, ${t.open} open tickets)`;
  const text = [
    `${report.campaign.name} (${report.campaign.id}), ${report.generatedAt}`,
    '',
    ...[header, ...rows].map((r) => r.join(' | ')),
    '',
    `Tickets 工单: ${t.raised} raised, ${t.open} open, ${t.resolved} resolved, ${t.breached} breached an SLA`,
    'The full report with charts and the CSV exports are attached. 完整报告（含图表）及 CSV 见附件。',
  ].join('\n');
  const cells = (r: string[], tag: 'th' | 'td') =>
    r.map((c) => `<${tag} style="padding:4px 8px;text-align:left">${escapeHtml(c)}</${tag}>`).join('');
  const html = [
    `<p><b>${escapeHtml(report.campaign.name)}</b> (${escapeHtml(report.campaign.id)}), ${escapeHtml(report.generatedAt)}</p>`,
    `<table style="border-collapse:collapse"><tr>${cells(header, 'th')}</tr>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</table>`,
    `<p>Tickets 工单: ${t.raised} raised, ${t.open} open, ${t.resolved} resolved, ${t.breached} breached an SLA</p>`,
    '<p>The full report with charts and the CSV exports are attached. 完整报告（含图表）及 CSV 见附件。</p>',
  ].join('');
  return { subject, text, html };
}

/**
 * The campaign report in AWS (rulebook section 6): the same report `revisit report` writes, built from the
 * table, e-mailed to the campaign's owner with report.html and the CSV exports attached.
 */
export async function sendCampaignReport(
  deps: Pick<Deps<ReportStores>, 'repo' | 'clock' | 'email'>,
  input: z.infer<typeof reportInputSchema>,
): Promise<{ sentTo: string | null; kpis: KpiRow[] }> {
  const { campaign, report } = await campaignReportOf(deps.repo, input.campaignId, deps.clock.now());
  if (!campaign.owner) return { sentTo: null, kpis: report.kpis };
  const attachments = [
    { fileName: 'report.html', contentType: 'text/html', content: renderReportHtml(report) },
    ...Object.entries(reportCsvFiles(report)).map(([fileName, content]) => ({ fileName, contentType: 'text/csv', content })),
  ];
  await deps.email.sendEmail({
    to: campaign.owner,
    ...reportSummaryEmail(report),
    unsubscribeUrl: null,
    attachments,
    reference: {
      campaignId: campaign.id,
      customerId: '-',
      touch: 0,
      template: 'report',
      timeZone: campaign.defaultTimeZone,
      kind: 'report',
    },
  });
  return { sentTo: campaign.owner, kpis: report.kpis };
}
