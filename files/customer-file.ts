import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import {
  CUSTOMER_COLUMNS,
  type CustomerColumn,
  customerFromRow,
  NO_CONTACT,
  REQUIRED_COLUMNS,
  type RowDefaults,
  type RowProblem,
} from '../functions/core/customer-row.js';
import type { Customer } from '../functions/core/schemas.js';

export interface RejectedRow {
  /** 1-based physical line where the record starts (a quoted value may run over several lines). */
  line: number;
  id: string;
  column: string;
  reason: string;
  /** 'rejected': the row was left out; 'kept': imported, but worth a look (a shared phone or e-mail, an ignored column). */
  action: 'rejected' | 'kept';
}

export type ImportItem =
  | { line: number; customer: Customer; warnings: RejectedRow[] }
  | { line: number; rejected: RejectedRow[] };

/** A value longer than this is not customer data (a pasted document, or a missing closing quote). */
const MAX_FIELD_BYTES = 10 * 1024;
/**
 * csv-parse gives up on a record past this many characters. It bounds the memory one record may take
 * and how far an unclosed quote is read before the reader starts again on the next line.
 */
const MAX_RECORD_CHARS = 1024 * 1024;
/**
 * A JSON line past this is not parsed: a customer takes a few hundred bytes, this is a whole export on
 * one line. (Above the CSV record limit, so that a single value over 10 KB is still named by its column.)
 */
const MAX_JSON_LINE_CHARS = 16 * 1024 * 1024;
/** Each broken quote makes the reader start again from the next line; a file full of them is given up on. */
const MAX_RESTARTS = 1000;
/** Unknown JSON keys are noted once each, up to this many. */
const MAX_UNKNOWN_KEYS_NOTED = 100;
const JSON_LINES_FILE = /\.(jsonl|ndjson)$/i;
const LF = 0x0a;
const CR = 0x0d;

/** What a file source hands on: a row to validate, or a record that cannot become a customer. */
type SourceItem =
  | { line: number; row: Record<string, unknown>; notes: RejectedRow[] }
  | { line: number; rejected: RejectedRow[]; fatal?: true };

function rejectedItem(line: number, column: string, reason: string, fatal?: true): SourceItem {
  return { line, rejected: [{ line, id: '', column, reason, action: 'rejected' }], ...(fatal ? { fatal } : {}) };
}

const columnByLowerCaseName = new Map<string, CustomerColumn>(CUSTOMER_COLUMNS.map((c) => [c.toLowerCase(), c]));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ----------------------------------------------------------------------------------------------- CSV

/** Whether a lone CR ends a line in this file; unknown until the first line break. */
interface LineEnds {
  loneCr?: boolean;
}

/**
 * Turns CRLF into LF before csv-parse sees the bytes, and a lone CR too when the file ends its lines
 * that way (old Mac Excel); in an LF or CRLF file a lone CR inside a value stays, as data.
 * csv-parse counts a CRLF inside a quoted value as two lines, which would shift every later line
 * number; after this, its `info.lines` counts lines as an editor does (LF, CRLF and a lone CR each end
 * one). Line breaks inside quoted values therefore come out as "\n".
 */
class LineBreaksToLf extends Transform {
  #pendingCr = false;

  /** `lineEnds` is shared by the passes over one file: the first line break of the file decides. */
  constructor(private readonly lineEnds: LineEnds) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#pendingCr && !chunk.includes(CR)) {
      if (this.lineEnds.loneCr === undefined && chunk.includes(LF)) this.lineEnds.loneCr = false;
      callback(null, chunk);
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let length = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (byte === LF) {
          out[length++] = LF;
          this.lineEnds.loneCr ??= false;
          continue;
        }
        out[length++] = this.#loneCr();
      }
      if (byte === CR) this.#pendingCr = true;
      else {
        if (byte === LF) this.lineEnds.loneCr ??= false;
        out[length++] = byte as number;
      }
    }
    callback(null, out.subarray(0, length));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#pendingCr ? Buffer.from([this.#loneCr()]) : null);
  }

  #loneCr(): number {
    this.lineEnds.loneCr ??= true;
    return this.lineEnds.loneCr ? LF : CR;
  }
}

