import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignRepository } from '../functions/core/ports.js';
import { buildReport, type CampaignReport, reportCsvFiles } from '../functions/core/report.js';
import { renderReportHtml } from '../functions/core/report-html.js';

/**
 * Writes the campaign report from the table (the records are the truth): `report.html` (self-contained,
 * charts as inline SVG), `report.json` and the CSV exports, into `outDir`.
 */
export async function writeReport(
  repo: CampaignRepository,
  campaignId: string,
  outDir: string,
  generatedAt: Date,
): Promise<{ report: CampaignReport; files: string[] }> {
  const record = await repo.getCampaign(campaignId);
  if (!record) throw new Error(`campaign ${campaignId} is not in this data folder`);
  const [lifecycles, touches, replies, escalations, tickets] = await Promise.all([
    repo.listLifecycles(campaignId),
    repo.listTouches(campaignId),
    repo.listReplies(campaignId),
    repo.listEscalations(campaignId),
    repo.listTickets(campaignId),
  ]);
  const report = buildReport({ campaign: record.campaign, lifecycles, touches, replies, escalations, tickets, generatedAt });
  await mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {
    'report.html': renderReportHtml(report),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    ...reportCsvFiles(report),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
  return { report, files: Object.keys(files) };
}
