import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CampaignFileError, loadCampaignFile, MAX_CAMPAIGN_BYTES } from '../../../files/campaign-file.js';

/*
 * Campaign files, generated three ways: any JSON value, the shipped example with one setting changed
 * (deleted, retyped, replaced by hostile text or templates, a key added at any depth, "__proto__"
 * included), and the example's YAML text damaged byte by byte. Whatever the file, loadCampaignFile
 * returns a campaign or throws a CampaignFileError that names the file and, for a bad setting, the
 * setting; never another exception, and nothing reaches Object.prototype.
 */

const SEED = 20_261_216;
const EXAMPLE_TEXT = readFileSync(new URL('../../../examples/spring-festival-2027.yaml', import.meta.url), 'utf8');
const EXAMPLE: unknown = parseYaml(EXAMPLE_TEXT);

const dir = mkdtempSync(join(tmpdir(), 'revisit-campaign-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function write(text: string, extension: 'json' | 'yaml'): string {
  const file = join(dir, `campaign-${++files}.${extension}`);
  writeFileSync(file, text);
  return file;
}

type Outcome = { campaign: true } | { error: unknown };

async function load(file: string): Promise<Outcome> {
  return loadCampaignFile(file).then(
    () => ({ campaign: true }) as const,
    (error: unknown) => ({ error }),
  );
}

/** The checks every outcome must pass: a campaign, or a CampaignFileError about this file, short and without stack junk. */
function expectCampaignOrClearError(outcome: Outcome, file: string): string | null {
  expect(Object.keys(Object.prototype)).toEqual([]);
  if ('campaign' in outcome) return null;
  expect(outcome.error).toBeInstanceOf(CampaignFileError);
  const message = (outcome.error as Error).message;
  expect(message.startsWith(file)).toBe(true);
  expect(message.length).toBeLessThan(4000);
  return message;
}

// --------------------------------------------------------------------------------------- arbitraries

/** Text that has broken parsers and renderers: markup, template syntax, control characters, huge and deep. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '{{',
    '{{name',
    '{{#a}}',
    '{{/b}}',
    '{{>partial}} TD STOP',
    '{{=<% %>=}}<%name%> TD STOP',
    '{{{name}}} {{{surveyUrl}}} {{{unsubscribeUrl}}} TD STOP',
    `${'{{#a}}'.repeat(5000)}TD STOP${'{{/a}}'.repeat(5000)}`,
    '\u0000\u0007\u001b[31m',
    '\u202Eevil',
    '',
    'x'.repeat(300_000),
  ),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53 + 1, 0.5) },
  { weight: 1, arbitrary: fc.constant(nested(300)) },
);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { deeper: value };
  // fast-check prints a counterexample by recursion, which this nesting would overflow.
  return Object.assign(value as object, { [fc.toStringMethod]: () => `objects nested ${depth} deep` });
}

/** Every path into a value (object keys and list indexes), the value itself first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return [prefix, ...children];
}
const EXAMPLE_PATHS = pathsOf(EXAMPLE);

type Mutation =
  | { kind: 'set'; path: (string | number)[]; value: unknown }
  | { kind: 'delete'; path: (string | number)[] }
  | { kind: 'add-key'; path: (string | number)[]; key: string; value: unknown };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...EXAMPLE_PATHS), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...EXAMPLE_PATHS.filter((p) => p.length > 0)) }),
  fc.record({
    kind: fc.constant('add-key' as const),
    path: fc.constantFrom(...EXAMPLE_PATHS),
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '_comment', '', 'contactWindw', 'zh-TW'),
      fc.string({ maxLength: 8 }),
    ),
    value: hostileValue,
  }),
);

/** The example with one mutation applied, on a deep copy; "__proto__" is set as an own key, as a parser would. */
function mutate(mutation: Mutation): unknown {
  const copy: unknown = structuredClone(EXAMPLE);
  const path = mutation.path;
  if (path.length === 0 && mutation.kind === 'set') return mutation.value;
  let parent: unknown = copy;
  const last = mutation.kind === 'add-key' ? undefined : path.at(-1);
  const walk = mutation.kind === 'add-key' ? path : path.slice(0, -1);
  for (const key of walk) parent = (parent as Record<string | number, unknown>)[key];
  if (typeof parent !== 'object' || parent === null) return copy;
  const target = parent as Record<string | number, unknown>;
  if (mutation.kind === 'delete' && last !== undefined) {
    if (Array.isArray(target) && typeof last === 'number') target.splice(last, 1);
    else delete target[last];
  } else if (mutation.kind === 'set' && last !== undefined) target[last] = mutation.value;
  else if (mutation.kind === 'add-key') {
    Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Edits of the YAML text itself: structure characters, anchors, tags, NULs and BOMs at random places. */
const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ':',
    '- ',
    '"',
    "'",
    '\t',
    '\n',
    '\r\n',
    '&a ',
    '*a',
    '!!binary ',
    '!!js/function ',
    '%YAML 1.1\n',
    '---\n',
    '? ',
    '<<: ',
    '\u0000',
    '\uFEFF',
    '#',
    '|',
    '>',
    '',
  ),
});

function editText(text: string, edits: readonly { at: number; remove: number; insert: string }[]): string {
  return edits.reduce((t, { at, remove, insert }) => {
    const i = at % (t.length + 1);
    return `${t.slice(0, i)}${insert}${t.slice(i + remove)}`;
  }, text);
}

// ------------------------------------------------------------------------------------------ tests

