import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type ImportItem, type RejectedRow, readCustomerFile } from '../../files/customer-file.js';
import type { RowDefaults } from '../../functions/core/customer-row.js';
import type { Customer } from '../../functions/core/schemas.js';

export const HEADER = 'id,name,phone,email';
export const cnDefaults: RowDefaults = { region: 'CN', timeZone: 'Asia/Shanghai', locale: 'zh-CN' };

const dir = mkdtempSync(join(tmpdir(), 'revisit-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Writes the bytes to a fresh temp file (named *.csv or *.jsonl) and returns its path. */
export function tempFile(content: string | Buffer, extension = 'csv'): string {
  const file = join(dir, `file-${++files}.${extension}`);
  writeFileSync(file, content);
  return file;
}

export async function importFile(file: string, defaults: RowDefaults = cnDefaults): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of readCustomerFile(file, defaults)) items.push(item);
  return items;
}

export function importText(
  content: string | Buffer,
  extension = 'csv',
  defaults: RowDefaults = cnDefaults,
): Promise<ImportItem[]> {
  return importFile(tempFile(content, extension), defaults);
}

export function customersOf(items: readonly ImportItem[]): Customer[] {
  return items.flatMap((item) => ('customer' in item ? [item.customer] : []));
}

/** Every reported row, rejected or kept, in file order. */
export function reportsOf(items: readonly ImportItem[]): RejectedRow[] {
  return items.flatMap((item) => ('rejected' in item ? item.rejected : item.warnings));
}

/** A compact view for assertions: line, column and action of each rejection, the id of each customer. */
export function outline(items: readonly ImportItem[]): string[] {
  return items.flatMap((item) =>
    'customer' in item ? [`${item.line} ok ${item.customer.id}`] : item.rejected.map((r) => `${r.line} ${r.action} ${r.column}`),
  );
}
