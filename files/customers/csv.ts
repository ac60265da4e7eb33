import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { type CustomerColumn, REQUIRED_COLUMNS } from '../../functions/core/customer-row.js';
import { LineBreaksToLf, type LineEnds, linesBeforeLast, offsetOfLine, rawStartLine } from './csv-lines.js';
import {
  columnByLowerCaseName,
  columnList,
  idOf,
  MAX_FIELD_BYTES,
  MAX_RECORD_CHARS,
  MAX_RESTARTS,
  type RejectedRow,
  rejectedItem,
  type SourceItem,
} from './source.js';

// CSV customer files: the header, then one record after another; a broken record is rejected, reading goes on.

interface Header {
  /** What csv-parse calls each column: a customer column, or false for one that is ignored. */
  columns: (CustomerColumn | false)[];
  /** The names as written in the file, for messages. */
  names: string[];
}

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
export async function* csvItems(file: string): AsyncGenerator<SourceItem> {
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