/** Byte offset where physical line `target` starts, scanning on from a known line start; undefined past the end. */
async function offsetOfLine(file: string, from: { line: number; offset: number }, target: number): Promise<number | undefined> {
  let line = from.line;
  let offset = from.offset;
  let pendingCr = false;
  if (line === target) return offset;
  for await (const chunk of createReadStream(file, { start: from.offset }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (pendingCr) {
        pendingCr = false;
        if (byte !== LF && ++line === target) return offset + i;
      }
      if (byte === CR) pendingCr = true;
      else if (byte === LF && ++line === target) return offset + i + 1;
    }
    offset += chunk.length;
  }
  return undefined;
}

/**
 * Lines a record's raw text covers before its last one, counted as csv-parse counts them (every LF and
 * every CR left by LineBreaksToLf), leaving out the empty lines it skipped before the record and the
 * line break that ends it.
 */
function linesBeforeLast(raw: string): number {
  let start = 0;
  while (raw.charCodeAt(start) === LF) start++;
  const last = raw.charCodeAt(raw.length - 1);
  const end = last === LF || last === CR ? raw.length - 1 : raw.length;
  let count = 0;
  for (let i = start; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === LF || code === CR) count++;
  }
  return count;
}

/** The line a record's raw text starts on, counting the empty lines csv-parse skipped before it. */
function rawStartLine(lineBase: number, lines: number, raw: string): number {
  const last = raw.charCodeAt(raw.length - 1);
  const end = last === LF || last === CR ? raw.length - 1 : raw.length;
  let count = 0;
  for (let i = 0; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === LF || code === CR) count++;
  }
  return lineBase + lines - count;
}

interface Header {
  /** What csv-parse calls each column: a customer column, or false for one that is ignored. */
  columns: (CustomerColumn | false)[];
  /** The names as written in the file, for messages. */
  names: string[];
}

const columnList = CUSTOMER_COLUMNS.join(', ');

/** Reads the header line: which columns are used, what is ignored (notes), or why the file cannot be imported. */
function readHeader(written: string[], line: number): { header: Header; notes: RejectedRow[] } | { rejected: SourceItem } {
  const names = written.map((n) => n.replace(/^\uFEFF/, '').trim());
  const notes: RejectedRow[] = [];
  const note = (column: string, reason: string) => notes.push({ line, id: '', column, reason, action: 'kept' });
  const firstPosition = new Map<CustomerColumn, number>();
  const columns = names.map((name, index): CustomerColumn | false => {
    const column = columnByLowerCaseName.get(name.toLowerCase());
    if (!name) {
      note(`column ${index + 1}`, 'has no name in the header, so its values were ignored');
      return false;
    }
    if (!column) {
      note(name, `is not a customer column (${columnList}), so its values were ignored`);
      return false;
    }
    const first = firstPosition.get(column);
    if (first !== undefined) {
      note(name, `appears twice in the header (columns ${first + 1} and ${index + 1}): only column ${first + 1} was read`);
      return false;
    }
    firstPosition.set(column, index);
    return column;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !firstPosition.has(c));
  if (missing.length > 0) {
    return {
      rejected: rejectedItem(
        line,
        missing.join(', '),
        `the header line has no ${missing.join(' or ')} column, so no customer was imported: the first line must name the columns, for example id,name,phone,email`,
        true,
      ),
    };
  }
  if (!firstPosition.has('phone') && !firstPosition.has('email')) {
    return {
      rejected: rejectedItem(
        line,
        'phone, email',
        'the header line has neither a phone nor an email column, so no customer could be reached and none was imported',
        true,
      ),
    };
  }
  return { header: { columns, names }, notes };
}

/** Why csv-parse gave up on a record, in words, and whether reading must start again on the next line. */
function csvErrorReason(code: string): { reason: string; restart: boolean } {
  switch (code) {
    case 'INVALID_OPENING_QUOTE':
      return {
        reason:
          'a double quote (") in the middle of a value: put the whole value in double quotes and write the inner quote twice, like "Wang ""Fang"""',
        restart: false,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        reason:
          'text after the closing double quote of a value: a quoted value must end right before a comma or the end of the line',
        restart: true,
      };
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        reason: 'a double quote (") opens a value here and is never closed',
        restart: true,
      };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        reason: `the row is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB (values are limited to ${MAX_FIELD_BYTES / 1024} KB), or a closing double quote (") is missing`,
        restart: true,
      };
    default:
      return { reason: `this row is not valid CSV (${code})`, restart: true };
  }
}

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

