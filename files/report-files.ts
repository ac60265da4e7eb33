import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignRepository } from '../functions/core/ports/index.js';
import { type CampaignReport, reportCsvFiles } from '../functions/core/report.js';
import { campaignReportOf } from '../functions/core/use-cases/report.js';
import { renderReportHtml } from '../functions/report/html.js';

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
  const { report } = await campaignReportOf(repo, campaignId, generatedAt);
  await mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {
    'report.html': renderReportHtml(report),
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    ...reportCsvFiles(report),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
  return { report, files: Object.keys(files) };
}
