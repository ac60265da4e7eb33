import { jsonObjectLines } from '../json-lines.js';
import {
  columnByLowerCaseName,
  columnList,
  MAX_UNKNOWN_KEYS_NOTED,
  type RejectedRow,
  rejectedItem,
  type SourceItem,
} from './source.js';

// JSON lines customer files: one object per line.

const CUSTOMER_EXAMPLE = '{"id": "C1", "name": "王芳", "phone": "13800138000"}';

export async function* jsonLineItems(file: string): AsyncGenerator<SourceItem> {
  const noted = new Set<string>();
  for await (const item of jsonObjectLines(file, { what: 'customer', example: CUSTOMER_EXAMPLE })) {
    const { line } = item;
    if ('problem' in item) {
      yield rejectedItem(line, '', item.problem);
      continue;
    }
    const row: Record<string, unknown> = {};
    const notes: RejectedRow[] = [];
    for (const [key, keyValue] of Object.entries(item.value)) {
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
