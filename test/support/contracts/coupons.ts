import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbCouponStore } from '../../../functions/adapters/dynamodb/coupon-store.js';
import type { CouponStore } from '../../../functions/core/ports/index.js';
import { createTable, type DynamoDbLocal, startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { NOW } from '../fixtures.js';
import type { MakeStore } from './stores.js';

/**
 * What a coupon store must do, run against the in-memory fake (test/unit/core/ports/coupon-contract.test.ts)
 * and the DynamoDB store on DynamoDB Local (test/workflows/coupon-store-contract.test.ts). Each test has a
 * pool of its own.
 */
const freshPool = () => `pool-${randomUUID().slice(0, 8)}`;
const codes = (n: number, prefix = 'C') => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

export function describeCouponStoreContract(makeStore: MakeStore<CouponStore>) {
  describe('CouponStore', () => {
    it('gives a customer who asks again the code they got the first time', async () => {
      // Prepare
      const store = makeStore();
      const pool = freshPool();
      await store.importCodes(pool, codes(3));

      // Act
      const first = await store.assignCode(pool, 'C0001', NOW);
      const again = await store.assignCode(pool, 'C0001', NOW);

      // Assess
      expect(first).toEqual({ code: 'C0001' });
      expect(again).toEqual(first);
      expect(await store.poolStats(pool)).toEqual({ codes: 3, assigned: 1 });
    });

    it('gives two customers two codes, and no code to two customers asking at once', async () => {
      // Prepare
      const store = makeStore();
      const pool = freshPool();
      await store.importCodes(pool, codes(20));
      const customers = Array.from({ length: 12 }, (_, i) => `K${i}`);

      // Act
      const given = await Promise.all(customers.map((customerId) => store.assignCode(pool, customerId, NOW)));
      const askedAgain = await Promise.all(customers.map((customerId) => store.assignCode(pool, customerId, NOW)));

      // Assess
      const handedOut = given.map((g) => g.code);
      expect(handedOut.every((code) => code !== null)).toBe(true);
      expect(new Set(handedOut).size).toBe(customers.length);
      expect(askedAgain).toEqual(given);
    });

    it('hands one customer asking many times at once one code', async () => {
      // Prepare
      const store = makeStore();
      const pool = freshPool();
      await store.importCodes(pool, codes(10));

      // Act
      const given = await Promise.all(Array.from({ length: 5 }, () => store.assignCode(pool, 'C0042', NOW)));

      // Assess
      expect(new Set(given.map((g) => g.code)).size).toBe(1);
      expect(given[0]?.code).not.toBeNull();
    });

    it('says the pool is used up once every code is taken, and that an unknown pool has none', async () => {
      // Prepare
      const store = makeStore();
      const pool = freshPool();
      await store.importCodes(pool, codes(1));
      await store.assignCode(pool, 'first', NOW);

      // Act
      const late = await store.assignCode(pool, 'second', NOW);
      const unknown = await store.assignCode(freshPool(), 'first', NOW);

      // Assess
      expect(late).toEqual({ code: null, reason: 'exhausted' });
      expect(unknown).toEqual({ code: null, reason: 'unknown-pool' });
      expect(await store.assignCode(pool, 'first', NOW)).toEqual({ code: 'C0001' });
    });

    it('adds a code loaded twice once, and hands out codes loaded later after the first ones', async () => {
      // Prepare
      const store = makeStore();
      const pool = freshPool();

      // Act
      const first = await store.importCodes(pool, ['A1', 'A2']);
      const second = await store.importCodes(pool, ['A2', 'B1', 'B1']);
      const given = [];
      for (const customerId of ['x', 'y', 'z', 'w']) given.push((await store.assignCode(pool, customerId, NOW)).code);

      // Assess
      expect(first).toEqual({ added: 2, already: 0 });
      expect(second).toEqual({ added: 1, already: 2 });
      expect(given).toEqual(['A1', 'A2', 'B1', null]);
      expect(await store.poolStats(pool)).toEqual({ codes: 3, assigned: 3 });
      expect(await store.poolStats(freshPool())).toBeNull();
    });
  });
}

/** The coupon store on this file's DynamoDB Local (started and stopped like the other contract stores). */
export function useDynamoDbLocalCouponStore(): () => CouponStore {
  let ddb: DynamoDbLocal | undefined;
  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    await createTable(ddb.client, 'revisit');
  });
  afterAll(async () => {
    await ddb?.stop();
  });
  return () => {
    if (!ddb) throw new Error('DynamoDB Local has not started');
    return dynamoDbCouponStore(ddb.client, 'revisit');
  };
}
