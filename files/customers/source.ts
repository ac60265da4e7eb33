import { CUSTOMER_COLUMNS, type CustomerColumn } from '../../functions/core/customer-row.js';
import type { Customer } from '../../functions/core/schemas.js';

// What every customer file source shares: the rows it hands on, the rejections, the limits on hostile input.

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
export const MAX_FIELD_BYTES = 10 * 1024;
/**
 * csv-parse gives up on a record past this many characters. It bounds the memory one record may take
 * and how far an unclosed quote is read before the reader starts again on the next line.
 */
export const MAX_RECORD_CHARS = 1024 * 1024;
/**
 * A JSON line past this is not parsed: a customer takes a few hundred bytes, this is a whole export on
 * one line. (Above the CSV record limit, so that a single value over 10 KB is still named by its column.)
 */
export const MAX_JSON_LINE_CHARS = 16 * 1024 * 1024;
/** Each broken quote makes the reader start again from the next line; a file full of them is given up on. */
export const MAX_RESTARTS = 1000;
/** Unknown JSON keys are noted once each, up to this many. */
export const MAX_UNKNOWN_KEYS_NOTED = 100;
export const JSON_LINES_FILE = /\.(jsonl|ndjson)$/i;
export const LF = 0x0a;
export const CR = 0x0d;

/** What a file source hands on: a row to validate, or a record that cannot become a customer. */
export type SourceItem =
  | { line: number; row: Record<string, unknown>; notes: RejectedRow[] }
  | { line: number; rejected: RejectedRow[]; fatal?: true };

export function rejectedItem(line: number, column: string, reason: string, fatal?: true): SourceItem {
  return { line, rejected: [{ line, id: '', column, reason, action: 'rejected' }], ...(fatal ? { fatal } : {}) };
}

export const columnByLowerCaseName = new Map<string, CustomerColumn>(CUSTOMER_COLUMNS.map((c) => [c.toLowerCase(), c]));

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const columnList = CUSTOMER_COLUMNS.join(', ');

/** Half of a surrogate pair: JSON may write one ("\ud800"), but it is no character and UTF-8 cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(value: string): string | undefined {
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

/** The row's id as far as it can be told, for rejected.csv (empty when it is no usable id). */
export function idOf(row: Record<string, unknown>): string {
  const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id).trim() : '';
  return id.length <= 64 && !textProblem(id) ? id : '';
}
