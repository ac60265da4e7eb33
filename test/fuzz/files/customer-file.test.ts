import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImportItem, rejectedCsv } from '../../../files/customer-file.js';
import { CUSTOMER_COLUMNS, type CustomerColumn, customerFromRow } from '../../../functions/core/customer-row.js';
import type { Customer } from '../../../functions/core/schemas.js';
import { cnDefaults, importText, reportsOf } from '../../support/customer-files.js';

/*
 * Whole customer files, generated: valid customer rows (whose values the reader must hand on unchanged)
 * mixed with hostile records (random bytes, broken quotes, rows of the wrong width, NUL, values over
 * 10 KB, bytes that are not UTF-8, bad values, repeated ids), under a header with its columns in any
 * order and case, unknown and repeated columns, with or without a BOM, in LF or CRLF.
 *
 * The oracle for a valid row is customerFromRow on the values as written (the row rules have their
 * own table-driven tests): what is checked here is the file layer, that nothing is lost on the way.
 */

const SEED = 20_270_116;
const LF = 0x0a;
const CR = 0x0d;

// ------------------------------------------------------------------------------------ valid values

const htmlAndScript = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;', "'"];

/** Names as people and spreadsheets write them: quotes, commas, line breaks, markup, emoji, RTL marks, formula starts. */
const nameText = fc
  .string({
    unit: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('王', '芳', '欧', '阳', 'L', 'i', ' ', '·', 'é', '１') },
      { weight: 2, arbitrary: fc.constantFrom('"', ',', '\n', '\r\n', ';', '\t', '\uFEFF', '\u202E', '\u200F') },
      { weight: 1, arbitrary: fc.constantFrom(...htmlAndScript) },
      { weight: 1, arbitrary: fc.constantFrom('=', '+', '-', '@', '=HYPERLINK("http://x")') },
      { weight: 1, arbitrary: fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳') },
    ),
    minLength: 1,
    maxLength: 10,
  })
  .filter((name) => name.trim() !== '' && name.trim().length <= 200);

/** The part of an id after its unique prefix: anything a person could type on one line. */
const idSuffix = fc.string({
  unit: fc.constantFrom('7', '王', '😀', '-', '＃', 'é', '<', '>', '&', '=', '"', ',', ' ', "'"),
  maxLength: 4,
});

const VALUES: Partial<Record<CustomerColumn, fc.Arbitrary<string>>> = {
  locale: fc.constantFrom('zh-CN', 'en-US', 'en_us', 'ZH-cn', ''),
  timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', ''),
  accountManager: fc.constantFrom('li.na@example.com', 'Head@Example.CN', ''),
  managerChain: fc.constantFrom('a@example.com;b@example.com', 'Boss@Example.com', ''),
  smsConsent: fc.constantFrom('yes', 'no', '是', '否', '1', '0', 'TRUE', ''),
  emailConsent: fc.constantFrom('yes', 'false', ''),
  lastPurchaseAt: fc.constantFrom('2026-03-31', '2026/3/31', '2026-03-31 10:00', '2026-03-31T10:00:00+08:00', ''),
  firstPurchaseAt: fc.constantFrom('2024-01-01', ''),
  orders12m: fc.constantFrom('0', '3', '１２', ''),
  spend12m: fc.constantFrom('12,345.50', '¥1200', '$3.5', '0', ''),
  spendPrev3m: fc.constantFrom('300', ''),
  spendLast3m: fc.constantFrom('１,２００', ''),
  openComplaints: fc.constantFrom('0', '2', ''),
  tags: fc.constantFrom('vip;online', 'a,b', 'x；y', '<b>vip</b>', ''),
};

/** At least one of phone and e-mail, in the forms customer files hold. */
const contact = fc
  .record({
    phone: fc.constantFrom('13800138000', '+86 138 0013 8001', '１３８００１３８００２', '138-0013-8003', '+1 212 555 0134', ''),
    email: fc.constantFrom('wang@example.cn', 'Li.Na@Example.COM', "o'brien@example.com", ''),
  })
  .filter((c) => c.phone !== '' || c.email !== '');

