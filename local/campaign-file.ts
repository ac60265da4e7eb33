import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { type Campaign, campaignSchema } from '../functions/core/schemas.js';
import { templateProblems } from '../functions/core/templates.js';
import { describeIssues } from '../functions/shared/task-handler.js';

export class CampaignFileError extends Error {
  override name = 'CampaignFileError';
}

/** The rulebook's defaults, for runs without a campaign file. */
export function defaultCampaign(): Campaign {
  return campaignSchema.parse({ id: 'follow-up', name: 'Customer follow-up' });
}

/** Reads a campaign file (JSON or YAML) and validates it, naming every problem by its field. */
export async function loadCampaignFile(file: string | undefined): Promise<Campaign> {
  if (!file) return defaultCampaign();
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CampaignFileError(`${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  // Keys starting with "_" are comments (JSON has no other kind).
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    raw = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  }
  const parsed = campaignSchema.safeParse(raw);
  if (!parsed.success) throw new CampaignFileError(`${file}: ${describeIssues(parsed.error)}`);
  const problems = templateProblems(parsed.data);
  if (problems.length > 0) throw new CampaignFileError(`${file}: ${problems.join('; ')}`);
  return parsed.data;
}
