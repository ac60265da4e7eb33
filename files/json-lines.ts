import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MAX_JSON_LINE_CHARS } from './customers/source.js';

/** One line of a JSON lines file: the object on it, or why it is not one (never quoting the line). */
export type JsonObjectLine = { line: number; value: Record<string, unknown> } | { line: number; problem: string };

/**
 * The objects of a JSON lines file (customers, events, outcomes), one per line, streamed: blank lines are
 * skipped, a byte-order mark on the first line is dropped, and a line that is too long, not JSON or not an
 * object becomes a problem with its line number. `what` names one record ("customer"), `example` shows one.
 */
export async function* jsonObjectLines(file: string, record: { what: string; example: string }): AsyncGenerator<JsonObjectLine> {
  let line = 0;
  // readline ends a line at LF, CRLF or a lone CR: the same lines as the CSV reader and an editor count.
  // The stream decodes (readline itself drops a broken UTF-8 sequence at the very end of the file).
  const input = createReadStream(file, { encoding: 'utf8' });
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.length > MAX_JSON_LINE_CHARS) {
      yield {
        line,
        problem: `the line is longer than ${MAX_JSON_LINE_CHARS / 1024 / 1024} MB: write one ${record.what} per line`,
      };
      continue;
    }
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      // JSON.parse's message quotes the line, which may hold a phone number: say where to look instead.
      yield { line, problem: 'the line is not valid JSON: check for a missing quote, comma or brace' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
      yield { line, problem: `the line is ${got}, not an object like ${record.example}` };
      continue;
    }
    yield { line, value: value as Record<string, unknown> };
  }
}
