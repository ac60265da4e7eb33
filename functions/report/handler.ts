import type { Deps } from '../core/use-cases/deps.js';
import { reportInputSchema } from '../core/use-cases/report.js';
import { taskHandler } from '../shared/task-handler.js';
import { sendCampaignReport } from './send-report.js';

/** Invoked with {"campaignId": "..."} (by hand, or on a schedule): builds the report and e-mails it to the owner. */
export const buildReportHandler = (deps: Pick<Deps, 'repo' | 'clock' | 'email'>) =>
  taskHandler('Report', reportInputSchema, (input) => sendCampaignReport(deps, input));
