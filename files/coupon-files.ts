import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CouponStore } from '../functions/core/ports/index.js';
import { readCouponFile, rejectedCodesCsv } from './coupon-file.js';

export interface CouponImport {
  pools: { pool: string; added: number; already: number; codes: number; assigned: number }[];
  rejected: number;
}

/** Loads a codes file into a coupon store: each pool's codes, then its counts; the bad lines to rejected-codes.csv. */
export async function importCodesInto(
  store: CouponStore,
  options: { file: string; pool?: string | undefined; outDir: string },
): Promise<CouponImport> {
  const { pools, rejected } = await readCouponFile(options.file, options.pool);
  const result: CouponImport = { pools: [], rejected: rejected.length };
  for (const [pool, codes] of pools) {
    const { added, already } = await store.importCodes(pool, codes);
    const stats = (await store.poolStats(pool)) ?? { codes: 0, assigned: 0 };
    result.pools.push({ pool, added, already, ...stats });
  }
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'rejected-codes.csv'), rejectedCodesCsv(rejected));
  return result;
}
