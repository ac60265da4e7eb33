import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';

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

/** How one kind of settings file (campaign, program) words its refusals, and the error it throws. */
export interface SettingsFileKind {
  maxBytes: number;
  /** "a campaign file may be at most 256 KB": said when the file is too large. */
  limit: string;
  /** The file is not JSON or YAML: "is not valid YAML". */
  notValid: (format: 'JSON' | 'YAML') => string;
  /** A "__proto__" key: '"__proto__" is not a setting'. */
  notASetting: string;
  error: (message: string) => Error;
}

/**
 * Reads a settings file (JSON or YAML, by its extension) before its schema does: at most `maxBytes`, a
 * byte order mark dropped (Windows Notepad writes one), YAML warnings refused like errors, no "__proto__"
 * key anywhere, and top-level keys starting with "_" dropped as comments (JSON has no other kind).
 * Returns the text (for line numbers) and the value to validate.
 */
export async function readSettingsFile(file: string, kind: SettingsFileKind): Promise<{ text: string; raw: unknown }> {
  const { size } = await stat(file);
  if (size > kind.maxBytes) throw kind.error(`${file} is ${Math.ceil(size / 1024)} KB: ${kind.limit}`);
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const format = /\.ya?ml$/i.test(file) ? 'YAML' : 'JSON';
  let raw: unknown;
  try {
    raw = format === 'YAML' ? readYaml(text) : JSON.parse(text);
  } catch (error) {
    throw kind.error(`${file} ${kind.notValid(format)}: ${(error as Error).message}`);
  }
  const prototypeKey = prototypeKeyIn(raw);
  if (prototypeKey) throw kind.error(`${file}: ${prototypeKey}: ${kind.notASetting}`);
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    raw = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  }
  return { text, raw };
}