interface Skip {
  /** How many records csv-parse had emitted when it gave up on this one: it comes after exactly those. */
  after: number;
  line: number;
  column: string;
  reason: string;
  restart: boolean;
  /** The header itself is broken: nothing can be read. */
  fatal: boolean;
}

type PassEvent = SourceItem | { header: Header } | { restartAt: number };

/**
 * One reading of the CSV from a line start to the end (or to the first broken quote, after which the
 * caller starts a new pass on the next line). csv-parse does the parsing: `skip_records_with_error`
 * and `on_skip` turn a broken record into a rejection instead of an exception, `relax_column_count`
 * hands rows of the wrong width on to be rejected here, `raw` and `info` give each record's lines.
 */
async function* csvPass(
  file: string,
  from: { line: number; offset: number },
  known: Header | undefined,
  lineEnds: LineEnds,
): AsyncGenerator<PassEvent> {
  const lineBase = from.line - 1;
  const skips: Skip[] = [];
  let flushedSkips = 0;
  let header = known;
  let headerOutcome: { notes: RejectedRow[] } | { rejected: SourceItem } | undefined = known ? { notes: [] } : undefined;
  let halted = false;

  const source = createReadStream(file, { start: from.offset });
  const lineBreaks = new LineBreaksToLf(lineEnds);
  const halt = () => {
    if (halted) return;
    halted = true;
    // Stop reading the file; the parser then ends and the records already parsed still come out.
    setImmediate(() => {
      source.unpipe(lineBreaks);
      source.destroy();
      if (!lineBreaks.destroyed && !lineBreaks.writableEnded) lineBreaks.end();
    });
  };
  /**
   * csv-parse reads a broken record on to its end, quotes and all, so a quote opened after the error
   * can take the lines below along without a word. When what comes next starts further down than the
   * line after the broken record, that record is read again from its next line.
   */
  const swallowedBefore = (records: number, nextLine: number): boolean => {
    // The parser runs ahead of the records read here: the broken record right before this one is the
    // last skip after `records` records, not necessarily the last skip.
    const broken = skips.findLast((skip, i) => i >= flushedSkips && skip.after === records);
    if (!broken || broken.restart || broken.fatal || nextLine <= broken.line + 1) return false;
    broken.restart = true;
    halt();
    return true;
  };
  const columnName = (index: unknown): string => {
    const i = numberOr(index, -1);
    return header?.names[i] || (i >= 0 ? `column ${i + 1}` : '');
  };
  const parser = parse({
    // Only at the start of the file: a pass that starts again on a line beginning with the bytes FF FE
    // (not UTF-8: rejected as such) would otherwise read the rest of the file as UTF-16.
    bom: from.line === 1,
    record_delimiter: '\n',
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    raw: true,
    info: true,
    columns:
      known?.columns ??
      ((written: string[]) => {
        const outcome = readHeader(written, lineBase + parser.info.lines);
        headerOutcome = outcome;
        if ('rejected' in outcome) {
          halt();
          return written.map(() => false);
        }
        header = outcome.header;
        return header.columns;
      }),
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      if (halted || !error) return undefined;
      const spanned = linesBeforeLast(raw ?? '');
      const line = lineBase + numberOr(error.lines, 1) - spanned;
      const { reason, restart: restartForCode } = csvErrorReason(error.code);
      // A broken record that runs over several lines took the lines after its first one along (a quote
      // left open, closed by a quote further down; csv-parse also takes a quote before a NUL byte for a
      // closing one): read them again, or a valid row among them would be lost.
      const restart = restartForCode || spanned > 0;
      const fatal = error.header === true;
      const last = skips.at(-1);
      // csv-parse reports every quote problem of a record: keep the first reason, and any call to start again.
      if (last && last.line === line && skips.length > flushedSkips) last.restart ||= restart;
      else if (swallowedBefore(numberOr(error.records, 0), rawStartLine(lineBase, numberOr(error.lines, 1), raw ?? ''))) {
        return undefined;
      } else {
        const column = fatal ? 'header' : columnName(error.index);
        skips.push({ after: numberOr(error.records, 0), line, column, reason, restart, fatal });
      }
      if (restart || fatal) halt();
      return undefined;
    },
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(lineBreaks).pipe(parser);

  let emitted = 0;
  let announced = known !== undefined;
  /** Yields what is due before the record with index `upTo` (Infinity: all); returns true once the pass must end. */
  function* due(upTo: number): Generator<PassEvent, boolean> {
    const broken = skips[0];
    if (broken?.fatal) {
      yield rejectedItem(
        broken.line,
        broken.column,
        `the header line is not valid CSV, so no customer was imported: ${broken.reason}`,
        true,
      );
      return true;
    }
    if (!announced && headerOutcome) {
      announced = true;
      if ('rejected' in headerOutcome) {
        yield headerOutcome.rejected;
        return true;
      }
      if (header) yield { header };
      const first = headerOutcome.notes[0];
      if (first) yield { line: first.line, rejected: headerOutcome.notes };
    }
    while (flushedSkips < skips.length && (skips[flushedSkips] as Skip).after <= upTo) {
      const skip = skips[flushedSkips++] as Skip;
      yield rejectedItem(
        skip.line,
        skip.column,
        skip.restart ? `${skip.reason}; reading went on with the next line` : skip.reason,
      );
      if (skip.restart) {
        yield { restartAt: skip.line + 1 };
        return true;
      }
    }
    return false;
  }

  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      swallowedBefore(emitted, rawStartLine(lineBase, parsed.info.lines, parsed.raw));
      if (yield* due(emitted)) return;
      emitted++;
      const item = recordItem(parsed, lineBase, header);
      // A row of the wrong width over several lines is a quote left open and closed further down, by a
      // quoted value that starts with a comma or a line break: read the lines it took along again.
      if (parsed.info.error && 'rejected' in item && linesBeforeLast(parsed.raw) > 0) {
        yield {
          ...item,
          rejected: item.rejected.map((r) => ({ ...r, reason: `${r.reason}; reading went on with the next line` })),
        };
        yield { restartAt: item.line + 1 };
        return;
      }
      yield item;
    }
    // A broken record at the end may have taken every line after it along.
    if (!halted) swallowedBefore(emitted, lineBase + parser.info.lines);
    if (yield* due(Number.POSITIVE_INFINITY)) return;
    if (!headerOutcome && from.line === 1) {
      yield rejectedItem(1, 'header', `the file is empty: the first line must name the columns (${columnList})`, true);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // Not expected with skip_records_with_error; if it happens the rows read so far stand and the rest is reported.
    const line = lineBase + numberOr(error.lines, 1);
    yield rejectedItem(line, '', `the file could not be read from line ${line} on (${error.code})`, true);
  } finally {
    source.destroy();
    lineBreaks.destroy();
    parser.destroy();
  }
}