/** Text for columns the reader ignores (unknown or repeated): anything at all, NUL and markup included. */
const junk = fc.string({ unit: fc.constantFrom('x', '"', ',', '\n', '\0', '=', '<', '😀', ' '), maxLength: 8 });

// ---------------------------------------------------------------------------------------- the header

interface HeaderColumn {
  written: string;
  /** The customer column it feeds, or null for one that is ignored (unknown, or a second one of a name). */
  column: CustomerColumn | null;
}

const ALWAYS: CustomerColumn[] = ['id', 'name', 'phone', 'email'];
const OPTIONAL = CUSTOMER_COLUMNS.filter((c) => !ALWAYS.includes(c));

const spelling = (column: string) =>
  fc.constantFrom(column, column.toUpperCase(), column.toLowerCase(), ` ${column} `).map((written) => ({ written, column }));

const headerArbitrary: fc.Arbitrary<HeaderColumn[]> = fc
  .tuple(
    fc.subarray(OPTIONAL),
    fc.subarray(['vip_level', '备注', '', '=cmd|"/c calc"!A1', '-notes']),
    fc.option(fc.constantFrom('Phone', 'NAME'), { nil: undefined }),
  )
  .chain(([optional, unknown, repeated]) => {
    const known = [...ALWAYS, ...optional].map((c) => spelling(c) as fc.Arbitrary<HeaderColumn>);
    const ignored = unknown.map((written) => fc.constant<HeaderColumn>({ written, column: null }));
    return fc
      .tuple(...known, ...ignored)
      .chain((columns) => fc.shuffledSubarray(columns, { minLength: columns.length, maxLength: columns.length }))
      .map((columns) => (repeated ? [...columns, { written: repeated, column: null }] : columns));
  });

// ------------------------------------------------------------------------------------------ records

/** How a hostile record is made from the row it spoils, or from nothing. */
type Damage =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'broken-quote'; text: string; form: number }
  | { kind: 'width'; values: number }
  | { kind: 'blank'; text: string }
  | { kind: 'value'; column: 'id' | 'name' | 'phone' | 'email'; value: string; reason: RegExp }
  | { kind: 'not-utf8'; bytes: readonly number[] }
  | { kind: 'huge'; quoted: boolean; size: number }
  | { kind: 'repeated-id' };

type Piece =
  | { kind: 'valid'; idPrefix: string; idSuffix: string; name: string; phone: string; email: string; rest: string[] }
  | { kind: 'hostile'; damage: Damage; base: { name: string; phone: string; email: string; rest: string[] } };

const damageArbitrary: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({
    kind: fc.constant('broken-quote' as const),
    text: fc.string({ unit: fc.constantFrom('a', '王', ',', ' ', '"'), maxLength: 6 }),
    form: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({ kind: fc.constant('width' as const), values: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('blank' as const), text: fc.constantFrom(',,,', '   ', ',', '\t', '\uFEFF', '" "') }),
  fc.constantFrom<Damage>(
    { kind: 'value', column: 'name', value: '王\0芳', reason: /NUL/ },
    { kind: 'value', column: 'id', value: '', reason: /missing/ },
    { kind: 'value', column: 'id', value: 'x'.repeat(65), reason: /longer than 64/ },
    { kind: 'value', column: 'id', value: 'a\u0007b', reason: /control character/ },
    { kind: 'value', column: 'name', value: ' ', reason: /missing/ },
    { kind: 'value', column: 'phone', value: 'not a phone', reason: /not a valid phone/ },
    { kind: 'value', column: 'email', value: '<script>@x', reason: /not a valid e-mail/ },
  ),
  fc.record({
    kind: fc.constant('not-utf8' as const),
    bytes: fc.constantFrom([0xcd, 0xf5, 0xb7, 0xbc], [0xff, 0xfe], [0xc3], [0xe4, 0xb8], [0x80, 0x80]),
  }),
  fc.record({ kind: fc.constant('huge' as const), quoted: fc.boolean(), size: fc.integer({ min: 10_241, max: 30_000 }) }),
  fc.constant<Damage>({ kind: 'repeated-id' }),
);

function restArbitrary(header: HeaderColumn[]): fc.Arbitrary<string[]> {
  const rest = header.filter((h) => h.column === null || !ALWAYS.includes(h.column));
  return fc.tuple(...rest.map((h) => (h.column === null ? junk : (VALUES[h.column] ?? fc.constant(''))))) as fc.Arbitrary<
    string[]
  >;
}

function pieceArbitrary(header: HeaderColumn[]): fc.Arbitrary<Piece> {
  const base = fc.record({ name: nameText, contact, rest: restArbitrary(header) });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({ idPrefix: fc.constantFrom('', '', '=', '+', '-', '@'), idSuffix, base })
        .map(({ idPrefix, idSuffix, base }) => ({
          kind: 'valid' as const,
          idPrefix,
          idSuffix,
          name: base.name,
          ...base.contact,
          rest: base.rest,
        })),
    },
    {
      weight: 2,
      arbitrary: fc.record({ damage: damageArbitrary, base }).map(({ damage, base }) => ({
        kind: 'hostile' as const,
        damage,
        base: { name: base.name, ...base.contact, rest: base.rest },
      })),
    },
  );
}

