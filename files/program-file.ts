import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { type Program, programSchema, programTemplateProblems } from '../functions/core/programs/schema.js';
import { describeIssues } from '../functions/shared/task-handler.js';
import { readSettingsFile } from './settings-file.js';

export class ProgramFileError extends Error {
  override name = 'ProgramFileError';
}

/** A program holds a few dozen messages at most: the shipped example takes 8 KB. */
export const MAX_PROGRAM_BYTES = 256 * 1024;

/**
 * The line (1-based) where the value at `path` starts in a YAML or JSON text (JSON is read as YAML for
 * this, which it is), or of its nearest parent that exists: a missing field is reported on its object.
 */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number | null {
  const lineCounter = new LineCounter();
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { lineCounter, logLevel: 'silent' });
  } catch {
    return null;
  }
  let node: unknown = document.contents;
  let found = node as Node | null;
  for (const key of path) {
    if (isMap(node)) {
      // The line of the key, where a reader looks for a field (a block value starts on the next line).
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      found = isScalar(pair.key) ? pair.key : found;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.get(Number(key), true);
      if (!node) break;
      found = node as Node;
    } else break;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? null : lineCounter.linePos(offset).line;
}

/** Every problem of a program file, each with the line it is on, never quoting a value. */
function describeWithLines(text: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      // An unknown field is on its own line, not its object's.
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
      const line = lineOfPath(text, path);
      const where = line === null ? '' : `line ${line} / 第 ${line} 行: `;
      return `${where}${describeIssues(new z.ZodError([issue]))}`;
    })
    .join('; ');
}

/**
 * Reads a program file (JSON or YAML) as a campaign file is read: at most 256 KB, a byte order mark
 * dropped, YAML warnings refused like errors, no "__proto__" key, "_" keys as comments in JSON; then
 * validated, unknown fields refused, every problem named by its field and its line.
 */
export async function loadProgramFile(file: string): Promise<Program> {
  const limit = `a program file may be at most ${MAX_PROGRAM_BYTES / 1024} KB / 方案文件至多 ${MAX_PROGRAM_BYTES / 1024} KB`;
  const { text, raw } = await readSettingsFile(file, {
    maxBytes: MAX_PROGRAM_BYTES,
    limit,
    notValid: (format) => `is not valid ${format} / 不是有效的 ${format}`,
    notASetting: '"__proto__" is not a setting / 不是设置项',
    error: (message) => new ProgramFileError(message),
  });
  const parsed = programSchema.safeParse(raw);
  if (!parsed.success) throw new ProgramFileError(`${file}: ${describeWithLines(text, parsed.error)}`);
  const expanded = Buffer.byteLength(JSON.stringify(parsed.data));
  if (expanded > MAX_PROGRAM_BYTES) {
    throw new ProgramFileError(
      `${file}: the program takes ${Math.ceil(expanded / 1024)} KB once its aliases are expanded: ${limit}`,
    );
  }
  const problems = programTemplateProblems(parsed.data);
  if (problems.length > 0) {
    const withLines = problems.map((problem) => {
      const path = (problem.split(':')[0] ?? '').split('.');
      const line = lineOfPath(text, path);
      return line === null ? problem : `line ${line} / 第 ${line} 行: ${problem}`;
    });
    throw new ProgramFileError(`${file}: ${withLines.join('; ')}`);
  }
  return parsed.data;
}