describe('loadCampaignFile on generated files', () => {
  it('reads any JSON value, as JSON or as YAML, into a campaign or a CampaignFileError', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (value, asYaml) => {
        // Prepare
        const file = write(asYaml ? stringifyYaml(value) : JSON.stringify(value), asYaml ? 'yaml' : 'json');

        // Act
        const outcome = await load(file);

        // Assess
        expectCampaignOrClearError(outcome, file);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('names the setting a mutation of the shipped example broke, whatever it wrote there', { timeout: 60_000 }, async () => {
    let refused = 0;
    let kept = 0;

    await fc.assert(
      fc.asyncProperty(mutationArbitrary, fc.boolean(), async (mutation, asYaml) => {
        // Prepare
        const value = mutate(mutation);
        const text = asYaml ? stringifyYaml(value, { aliasDuplicateObjects: false }) : JSON.stringify(value);
        const file = write(text, asYaml ? 'yaml' : 'json');

        // Act
        const outcome = await load(file);

        // Assess
        const message = expectCampaignOrClearError(outcome, file);
        if (message === null) {
          kept++;
          return;
        }
        refused++;
        const oversized = Buffer.byteLength(text) > MAX_CAMPAIGN_BYTES || message.includes('once its aliases are expanded');
        const setting = mutation.kind === 'add-key' && mutation.path.length === 0 ? mutation.key : mutation.path[0];
        if (!oversized && setting !== undefined && !String(setting).startsWith('_')) {
          expect(message).toContain(String(setting));
        }
      }),
      { seed: SEED, numRuns: 300 },
    );

    // Both outcomes happened often: the property is about refusals that name their setting, and about valid changes kept.
    expect(refused).toBeGreaterThan(100);
    expect(kept).toBeGreaterThan(10);
  });

  it('refuses damaged YAML text with a CampaignFileError, never a parser crash', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textEdit, { minLength: 1, maxLength: 6 }), fc.boolean(), async (edits, crlf) => {
        // Prepare
        const text = editText(crlf ? EXAMPLE_TEXT.replace(/\n/g, '\r\n') : EXAMPLE_TEXT, edits);
        const file = write(text, 'yaml');

        // Act
        const outcome = await load(file);

        // Assess
        expectCampaignOrClearError(outcome, file);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('loadCampaignFile on files made to hurt', () => {
  it.each([
    ['a billion laughs (aliases of aliases)', 'yaml', billionLaughs(), /is not valid YAML: Excessive alias count/],
    [
      'lists nested 20,000 deep',
      'yaml',
      `id: x\nname: X\nfoo: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      /is not valid YAML/,
    ],
    [
      'objects nested 40,000 deep',
      'json',
      `{"id":"x","name":"X","foo":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}`,
      /Unrecognized key: "foo"/,
    ],
    [
      'a "__proto__" key',
      'json',
      '{"id":"x","name":"X","__proto__":{"polluted":true}}',
      /: __proto__: "__proto__" is not a setting$/,
    ],
    [
      'a "__proto__" key in a tier',
      'yaml',
      'id: x\nname: X\ntiers:\n  gold:\n    __proto__: { polluted: true }\n',
      /: tiers\.gold\.__proto__: "__proto__" is not a setting$/,
    ],
    [
      'SMS sections nested 5,000 deep',
      'yaml',
      `id: x\nname: X\ntemplates:\n  sms:\n    zh-CN: "${'{{#a}}'.repeat(5000)}TD${'{{/a}}'.repeat(5000)}"\n    en-US: STOP\n`,
      /templates\.sms\.zh-CN: sections \(\{\{#\.\.\.\}\}\) nested more than 10 deep/,
    ],
    ['two documents', 'yaml', 'id: x\nname: X\n---\nid: y\n', /is not valid YAML: Source contains multiple documents/],
  ] as const)('refuses %s with a clear CampaignFileError', async (_, extension, text, message) => {
    // Prepare
    const file = write(text, extension);

    // Act
    const outcome = await load(file);

    // Assess
    expect(expectCampaignOrClearError(outcome, file)).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a file over 256 KB before reading it, naming the limit', async () => {
    const file = write(`id: x\nname: X\n# ${'x'.repeat(MAX_CAMPAIGN_BYTES)}\n`, 'yaml');

    await expect(loadCampaignFile(file)).rejects.toThrow(`${file} is 257 KB: a campaign file may be at most 256 KB`);
  });

  it('refuses a small file whose aliases expand the campaign over 256 KB', async () => {
    // Prepare: one 60 KB template, aliased in all 8 SMS-like templates of both locales
    const big = `TD STOP ${'长'.repeat(20_000)}`;
    const yaml = `id: x\nname: X\ntemplates:\n  sms: { zh-CN: &t "${big}", en-US: *t }\n  care: { zh-CN: *t, en-US: *t }\n  confirmSms: { zh-CN: *t, en-US: *t }\n`;
    const file = write(yaml, 'yaml');

    // Act
    const message = expectCampaignOrClearError(await load(file), file);

    // Assess
    expect(message).toMatch(/: the campaign takes \d+ KB once its aliases are expanded: a campaign file may be at most 256 KB$/);
  });

  it('reads a JSON file that starts with a byte order mark, as Windows Notepad writes it', async () => {
    const file = write(`\uFEFF${JSON.stringify({ id: 'x', name: 'X' })}`, 'json');

    await expect(loadCampaignFile(file)).resolves.toMatchObject({ id: 'x' });
  });
});

function billionLaughs(): string {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const [previous, current] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
    levels.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `id: x\nname: X\n${levels.join('\n')}\n`;
}
