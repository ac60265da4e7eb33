import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { type Campaign, campaignSchema } from '../functions/core/schemas.js';
import { templateProblems } from '../functions/core/templates.js';
import { describeIssues } from '../functions/shared/task-handler.js';

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

/**
 * The path of the first "__proto__" key anywhere in a parsed file, or null. JSON.parse and yaml make it
 * an ordinary key, but zod passes over it silently, so a file could carry it unnoticed. Walked without
 * recursion: the nesting is the file's to choose.
 */
export function prototypeKeyIn(value: unknown): string | null {
  interface Node {
    value: unknown;
    key: string;
    parent: Node | null;
  }
  const stack: Node[] = [{ value, key: '', parent: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.value !== 'object' || node.value === null) continue;
    for (const [key, child] of Object.entries(node.value)) {
      const childNode: Node = { value: child, key, parent: node };
      if (key !== '__proto__') {
        stack.push(childNode);
        continue;
      }
      const path: string[] = [];
      for (let at: Node | null = childNode; at?.parent; at = at.parent) path.push(at.key);
      return path.reverse().join('.');
    }
  }
  return null;
}

/**
 * The value of a YAML text. What yaml only warns about (an unknown tag such as !!js/function, an
 * ambiguous alias) is refused like an error: a setting must not be read differently than it was meant,
 * and the warnings would otherwise go to stderr without naming the file.
 */
export function readYaml(text: string): unknown {
  const document = parseDocument(text, { logLevel: 'error' });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw problem;
  return document.toJS();
}

/** Reads a campaign file (JSON or YAML) and validates it, naming every problem by its field. */
export async function loadCampaignFile(file: string | undefined): Promise<Campaign> {
  if (!file) return defaultCampaign();
  const limit = `a campaign file may be at most ${MAX_CAMPAIGN_BYTES / 1024} KB`;
  const { size } = await stat(file);
  if (size > MAX_CAMPAIGN_BYTES) throw new CampaignFileError(`${file} is ${Math.ceil(size / 1024)} KB: ${limit}`);
  // A byte order mark (Windows Notepad writes one) is no part of the JSON.
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const yaml = /\.ya?ml$/i.test(file);
  let raw: unknown;
  try {
    raw = yaml ? readYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new CampaignFileError(`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const prototypeKey = prototypeKeyIn(raw);
  if (prototypeKey) throw new CampaignFileError(`${file}: ${prototypeKey}: "__proto__" is not a setting`);
  // Keys starting with "_" are comments (JSON has no other kind).
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    raw = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  }
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
