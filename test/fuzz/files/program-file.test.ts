import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadProgramFile, ProgramFileError } from '../../../files/program-file.js';

/*
 * Program files, generated two ways: the shipped example with one setting replaced by any JSON value
 * (at any depth, "__proto__" included), and the example's YAML text damaged byte by byte. Whatever the
 * file, loadProgramFile returns a program or throws a ProgramFileError naming the file; never another
 * exception, nothing reaches Object.prototype, and a problem found by the schema names its line.
 */

const SEED = 20_270_101;
const EXAMPLE_TEXT = readFileSync(new URL('../../../examples/program.yaml', import.meta.url), 'utf8');
const EXAMPLE = parseYaml(EXAMPLE_TEXT) as Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'revisit-program-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function write(text: string, extension: 'json' | 'yaml'): string {
  const file = join(dir, `program-${++files}.${extension}`);
  writeFileSync(file, text);
  return file;
}

async function expectProgramOrClearError(file: string): Promise<string | null> {
  const outcome = await loadProgramFile(file).then(
    () => null,
    (error: unknown) => error,
  );
  expect(Object.keys(Object.prototype)).toEqual([]);
  if (outcome === null) return null;
  expect(outcome).toBeInstanceOf(ProgramFileError);
  const message = (outcome as Error).message;
  expect(message.startsWith(file)).toBe(true);
  return message;
}

const PATHS: string[][] = [
  ['cadence', 'gold'],
  ['cadence', 'basic'],
  ['cadence'],
  ['triggers', '0', 'after'],
  ['triggers', '0', 'on'],
  ['triggers', '0', 'templates', '1'],
  ['cadenceTemplates', 'silver'],
  ['messages', 'purchase-arrived', 'sms', 'zh-CN'],
  ['frequencyCap', 'per48h'],
  ['tiers', 'silver', 'cadence'],
  ['calendar', 'makeUpWorkdays'],
  ['__proto__'],
  ['id'],
];

function withValue(path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(EXAMPLE) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path.at(-1) ?? '';
  if (last === '__proto__') Object.defineProperty(at, last, { value, enumerable: true, configurable: true, writable: true });
  else at[last] = value;
  return copy;
}

describe('program files, generated', () => {
  it('refuse any value in any setting with a ProgramFileError, or read it, in JSON and YAML', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 }), fc.boolean(), async (path, value, json) => {
        const doc = withValue(path, value);
        const file = json ? write(JSON.stringify(doc), 'json') : write(stringifyYaml(doc), 'yaml');

        const message = await expectProgramOrClearError(file);

        if (message && !message.includes('__proto__') && !message.includes('not valid'))
          expect(message).toMatch(/line \d+ \/ 第 \d+ 行: /);
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it('refuse the example damaged byte by byte with a ProgramFileError, or read it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(EXAMPLE_TEXT.length - 1), text: fc.string({ maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (edits) => {
          let text = EXAMPLE_TEXT;
          for (const edit of edits) text = text.slice(0, edit.at) + edit.text + text.slice(edit.at + 1);

          await expectProgramOrClearError(write(text, 'yaml'));
        },
      ),
      { numRuns: 100, seed: SEED },
    );
  });
});