const fileArbitrary = headerArbitrary.chain((header) =>
  fc.record({
    header: fc.constant(header),
    pieces: fc.array(pieceArbitrary(header), { maxLength: 16 }),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    finalLineBreak: fc.boolean(),
    quoteAll: fc.boolean(),
  }),
);

// --------------------------------------------------------------------------------- writing the file

/** Where each record starts and what is expected of it. */
interface Written {
  bytes: Buffer;
  valid: { line: number; values: Record<string, string> }[];
  /**
   * Line ranges (first to last) of runs of hostile records (a broken quote may take the records after it
   * along); a run that holds more than line breaks must be reported.
   */
  hostileBlocks: { first: number; last: number; mustReport: boolean }[];
  /** Records that repeat the id of an earlier valid row: its line. */
  repeated: { line: number; firstLine: number }[];
  totalLines: number;
}

/** Lines as an editor counts them: LF, CRLF and a lone CR each end one. */
function lineEndsIn(bytes: Buffer): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) count++;
    else if (bytes[i] === CR && bytes[i + 1] !== LF) count++;
  }
  return count;
}

const SPOIL = 'SPOIL-HERE';

function writeFile(file: FileSpec): Written {
  const { header, pieces, bom, crlf, finalLineBreak, quoteAll } = file;
  const eol = crlf ? '\r\n' : '\n';
  // Quoted only where needed (as spreadsheets write) or everywhere; quote_record_delimiter: csv-stringify
  // would otherwise leave a lone CR inside a value unquoted, which no spreadsheet writes.
  const line = (values: string[]) =>
    Buffer.from(
      stringify([values], {
        quoted: quoteAll,
        quote_record_delimiter: true,
        record_delimiter: crlf ? 'windows' : 'unix',
        eof: false,
      }),
    );
  const width = header.length;
  const rowValues = (id: string, base: { name: string; phone: string; email: string; rest: string[] }): string[] => {
    const rest = [...base.rest];
    return header.map((h) => {
      if (h.column === 'id') return id;
      if (h.column === 'name') return base.name;
      if (h.column === 'phone') return base.phone;
      if (h.column === 'email') return base.email;
      return rest.shift() ?? '';
    });
  };
  const asRecord = (values: string[]): Record<string, string> =>
    Object.fromEntries(header.flatMap((h, i) => (h.column === null ? [] : [[h.column, values[i] ?? '']])));

  const chunks: Buffer[] = [Buffer.from(bom ? '\uFEFF' : ''), line(header.map((h) => h.written))];
  const written: Written = { bytes: Buffer.alloc(0), valid: [], hostileBlocks: [], repeated: [], totalLines: 0 };
  const seenIds: { id: string; line: number }[] = [];
  let block: Written['hostileBlocks'][number] | null = null;
  let recordIndex = 0;

  for (const piece of pieces) {
    recordIndex++;
    chunks.push(Buffer.from(eol));
    const first = 1 + lineEndsIn(Buffer.concat(chunks));
    if (piece.kind === 'valid') {
      block = null;
      const id = `${piece.idPrefix}V${recordIndex}_${piece.idSuffix}`;
      const values = rowValues(id, piece);
      chunks.push(line(values));
      written.valid.push({ line: first, values: asRecord(values) });
      seenIds.push({ id: id.trim(), line: first });
      continue;
    }
    const spoiled = spoil(piece, recordIndex, seenIds, rowValues, line, width);
    if (spoiled.repeatOf !== undefined) written.repeated.push({ line: first, firstLine: spoiled.repeatOf });
    chunks.push(spoiled.bytes);
    // A CR ending the record joins the line break after it (CRLF): it ends no line of its own.
    const last = first + lineEndsIn(spoiled.bytes.at(-1) === CR ? spoiled.bytes.subarray(0, -1) : spoiled.bytes);
    const mustReport = spoiled.bytes.some((b) => b !== LF && b !== CR);
    if (block) {
      block.last = last;
      block.mustReport ||= mustReport;
    } else {
      block = { first, last, mustReport };
      written.hostileBlocks.push(block);
    }
  }
  if (finalLineBreak) chunks.push(Buffer.from(eol));
  written.bytes = Buffer.concat(chunks);
  written.totalLines = 1 + lineEndsIn(written.bytes);
  return written;
}

