import type { CampaignSummary } from '../local/summary.js';

const pct = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);

/** The human summary printed at the end of `revisit run`. */
export function formatSummary(summary: CampaignSummary, outDir: string, seconds: number): string {
  const rows: [string, string][] = [
    ['customers imported', String(summary.customers)],
    ['rows rejected', `${summary.rejectedRows}  (see rejected.csv)`],
    ['skipped (unreachable)', String(summary.skipped)],
    ['contacted', String(summary.contacted)],
    ['messages', `${summary.messages.sms} SMS (${summary.messages.smsSegments} segments), ${summary.messages.email} e-mail`],
    ['replied', `${summary.replied}  (response rate ${pct(summary.responseRate)})`],
    ['CSAT (share of 4-5)', `${pct(summary.csat)}  from ${summary.csatAnswers} scores`],
    ['NPS', summary.nps === null ? '-' : `${summary.nps}  from ${summary.npsAnswers} answers`],
    ['escalated to managers', String(summary.escalations)],
    [
      'tickets',
      `${summary.tickets.open} open, ${summary.tickets.resolved} resolved, ${summary.tickets.breached} breached an SLA  (A/B/C raised: ${(['A', 'B', 'C'] as const).map((s) => summary.bySeverity[s].open + summary.bySeverity[s].resolved).join('/')})`,
    ],
    ['account-manager tasks', String(summary.accountManagerTasks)],
    ['opted out', String(summary.optOuts)],
    ['no response', String(summary.noResponse)],
    ['failed', String(summary.failed)],
    ['late / duplicate replies', `${summary.replies.late} / ${summary.replies.duplicate}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  const tiers = Object.entries(summary.byTier)
    .map(([tier, t]) => `${tier} ${t.replied}/${t.contacted}/${t.customers}`)
    .join(', ');
  return [
    `Campaign ${summary.campaignId} finished in ${seconds.toFixed(1)} s`,
    ...lines,
    `  by tier (replied/contacted/customers): ${tiers}`,
    `  files: ${outDir}/report.html (open it in a browser), report.json, report-*.csv, summary.json, outbox.jsonl, replies.jsonl, rejected.csv, emails/`,
  ].join('\n');
}
