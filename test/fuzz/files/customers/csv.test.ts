import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerColumn, customerFromRow } from '../../../../functions/core/customer-row.js';
import type { Customer } from '../../../../functions/core/schemas.js';
import {
  ALWAYS,
  CR,
  contact,
  expectEveryRejectionExplained,
  expectRejectedCsvInert,
  idSuffix,
  junk,
  LF,
  lineEndsIn,
  nameText,
  OPTIONAL,
  SEED,
  VALUES,
} from '../../../support/customer-file-fuzz.js';
import { cnDefaults, importText } from '../../../support/customer-files.js';

/*
 * Whole customer files, generated: valid customer rows (whose values the reader must hand on unchanged)
 * mixed with hostile records (random bytes, broken quotes, rows of the wrong width, NUL, values over
 * 10 KB, bytes that are not UTF-8, bad values, repeated ids), under a header with its columns in any
 * order and case, unknown and repeated columns, with or without a BOM, in LF or CRLF.
 *
 * The oracle for a valid row is customerFromRow on the values as written (the row rules have their
 * own table-driven tests): what is checked here is the file layer, that nothing is lost on the way.
 */

// ---------------------------------------------------------------------------------------- the header

interface HeaderColumn {
  written: string;
  /** The customer column it feeds, or null for one that is ignored (unknown, or a second one of a name). */
  column: CustomerColumn | null;
}

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
