import { stringify } from 'csv-stringify/sync';
import { type CustomerEvent, parseEvent } from '../functions/core/events.js';
import { inert } from './customer-file.js';
import { jsonObjectLines } from './json-lines.js';

/** An event line that was not taken, and why: `rejected-events.csv`. Never the line's values. */
export interface RejectedEvent {
  line: number;
  /** The event's id when the line had one (a string), else empty. */
  id: string;
  reason: string;
}

/** One line of an events file: an event to store, or the reason it was refused. */
export type EventLine = { line: number; event: CustomerEvent } | { line: number; rejected: RejectedEvent };

const EXAMPLE =
  '{"id": "E1", "customerId": "C1", "type": "purchase", "at": "2026-12-20T10:30:00+08:00", "orderId": "O1", "amount": 199}';

/**
 * The events of a JSON lines file (`revisit events ingest FILE`, `--events FILE`), streamed in file order,
 * each validated alone: a bad line is refused with its line number and reason and the rest go on. The
 * same id twice is left to the store, which keeps the first (idempotent on the id).
 */
export async function* eventsFileLines(file: string): AsyncGenerator<EventLine> {
  for await (const item of jsonObjectLines(file, { what: 'event', example: EXAMPLE })) {
    if ('problem' in item) {
      yield { line: item.line, rejected: { line: item.line, id: '', reason: item.problem } };
      continue;
    }
    const parsed = parseEvent(item.value);
    const id = typeof item.value.id === 'string' ? item.value.id.slice(0, 200) : '';
    yield parsed.ok
      ? { line: item.line, event: parsed.event }
      : { line: item.line, rejected: { line: item.line, id, reason: parsed.reason } };
  }
}

/** Reads a whole events file: the events in file order and the lines refused. */
export async function readEventsFile(file: string): Promise<{ events: CustomerEvent[]; rejected: RejectedEvent[] }> {
  const events: CustomerEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for await (const item of eventsFileLines(file)) {
    if ('event' in item) events.push(item.event);
    else rejected.push(item.rejected);
  }
  return { events, rejected };
}

/** `rejected-events.csv`: line, id, reason; a cell that a spreadsheet would run as a formula is made inert. */
export function rejectedEventsCsv(rows: readonly RejectedEvent[]): string {
  return stringify(
    rows.map((r) => [r.line, inert(r.id), r.reason]),
    { header: true, columns: ['line', 'id', 'reason'], bom: true },
  );
}
