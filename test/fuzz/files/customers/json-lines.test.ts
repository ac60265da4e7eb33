import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerColumn, customerFromRow } from '../../../../functions/core/customer-row.js';
import {
  contact,
  expectEveryRejectionExplained,
  expectRejectedCsvInert,
  idSuffix,
  lineEndsIn,
  nameText,
  OPTIONAL,
  SEED,
  VALUES,
} from '../../../support/customer-file-fuzz.js';
import { cnDefaults, importText } from '../../../support/customer-files.js';

type JsonPiece =
  | { kind: 'valid'; row: Record<string, unknown>; extra: [key: string, json: string][] }
  | { kind: 'hostile'; bytes: Buffer; column?: string };

/** Keys a JSON line may carry besides the customer's, prototype-polluting ones included: all ignored. */
const unknownKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'vip_level', '备注', 'hasOwnProperty');
/** Lists nested `depth` deep, as JSON text (JSON.stringify itself runs out of stack on them). */
const deepList = (depth: number): string => `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;

const jsonValues: Partial<Record<CustomerColumn, fc.Arbitrary<unknown>>> = {
  ...VALUES,
  smsConsent: fc.constantFrom(true, false, 'yes', '否', 1, 0),
  orders12m: fc.constantFrom(0, 3, '１２', 7),
  spend12m: fc.constantFrom(0, 12_345.5, '¥1200', '12,345.50'),
  tags: fc.constantFrom(['vip', 'online'], [], 'a;b', ['<b>vip</b>', 7]),
  managerChain: fc.constantFrom(['a@example.com', 'b@example.com'], 'Boss@Example.com', []),
};

function jsonPieceArbitrary(): fc.Arbitrary<JsonPiece> {
  const valid = fc
    .record({
      name: nameText,
      contact,
      optional: fc
        .subarray(OPTIONAL)
        .chain((columns) =>
          fc.tuple(...columns.map((c) => (jsonValues[c] ?? fc.constant('')).map((v) => [c, v] as [string, unknown]))),
        ),
      extra: fc.array(
        fc.tuple(
          unknownKey,
          fc.oneof(
            fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
            fc.constant(deepList(3000)),
          ),
        ),
        {
          maxLength: 2,
        },
      ),
      idSuffix,
    })
    .map(({ name, contact: c, optional, extra, idSuffix: suffix }) => ({
      kind: 'valid' as const,
      row: { idSuffix: suffix, name, phone: c.phone, email: c.email, ...Object.fromEntries(optional) },
      extra,
    }));
  const text = (value: string) => Buffer.from(value);
  const spoilt = (column: string, value: string) => ({ kind: 'hostile' as const, bytes: text(value), column });
  const hostile: fc.Arbitrary<JsonPiece> = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({ kind: 'hostile' as const, bytes: Buffer.from(bytes) })),
    fc
      .tuple(fc.constantFrom('{"id":"T1","name":"王芳","phone":"13800138000"}', '{"a":[1,{"b":"c"}]}'), fc.nat())
      .map(([json, cut]) => ({ kind: 'hostile' as const, bytes: text(json.slice(0, 1 + (cut % (json.length - 1)))) })),
    fc
      .constantFrom('42', 'null', '[]', '"x"', 'true', '[{"id":"x"}]', '{}')
      .map((json) => ({ kind: 'hostile' as const, bytes: text(json) })),
    fc.constantFrom(
      spoilt('name', `{"id":"D1","name":${deepList(5000)},"phone":"13800138000"}`),
      spoilt('name', '{"id":"D2","name":{"first":"芳"},"phone":"13800138000"}'),
      spoilt('name', '{"id":"D3","name":"王\\u0000芳","phone":"13800138000"}'),
      spoilt('name', `{"id":"D4","name":"${'长'.repeat(4000)}","phone":"13800138000"}`),
      spoilt('name', '{"id":"D5","name":"\\ud800","phone":"13800138000"}'),
      spoilt('id', '{"id":["D6"],"name":"王芳","phone":"13800138000"}'),
      spoilt('orders12m', '{"id":"D7","name":"王芳","phone":"13800138000","orders12m":-1}'),
      spoilt('spend12m', '{"id":"D8","name":"王芳","phone":"13800138000","spend12m":true}'),
      spoilt('id', '{"__proto__":{"id":"P1","name":"王芳","phone":"13800138000"}}'),
      spoilt('id', '{"constructor":{"prototype":{"id":"P2"}},"name":"王芳","phone":"13800138000"}'),
      spoilt('phone', '{"id":"D9","name":"<script>alert(1)</script>","phone":"=1+1"}'),
    ),
    fc.constantFrom([0xff, 0xfe], [0xcd, 0xf5], [0xc3]).map((bytes) => ({
      kind: 'hostile' as const,
      bytes: Buffer.concat([text('{"id":"U1","name":"'), Buffer.from(bytes), text('","phone":"13800138000"}')]),
      column: 'name',
    })),
  );
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostile });
}

interface JsonFile {
  bytes: Buffer;
  valid: { line: number; row: Record<string, unknown> }[];
  hostile: { line: number; column?: string }[];
  /** Physical lines with something other than white space: one item each. */
  nonBlank: number[];
}

function writeJsonLines(pieces: readonly JsonPiece[], bom: boolean, crlf: boolean): JsonFile {
  const eol = crlf ? '\r\n' : '\n';
  const chunks: Buffer[] = [Buffer.from(bom ? '\uFEFF' : '')];
  const file: JsonFile = { bytes: Buffer.alloc(0), valid: [], hostile: [], nonBlank: [] };
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(Buffer.from(eol));
    const line = 1 + lineEndsIn(Buffer.concat(chunks));
    if (piece.kind === 'valid') {
      const { idSuffix: suffix, ...rest } = piece.row;
      const row = { id: `J${i + 1}_${String(suffix)}`, ...rest };
      // Written by hand: JSON.stringify of an object literal cannot hold an own "__proto__" key.
      const entries = [...Object.entries(row).map(([k, v]) => [k, JSON.stringify(v)]), ...piece.extra];
      chunks.push(Buffer.from(`{${entries.map(([k, json]) => `${JSON.stringify(k)}:${json}`).join(',')}}`));
      file.valid.push({ line, row });
    } else {
      chunks.push(piece.bytes);
      file.hostile.push({ line, ...(piece.column ? { column: piece.column } : {}) });
    }
  });
  file.bytes = Buffer.concat(chunks);
  // readline ends a line at LF, CRLF or a lone CR, as an editor does; a line of white space says nothing.
  file.nonBlank = file.bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .flatMap((text, i) => (text.trim() === '' ? [] : [i + 1]));
  return file;
}

describe('readCustomerFile on generated JSON lines', () => {
  it('keeps every valid line with its values, rejects every other line with a reason, and pollutes nothing', {
    timeout: 60_000,
  }, async () => {
    let validLines = 0;
    let hostileLines = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonPieceArbitrary(), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        async (pieces, bom, crlf) => {
          // Prepare
          const file = writeJsonLines(pieces, bom, crlf);

          // Act
          const items = await importText(file.bytes, 'jsonl');

          // Assess: one item per line that holds anything, in order
          expect(items.map((item) => item.line)).toEqual(file.nonBlank);
          const byLine = new Map(items.map((item) => [item.line, item]));
          for (const { line, row } of file.valid) {
            const item = byLine.get(line);
            const expected = customerFromRow(row, cnDefaults);
            expect('customer' in expected, `the generator wrote an invalid row on line ${line}`).toBe(true);
            expect(item && 'customer' in item ? item.customer : item).toEqual('customer' in expected ? expected.customer : null);
          }
          for (const { line, column } of file.hostile) {
            const item = byLine.get(line);
            if (!item) continue; // a blank line (white space only), or bytes that broke into several lines
            expect('rejected' in item, `line ${line}`).toBe(true);
            if (column && 'rejected' in item) expect(item.rejected.map((r) => r.column)).toContain(column);
          }
          expectEveryRejectionExplained(items, file.nonBlank.at(-1) ?? 1);
          expectRejectedCsvInert(items);
          // "__proto__" and "constructor" keys stay keys: nothing reached Object.prototype.
          expect(Object.keys(Object.prototype)).toEqual([]);
          expect(({} as Record<string, unknown>).id).toBeUndefined();
          validLines += file.valid.length;
          hostileLines += file.hostile.length;
        },
      ),
      { seed: SEED, numRuns: 250 },
    );

    expect(validLines).toBeGreaterThan(500);
    expect(hostileLines).toBeGreaterThan(300);
  });
});
