import { stringify } from 'csv-stringify/sync';
import { customerFromRow, NO_CONTACT, type RowDefaults, type RowProblem } from '../functions/core/customer-row.js';
import { csvItems } from './customers/csv.js';
import { jsonLineItems } from './customers/json-lines.js';
import { type ImportItem, idOf, JSON_LINES_FILE, type RejectedRow, textProblem } from './customers/source.js';

export type { ImportItem, RejectedRow } from './customers/source.js';

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
export function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function rejectedCsv(rows: readonly RejectedRow[]): string {
  return stringify(
    rows.map((r) => [r.line, inert(r.id), inert(r.column), r.reason, r.action]),
    { header: true, columns: ['line', 'id', 'column', 'reason', 'action'], bom: true },
  );
}