interface ParsedRecord {
  record: Record<string, string>;
  raw: string;
  info: { lines: number; error?: CsvError };
}

function recordItem({ record, raw, info }: ParsedRecord, lineBase: number, header: Header | undefined): SourceItem {
  const line = lineBase + info.lines - linesBeforeLast(raw);
  const written: unknown[] = Array.isArray(info.error?.record) ? info.error.record : Object.values(record);
  if (written.every((v) => typeof v !== 'string' || v.trim() === '')) return rejectedItem(line, '', 'the row is empty');
  if (!info.error) return { line, row: record, notes: [] };
  const width = header?.columns.length ?? 0;
  const column = written.length < width ? (header?.names[written.length] ?? '') : `column ${width + 1}`;
  const reason = `the row has ${written.length} values but the header has ${width} columns: a value that contains a comma must be in double quotes`;
  return { line, rejected: [{ line, id: idOf(record), column, reason, action: 'rejected' }] };
}

/**
 * CSV records with their start lines. A broken quote swallows the lines after it, so after one the file
 * is read again from the line after the broken record starts, and the swallowed lines become rows again.
 */
async function* csvItems(file: string): AsyncGenerator<SourceItem> {
  let header: Header | undefined;
  let from = { line: 1, offset: 0 };
  const lineEnds: LineEnds = {};
  for (let restarts = 0; ; restarts++) {
    let restartAt: number | undefined;
    for await (const event of csvPass(file, from, header, lineEnds)) {
      if ('restartAt' in event) {
        restartAt = event.restartAt;
        break;
      }
      if ('header' in event) {
        header = event.header;
        continue;
      }
      yield event;
      if ('fatal' in event) return;
    }
    if (restartAt === undefined || !header) return;
    if (restarts === MAX_RESTARTS) {
      yield rejectedItem(
        restartAt,
        '',
        `more than ${MAX_RESTARTS} rows with broken double quotes: reading stopped here; fix the quotes and import the rest again`,
        true,
      );
      return;
    }
    const offset = await offsetOfLine(file, from, restartAt);
    if (offset === undefined) return;
    from = { line: restartAt, offset };
  }
}

