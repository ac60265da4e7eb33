import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type ImportItem, rejectedCsv } from '../../files/customer-file.js';
import { CUSTOMER_COLUMNS, type CustomerColumn } from '../../functions/core/customer-row.js';
import { reportsOf } from './customer-files.js';

/**
 * What the generated customer files (test/fuzz/files/customers/) share: the seed, values as customer files
 * hold them, how an editor counts lines, and the checks every import must pass, whatever the file held.
 */

export const SEED = 20_270_116;
export const LF = 0x0a;
export const CR = 0x0d;

// ------------------------------------------------------------------------------------ valid values

const htmlAndScript = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;', "'"];

/** Names as people and spreadsheets write them: quotes, commas, line breaks, markup, emoji, RTL marks, formula starts. */
export const nameText = fc
  .string({
    unit: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('王', '芳', '欧', '阳', 'L', 'i', ' ', '·', 'é', '１') },
      { weight: 2, arbitrary: fc.constantFrom('"', ',', '\n', '\r\n', ';', '\t', '\uFEFF', '\u202E', '\u200F') },
      { weight: 1, arbitrary: fc.constantFrom(...htmlAndScript) },
      { weight: 1, arbitrary: fc.constantFrom('=', '+', '-', '@', '=HYPERLINK("http://x")') },
      { weight: 1, arbitrary: fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳') },
    ),
    minLength: 1,
    maxLength: 10,
  })
  .filter((name) => name.trim() !== '' && name.trim().length <= 200);

/** The part of an id after its unique prefix: anything a person could type on one line. */
export const idSuffix = fc.string({
  unit: fc.constantFrom('7', '王', '😀', '-', '＃', 'é', '<', '>', '&', '=', '"', ',', ' ', "'"),
  maxLength: 4,
});

export const VALUES: Partial<Record<CustomerColumn, fc.Arbitrary<string>>> = {
  locale: fc.constantFrom('zh-CN', 'en-US', 'en_us', 'ZH-cn', ''),
  timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/London', ''),
  accountManager: fc.constantFrom('li.na@example.com', 'Head@Example.CN', ''),
  managerChain: fc.constantFrom('a@example.com;b@example.com', 'Boss@Example.com', ''),
  smsConsent: fc.constantFrom('yes', 'no', '是', '否', '1', '0', 'TRUE', ''),
  emailConsent: fc.constantFrom('yes', 'false', ''),
  lastPurchaseAt: fc.constantFrom('2026-03-31', '2026/3/31', '2026-03-31 10:00', '2026-03-31T10:00:00+08:00', ''),
  firstPurchaseAt: fc.constantFrom('2024-01-01', ''),
  orders12m: fc.constantFrom('0', '3', '１２', ''),
  spend12m: fc.constantFrom('12,345.50', '¥1200', '$3.5', '0', ''),
  spendPrev3m: fc.constantFrom('300', ''),
  spendLast3m: fc.constantFrom('１,２００', ''),
  openComplaints: fc.constantFrom('0', '2', ''),
  tags: fc.constantFrom('vip;online', 'a,b', 'x；y', '<b>vip</b>', ''),
};

/** At least one of phone and e-mail, in the forms customer files hold. */
export const contact = fc
  .record({
    phone: fc.constantFrom('13800138000', '+86 138 0013 8001', '１３８００１３８００２', '138-0013-8003', '+1 212 555 0134', ''),
    email: fc.constantFrom('wang@example.cn', 'Li.Na@Example.COM', "o'brien@example.com", ''),
  })
  .filter((c) => c.phone !== '' || c.email !== '');

/** Text for columns the reader ignores (unknown or repeated): anything at all, NUL and markup included. */
export const junk = fc.string({ unit: fc.constantFrom('x', '"', ',', '\n', '\0', '=', '<', '😀', ' '), maxLength: 8 });

export const ALWAYS: CustomerColumn[] = ['id', 'name', 'phone', 'email'];
export const OPTIONAL = CUSTOMER_COLUMNS.filter((c) => !ALWAYS.includes(c));

/** Lines as an editor counts them: LF, CRLF and a lone CR each end one. */
export function lineEndsIn(bytes: Buffer): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) count++;
    else if (bytes[i] === CR && bytes[i + 1] !== LF) count++;
  }
  return count;
}

/** The checks every import must pass, whatever the file held. */
export function expectEveryRejectionExplained(items: readonly ImportItem[], totalLines: number): void {
  for (const item of items) {
    expect(item.line).toBeGreaterThanOrEqual(1);
    expect(item.line).toBeLessThanOrEqual(totalLines);
    const reports = 'rejected' in item ? item.rejected : item.warnings;
    if ('rejected' in item) expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) {
      expect(report.line).toBe(item.line);
      expect(typeof report.column).toBe('string');
      expect(report.reason.trim().length).toBeGreaterThan(0);
      expect(['rejected', 'kept']).toContain(report.action);
    }
    // Only the header's notes (unknown or repeated columns) stand without a rejection or a customer.
    if ('rejected' in item && item.rejected.every((r) => r.action === 'kept')) expect(item.line).toBe(1);
  }
}

/** rejected.csv reads back as one row per report, and no id or column cell would run as a formula. */
export function expectRejectedCsvInert(items: readonly ImportItem[]): void {
  const reports = reportsOf(items);
  const rows: string[][] = parseCsv(rejectedCsv(reports), { bom: true, relax_column_count: false });
  expect(rows).toHaveLength(reports.length + 1);
  for (const [, id = '', column = ''] of rows.slice(1)) {
    expect(id).not.toMatch(/^[=+\-@\t\r]/);
    expect(column).not.toMatch(/^[=+\-@\t\r]/);
  }
}
