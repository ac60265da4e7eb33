import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CouponFileError, readCouponFile } from '../../../files/coupon-file.js';
import { importCodesInto } from '../../../files/coupon-files.js';
import { InMemoryCouponStore } from '../../support/fakes/index.js';

const dir = mkdtempSync(join(tmpdir(), 'revisit-coupons-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('codes files', () => {
  it('reads pool,code CSV, refusing each bad line with its number and reason', async () => {
    // Prepare
    const path = file(
      'codes.csv',
      '\uFEFFpool,code\ndiamond-2027,DIA-0001\ndiamond-2027,DIA-0002\ndiamond-2027,DIA-0001\nbad pool,X\nlost-2027,\nlost-2027,WB 01\nlost-2027,WB-01\n',
    );

    // Act
    const { pools, rejected } = await readCouponFile(path);

    // Assess
    expect(Object.fromEntries(pools)).toEqual({ 'diamond-2027': ['DIA-0001', 'DIA-0002'], 'lost-2027': ['WB-01'] });
    expect(rejected.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    expect(rejected[0]?.reason).toMatch(/given twice, first on line 2/);
  });

  it('reads one code per line into the pool given, a first line `code` being a header', async () => {
    // Act
    const { pools, rejected } = await readCouponFile(file('plain.txt', 'code\nA1\n\nA2\nA3,extra\n'), 'silver');

    // Assess
    expect(Object.fromEntries(pools)).toEqual({ silver: ['A1', 'A2'] });
    expect(rejected).toEqual([{ line: 5, reason: expect.stringMatching(/one code per line/) }]);
  });

  it('refuses a CSV without the pool and code columns, naming --pool', async () => {
    // Act / Assess
    await expect(readCouponFile(file('nohead.csv', 'A1\nA2\n'))).rejects.toThrow(CouponFileError);
    await expect(readCouponFile(file('nohead2.csv', 'A1\nA2\n'))).rejects.toThrow(/--pool/);
  });

  it('loads the codes into the store once: a second import of the same file adds nothing', async () => {
    // Prepare
    const store = new InMemoryCouponStore();
    const path = file('again.csv', 'pool,code\np,C1\np,C2\n');
    const outDir = join(dir, 'out');

    // Act
    const first = await importCodesInto(store, { file: path, outDir });
    await store.assignCode('p', 'K1', '2027-01-01T00:00:00.000Z');
    const second = await importCodesInto(store, { file: path, outDir });

    // Assess
    expect(first.pools).toEqual([{ pool: 'p', added: 2, already: 0, codes: 2, assigned: 0 }]);
    expect(second.pools).toEqual([{ pool: 'p', added: 0, already: 2, codes: 2, assigned: 1 }]);
    expect(readFileSync(join(outDir, 'rejected-codes.csv'), 'utf8')).toBe('\uFEFFline,reason\n');
  });
});
