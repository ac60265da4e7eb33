import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { customerFromRow, type RowDefaults } from '../functions/core/customer-row.js';
import type { Customer } from '../functions/core/schemas.js';

export interface RejectedRow {
  line: number;
  id: string;
  column: string;
  reason: string;
  /** 'rejected': the row was left out; 'kept': imported, but worth a look (a shared phone or e-mail). */
  action: 'rejected' | 'kept';
}

export type ImportItem =
  | { line: number; customer: Customer; warnings: RejectedRow[] }
  | { line: number; rejected: RejectedRow[] };

async function* csvRows(file: string): AsyncGenerator<{ line: number; row: Record<string, unknown> }> {
  const parser = createReadStream(file).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number } }>) {
    yield { line: info.lines, row: record };
  }
}

async function* jsonLines(
  file: string,
): AsyncGenerator<{ line: number; row: Record<string, unknown> } | { line: number; error: string }> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    const trimmed = text.replace(/^\uFEFF/, '').trim();
    if (!trimmed) continue;
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { line, error: 'line is not a JSON object' };
      else yield { line, row: value as Record<string, unknown> };
    } catch {
      yield { line, error: 'line is not valid JSON' };
    }
  }
}

/**
 * Streams a customer file (CSV with a header row, or JSON lines when the name ends in .jsonl/.ndjson),
 * one validated customer or one list of problems per row, with its line number. Rows repeating an id
 * are rejected; rows repeating a phone or e-mail of an earlier row are kept and reported.
 */
export async function* readCustomerFile(file: string, defaults: RowDefaults): AsyncGenerator<ImportItem> {
  const seenIds = new Set<string>();
  const seenAddresses = new Map<string, string>();
  const rows = /\.(jsonl|ndjson)$/i.test(file) ? jsonLines(file) : csvRows(file);
  for await (const item of rows) {
    if ('error' in item) {
      yield { line: item.line, rejected: [{ line: item.line, id: '', column: '', reason: item.error, action: 'rejected' }] };
      continue;
    }
    const id = String(item.row.id ?? '').trim();
    const result = customerFromRow(item.row, defaults);
    if ('problems' in result) {
      yield {
        line: item.line,
        rejected: result.problems.map((p) => ({ line: item.line, id, ...p, action: 'rejected' as const })),
      };
      continue;
    }
    const { customer } = result;
    if (seenIds.has(customer.id)) {
      yield {
        line: item.line,
        rejected: [{ line: item.line, id, column: 'id', reason: `duplicate id ${customer.id}`, action: 'rejected' }],
      };
      continue;
    }
    seenIds.add(customer.id);
    const warnings: RejectedRow[] = [];
    for (const address of [customer.phone, customer.email]) {
      if (!address) continue;
      const first = seenAddresses.get(address);
      if (first) {
        const column = address.includes('@') ? 'email' : 'phone';
        warnings.push({ line: item.line, id, column, reason: `same ${column} as customer ${first}`, action: 'kept' });
      } else seenAddresses.set(address, customer.id);
    }
    yield { line: item.line, customer, warnings };
  }
}

export function rejectedCsv(rows: readonly RejectedRow[]): string {
  return stringify(
    rows.map((r) => [r.line, r.id, r.column, r.reason, r.action]),
    { header: true, columns: ['line', 'id', 'column', 'reason', 'action'], bom: true },
  );
}