interface FileSpec {
  header: HeaderColumn[];
  pieces: Piece[];
  bom: boolean;
  crlf: boolean;
  finalLineBreak: boolean;
  quoteAll: boolean;
}

function spoil(
  piece: Extract<Piece, { kind: 'hostile' }>,
  index: number,
  seenIds: readonly { id: string; line: number }[],
  rowValues: (id: string, base: Extract<Piece, { kind: 'hostile' }>['base']) => string[],
  line: (values: string[]) => Buffer,
  width: number,
): { bytes: Buffer; repeatOf?: number } {
  const { damage, base } = piece;
  const id = `H${index}`;
  const withName = (name: string) => rowValues(id, { ...base, name });
  switch (damage.kind) {
    case 'bytes':
      return { bytes: Buffer.from(damage.bytes) };
    case 'broken-quote': {
      const forms = [
        `${id},"unclosed ${damage.text},13800138000,`,
        `${id},"Wang"x${damage.text},13800138000,`,
        `${id},Wa"ng${damage.text},13800138000,`,
        `"${damage.text}`,
        `${id},${damage.text}"`,
      ];
      return { bytes: Buffer.from(forms[damage.form] ?? '"') };
    }
    case 'width': {
      const count = damage.values === width ? width + 1 : damage.values;
      return { bytes: Buffer.from(Array.from({ length: count }, (_, i) => (i === 0 ? id : 'x')).join(',')) };
    }
    case 'blank':
      return { bytes: Buffer.from(damage.text) };
    case 'value': {
      const values = rowValues(damage.column === 'id' ? damage.value : id, {
        ...base,
        ...(damage.column === 'id' ? {} : { [damage.column]: damage.value }),
        // An e-mail or phone that is spoiled must be the only contact, or the row would still be valid.
        ...(damage.column === 'phone' ? { email: '' } : damage.column === 'email' ? { phone: '' } : {}),
      });
      return { bytes: line(values) };
    }
    case 'not-utf8': {
      const [before = '', after = ''] = line(withName(SPOIL)).toString('utf8').split(SPOIL);
      return { bytes: Buffer.concat([Buffer.from(before), Buffer.from(damage.bytes), Buffer.from(after)]) };
    }
    case 'huge': {
      const big = 'x'.repeat(damage.size);
      if (damage.quoted) return { bytes: line(withName(big)) };
      const [before = '', after = ''] = line(withName(SPOIL)).toString('utf8').split(SPOIL);
      const quoted = before.endsWith('"') && after.startsWith('"');
      return { bytes: Buffer.from(quoted ? `${before.slice(0, -1)}${big}${after.slice(1)}` : `${before}${big}${after}`) };
    }
    case 'repeated-id': {
      const earlier = seenIds.at(-1);
      if (!earlier) return { bytes: Buffer.from(`${id},"unclosed`) };
      return { bytes: line(rowValues(earlier.id, base)), repeatOf: earlier.line };
    }
  }
}

// ------------------------------------------------------------------------------------------ checks

/** CRLF inside a quoted value comes out as LF (docs/campaign-files.md); everything else as written. */
const asRead = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/\r\n/g, '\n')]));