// ----------------------------------------------------------------------------------------- JSON lines

async function* jsonLineItems(file: string): AsyncGenerator<SourceItem> {
  const noted = new Set<string>();
  let line = 0;
  // readline ends a line at LF, CRLF or a lone CR: the same lines as the CSV reader and an editor count.
  // The stream decodes (readline itself drops a broken UTF-8 sequence at the very end of the file).
  const input = createReadStream(file, { encoding: 'utf8' });
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.length > MAX_JSON_LINE_CHARS) {
      yield rejectedItem(
        line,
        '',
        `the line is longer than ${MAX_JSON_LINE_CHARS / 1024 / 1024} MB: write one customer per line`,
      );
      continue;
    }
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      // JSON.parse's message quotes the line, which may hold a phone number: say where to look instead.
      yield rejectedItem(line, '', 'the line is not valid JSON: check for a missing quote, comma or brace');
      continue;
    }
    if (!isRecord(value)) {
      const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
      yield rejectedItem(line, '', `the line is ${got}, not an object like {"id": "C1", "name": "王芳", "phone": "13800138000"}`);
      continue;
    }
    const row: Record<string, unknown> = {};
    const notes: RejectedRow[] = [];
    for (const [key, keyValue] of Object.entries(value)) {
      const column = columnByLowerCaseName.get(key.trim().toLowerCase());
      if (column && !Object.hasOwn(row, column)) row[column] = keyValue;
      else if (!column && !noted.has(key) && noted.size < MAX_UNKNOWN_KEYS_NOTED) {
        noted.add(key);
        notes.push({
          line,
          id: '',
          column: key,
          reason: `is not a customer field (${columnList}), so it was ignored`,
          action: 'kept',
        });
      }
    }
    yield { line, row, notes };
  }
}

// ------------------------------------------------------------------------------------------ the rows

/** Half of a surrogate pair: JSON may write one ("\ud800"), but it is no character and UTF-8 cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(value: string): string | undefined {
  if (value.length > MAX_FIELD_BYTES / 3 && Buffer.byteLength(value) > MAX_FIELD_BYTES) {
    return `longer than ${MAX_FIELD_BYTES / 1024} KB (${Math.ceil(Buffer.byteLength(value) / 1024)} KB): no customer value is that long`;
  }
  if (value.includes('\0')) return 'contains a NUL character: the file looks damaged or is not a text file';
  if (value.includes('\uFFFD')) {
    return 'contains bytes that are not UTF-8 text: save the file as UTF-8 ("CSV UTF-8" in Excel) and import it again';
  }
  if (LONE_SURROGATE.test(value)) {
    return 'contains half of a UTF-16 surrogate pair (like \\ud800 in JSON), which is not a character: fix the value';
  }
  return undefined;
}

/** Problems the file itself causes (damaged bytes, huge values), checked before the row's meaning is. */
function fileProblems(row: Record<string, unknown>): RowProblem[] {
  const problems: RowProblem[] = [];
  for (const [column, value] of Object.entries(row)) {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const text of texts) {
      const reason = typeof text === 'string' ? textProblem(text) : undefined;
      if (reason) {
        problems.push({ column, reason });
        break;
      }
    }
  }
  return problems;
}

