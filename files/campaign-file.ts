import { type Campaign, campaignSchema } from '../functions/core/schemas.js';
import { templateProblems } from '../functions/core/templates.js';
import { describeIssues } from '../functions/shared/task-handler.js';
import { readSettingsFile } from './settings-file.js';

export class CampaignFileError extends Error {
  override name = 'CampaignFileError';
}

/**
 * A campaign is stored whole in one DynamoDB item (400 KB at most) and the shipped example takes 5 KB:
 * a file, or the campaign a YAML file's aliases expand to, over this is refused.
 */
export const MAX_CAMPAIGN_BYTES = 256 * 1024;

/** The rulebook's defaults, for runs without a campaign file. */
function defaultCampaign(): Campaign {
  return campaignSchema.parse({ id: 'follow-up', name: 'Customer follow-up' });
}

/** Reads a campaign file (JSON or YAML) and validates it, naming every problem by its field. */
export async function loadCampaignFile(file: string | undefined): Promise<Campaign> {
  if (!file) return defaultCampaign();
  const limit = `a campaign file may be at most ${MAX_CAMPAIGN_BYTES / 1024} KB`;
  const { raw } = await readSettingsFile(file, {
    maxBytes: MAX_CAMPAIGN_BYTES,
    limit,
    notValid: (format) => `is not valid ${format}`,
    notASetting: '"__proto__" is not a setting',
    error: (message) => new CampaignFileError(message),
  });
  const parsed = campaignSchema.safeParse(raw);
  if (!parsed.success) throw new CampaignFileError(`${file}: ${describeIssues(parsed.error)}`);
  const expanded = Buffer.byteLength(JSON.stringify(parsed.data));
  if (expanded > MAX_CAMPAIGN_BYTES) {
    throw new CampaignFileError(
      `${file}: the campaign takes ${Math.ceil(expanded / 1024)} KB once its aliases are expanded: ${limit}`,
    );
  }
  const problems = templateProblems(parsed.data);
  if (problems.length > 0) throw new CampaignFileError(`${file}: ${problems.join('; ')}`);
  return parsed.data;
}
