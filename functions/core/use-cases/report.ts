import { z } from 'zod';
import type { CampaignStore } from '../ports/index.js';
import { buildReport } from '../report.js';
import { type CampaignRecordStores, listCampaignRecords, loadCampaign } from './load.js';

export type ReportStores = CampaignStore & CampaignRecordStores;

export const reportInputSchema = z.object({ campaignId: z.string().min(1) });

/** The campaign report (rulebook section 6), built from the table: the records are the truth. */
export async function campaignReportOf(repo: ReportStores, campaignId: string, generatedAt: Date) {
  const { campaign } = await loadCampaign(repo, campaignId);
  const records = await listCampaignRecords(repo, campaignId);
  return { campaign, report: buildReport({ campaign, ...records, generatedAt }) };
}