function idOf(row: Record<string, unknown>): string {
  const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id).trim() : '';
  return id.length <= 64 && !textProblem(id) ? id : '';
}

/**
 * Streams a customer file (CSV with a header row, or JSON lines when the name ends in .jsonl/.ndjson),
 * one validated customer or one list of problems per record, with the line the record starts on.
 * Nothing in the file makes it throw: a broken record is rejected with its line, column and reason and
 * reading goes on; a file that cannot be imported at all (no header, no id column) gets one rejection.
 * Only a file that cannot be opened throws. Rows repeating an id are rejected; rows repeating a phone
 * or e-mail of an earlier row are kept and reported. Unknown columns are reported once and ignored.
 */
export async function* readCustomerFile(file: string, defaults: RowDefaults): AsyncGenerator<ImportItem> {
  // These two grow with the file (an id, an address and a line number per customer, about 100 bytes):
  // the price of finding duplicates across the whole file in one streaming pass. Rows are not kept.
  const firstLineOfId = new Map<string, number>();
  const firstCustomerOfAddress = new Map<string, { id: string; line: number }>();
  const items = JSON_LINES_FILE.test(file) ? jsonLineItems(file) : csvItems(file);
  for await (const item of items) {
    if ('rejected' in item) {
      yield { line: item.line, rejected: item.rejected };
      continue;
    }
    const { line, row, notes } = item;
    const id = idOf(row);
    const damaged = fileProblems(row);
    const damagedColumns = new Set(damaged.map((p) => p.column));
    const usable = damaged.length === 0 ? row : Object.fromEntries(Object.entries(row).filter(([c]) => !damagedColumns.has(c)));
    const result = customerFromRow(usable, defaults);
    if (damaged.length > 0 || 'problems' in result) {
      const contactDamaged = damagedColumns.has('phone') || damagedColumns.has('email');
      const problems = [
        ...damaged,
        ...('problems' in result ? result.problems : []).filter(
          (p) => !damagedColumns.has(p.column) && !(contactDamaged && p.reason === NO_CONTACT),
        ),
      ];
      yield {
        line,
        rejected: [...notes, ...problems.map((p) => ({ line, id, ...p, action: 'rejected' as const }))],
      };
      continue;
    }
    const { customer } = result;
    const firstLine = firstLineOfId.get(customer.id);
    if (firstLine !== undefined) {
      yield {
        line,
        rejected: [
          ...notes,
          {
            line,
            id,
            column: 'id',
            reason: `the same id as line ${firstLine}: only the first row with an id is imported`,
            action: 'rejected',
          },
        ],
      };
      continue;
    }
    firstLineOfId.set(customer.id, line);
    const warnings = [...notes];
    for (const [column, label, address] of [
      ['phone', 'phone number', customer.phone],
      ['email', 'e-mail address', customer.email],
    ] as const) {
      if (!address) continue;
      const first = firstCustomerOfAddress.get(`${column}:${address}`);
      if (first) {
        warnings.push({
          line,
          id,
          column,
          reason: `the same ${label} as customer ${first.id} (line ${first.line}); imported anyway`,
          action: 'kept',
        });
      } else firstCustomerOfAddress.set(`${column}:${address}`, { id: customer.id, line });
    }
    yield { line, customer, warnings };
  }
}

/** A cell starting like a formula would run when rejected.csv is opened in a spreadsheet: quote it. */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function rejectedCsv(rows: readonly RejectedRow[]): string {
  return stringify(
    rows.map((r) => [r.line, inert(r.id), inert(r.column), r.reason, r.action]),
    { header: true, columns: ['line', 'id', 'column', 'reason', 'action'], bom: true },
  );
}
