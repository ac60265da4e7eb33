import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  columnByLowerCaseName,
  columnList,
  isRecord,
  MAX_JSON_LINE_CHARS,
  MAX_UNKNOWN_KEYS_NOTED,
  type RejectedRow,
  rejectedItem,
  type SourceItem,
} from './source.js';

// JSON lines customer files: one object per line.

export async function* jsonLineItems(file: string): AsyncGenerator<SourceItem> {
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
