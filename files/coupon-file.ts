import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { couponPoolSchema } from '../functions/core/schemas.js';
import { inert } from './customer-file.js';

/** A code goes into SMS text: letters, digits, - and _, at most 64 characters. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CODE_FORM = 'a code is 1-64 letters, digits, - or _ / 券码为 1-64 个字母、数字、- 或 _';

/** A line of a codes file that was not taken, and why (`rejected-codes.csv`). */
export interface RejectedCode {
  line: number;
  reason: string;
}

export interface CouponFile {
  /** The codes of each pool, in file order, each once. */
  pools: Map<string, string[]>;
  rejected: RejectedCode[];
}

/**
 * A codes file (`revisit coupons import FILE`): CSV with a header row naming the columns `pool` and
 * `code`, or, with `pool` given (`--pool`), one code per line (a first line `code` is taken as a header).
 * Every bad line is refused with its line number and reason, and the rest go on; a code given twice in
 * one pool is taken once (the second line is reported).
 */
export async function readCouponFile(file: string, pool?: string): Promise<CouponFile> {
  const pools = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const rejected: RejectedCode[] = [];
  const records = createReadStream(file).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  let header: { pool: number; code: number } | null = null;
  let first = true;
  for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = info.lines;
    if (first) {
      first = false;
      const names = record.map((cell) => cell.toLowerCase());
      if (pool === undefined) {
        const at = { pool: names.indexOf('pool'), code: names.indexOf('code') };
        if (at.pool < 0 || at.code < 0)
          throw new CouponFileError(
            `${file}: line 1 / 第 1 行: the header names the columns pool and code (or give --pool and one code per line) / 表头须含 pool 与 code 两列`,
          );
        header = at;
        continue;
      }
      if (record.length === 1 && names[0] === 'code') continue;
    }
    const poolName = header ? (record[header.pool] ?? '') : (pool ?? '');
    const code = header ? (record[header.code] ?? '') : record.length === 1 ? (record[0] ?? '') : '';
    if (!header && record.length !== 1) {
      rejected.push({ line, reason: 'one code per line, nothing else / 每行一个券码' });
      continue;
    }
    if (!couponPoolSchema.safeParse(poolName).success) {
      rejected.push({ line, reason: `pool: ${couponPoolSchema.safeParse(poolName).error?.issues[0]?.message ?? 'invalid'}` });
      continue;
    }
    if (!CODE.test(code)) {
      rejected.push({ line, reason: code === '' ? `no code / 缺少券码` : CODE_FORM });
      continue;
    }
    const key = `${poolName}\u0000${code}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      rejected.push({ line, reason: `the code is given twice, first on line ${earlier} / 券码重复，首次在第 ${earlier} 行` });
      continue;
    }
    seen.set(key, line);
    pools.set(poolName, [...(pools.get(poolName) ?? []), code]);
  }
  return { pools, rejected };
}

export class CouponFileError extends Error {
  override name = 'CouponFileError';
}

/** `rejected-codes.csv`: line and reason, never the code itself (a code is as good as money). */
export function rejectedCodesCsv(rows: readonly RejectedCode[]): string {
  return stringify(
    rows.map((r) => [r.line, inert(r.reason)]),
    { header: true, columns: ['line', 'reason'], bom: true },
  );
}