function expectedCustomer(values: Record<string, string>): Customer {
  const result = customerFromRow(asRead(values), cnDefaults);
  if (!('customer' in result)) throw new Error(`the generator wrote an invalid row: ${JSON.stringify(result.problems)}`);
  return result.customer;
}

/** The checks every import must pass, whatever the file held. */
function expectEveryRejectionExplained(items: readonly ImportItem[], totalLines: number): void {
  for (const item of items) {
    expect(item.line).toBeGreaterThanOrEqual(1);
    expect(item.line).toBeLessThanOrEqual(totalLines);
    const reports = 'rejected' in item ? item.rejected : item.warnings;
    if ('rejected' in item) expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) {
      expect(report.line).toBe(item.line);
      expect(typeof report.column).toBe('string');
      expect(report.reason.trim().length).toBeGreaterThan(0);
      expect(['rejected', 'kept']).toContain(report.action);
    }
    // Only the header's notes (unknown or repeated columns) stand without a rejection or a customer.
    if ('rejected' in item && item.rejected.every((r) => r.action === 'kept')) expect(item.line).toBe(1);
  }
}

/** rejected.csv reads back as one row per report, and no id or column cell would run as a formula. */
function expectRejectedCsvInert(items: readonly ImportItem[]): void {
  const reports = reportsOf(items);
  const rows: string[][] = parseCsv(rejectedCsv(reports), { bom: true, relax_column_count: false });
  expect(rows).toHaveLength(reports.length + 1);
  for (const [, id = '', column = ''] of rows.slice(1)) {
    expect(id).not.toMatch(/^[=+\-@\t\r]/);
    expect(column).not.toMatch(/^[=+\-@\t\r]/);
  }
}

describe('readCustomerFile on generated CSV files', () => {
  it('keeps every valid row with its values and line, and explains every hostile record with its line', {
    timeout: 60_000,
  }, async () => {
    let validRows = 0;
    let hostileBlocks = 0;

    await fc.assert(
      fc.asyncProperty(fileArbitrary, async (spec) => {
        // Prepare
        const file = writeFile(spec);

        // Act
        const items = await importText(file.bytes);

        // Assess: nothing valid lost, and each valid row exactly as written, on its own line
        const customers = items.flatMap((item) => ('customer' in item ? [item] : []));
        expect(customers.map((c) => c.line)).toEqual(file.valid.map((v) => v.line));
        customers.forEach((item, i) => {
          expect(item.customer).toEqual(expectedCustomer(file.valid[i]?.values ?? {}));
        });
        // Every hostile run of records is reported within its lines; nothing is reported elsewhere
        for (const block of file.hostileBlocks.filter((b) => b.mustReport)) {
          const inBlock = items.filter((item) => item.line >= block.first && item.line <= block.last);
          expect(inBlock.length, `lines ${block.first}-${block.last}`).toBeGreaterThan(0);
        }
        const validLines = new Set(file.valid.map((v) => v.line));
        for (const item of items) {
          const accounted =
            item.line === 1 ||
            validLines.has(item.line) ||
            file.hostileBlocks.some((b) => item.line >= b.first && item.line <= b.last);
          expect(accounted, `an item on line ${item.line}`).toBe(true);
        }
        for (const repeat of file.repeated) {
          const item = items.find((i) => i.line === repeat.line);
          expect(item && 'rejected' in item ? item.rejected.map((r) => r.reason) : []).toContain(
            `the same id as line ${repeat.firstLine}: only the first row with an id is imported`,
          );
        }
        const lines = items.filter((item) => item.line > 1).map((item) => item.line);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
        expect(new Set(lines).size).toBe(lines.length);
        expectEveryRejectionExplained(items, file.totalLines);
        expectRejectedCsvInert(items);
        validRows += file.valid.length;
        hostileBlocks += file.hostileBlocks.filter((b) => b.mustReport).length;
      }),
      { seed: SEED, numRuns: 250 },
    );

    // The property says something only if both kinds of record were there in numbers.
    expect(validRows).toBeGreaterThan(500);
    expect(hostileBlocks).toBeGreaterThan(300);
  });
});

// ---------------------------------------------------------------------------------------- JSON lines

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
