import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { CouponAssignment, CouponStore } from '../../core/ports/coupons.js';
import { Table } from './table.js';

/**
 * A coupon pool's partition (docs/templates.md, "Coupon codes"): the pool's counters (POOL), its codes in
 * the order they were loaded (CODE#<seq>), each code's place (NAME#<code>, so that a code loaded twice is
 * one code) and each customer's hold on one of them (HOLDER#<customerId>).
 */
const couponKeys = {
  pool: (pool: string) => ({ pk: `COUPONS#${pool}`, sk: 'POOL' }),
  code: (pool: string, seq: number) => ({ pk: `COUPONS#${pool}`, sk: `CODE#${String(seq).padStart(10, '0')}` }),
  name: (pool: string, code: string) => ({ pk: `COUPONS#${pool}`, sk: `NAME#${code}` }),
  holder: (pool: string, customerId: string) => ({ pk: `COUPONS#${pool}`, sk: `HOLDER#${customerId}` }),
};

const poolSchema = z.object({ size: z.number().int().min(0), next: z.number().int().min(0).default(0) });
const holderSchema = z.object({ seq: z.number().int().min(0), code: z.string().optional() });
const nameSchema = z.object({ seq: z.number().int().min(0) });
const codeSchema = z.object({ code: z.string() });

/** Codes read and written per round of an import. */
const IMPORT_CHUNK = 100;

/**
 * CouponStore on the table, with Get, Put, Update and Query only (the Contact function's grants):
 * 1. a customer who holds a code gets it again (HOLDER#);
 * 2. else the pool's atomic counter hands out the next place (`next < size`, so never past the last code),
 *    and the customer's hold on that place is written once (attribute_not_exists): a retry after a crash
 *    finds the hold and takes the same place, so the same code;
 * 3. the code at that place is marked with its holder, on condition it has none or this one: no code ever
 *    goes to two customers. Two first requests of one customer at the same instant may spend a place that
 *    then goes to nobody (the loser's counter step): a code is wasted, never given twice.
 * Imports are one at a time per pool (the CLI holds the data folder while it imports).
 */
export class DynamoDbCouponStore implements CouponStore {
  constructor(private readonly table: Table) {}

  async importCodes(pool: string, codes: readonly string[]): Promise<{ added: number; already: number }> {
    const unique = [...new Set(codes)];
    let size = (await this.table.get(couponKeys.pool(pool), poolSchema))?.size ?? 0;
    let added = 0;
    for (let start = 0; start < unique.length; start += IMPORT_CHUNK) {
      const chunk = unique.slice(start, start + IMPORT_CHUNK);
      const places = await Promise.all(chunk.map((code) => this.table.get(couponKeys.name(pool, code), nameSchema)));
      // A place at or past the size is an import that stopped before it counted its codes: loaded again.
      const fresh = chunk.filter((_, i) => {
        const place = places[i];
        return !place || place.seq >= size;
      });
      const items = fresh.flatMap((code, i) => [
        { ...couponKeys.name(pool, code), seq: size + i },
        { ...couponKeys.code(pool, size + i), code },
      ]);
      if (items.length > 0) await this.table.putAll(items);
      const grown = size + fresh.length;
      await this.table.update({
        Key: couponKeys.pool(pool),
        UpdateExpression: 'SET #size = :grown',
        ConditionExpression: 'attribute_not_exists(#size) OR #size = :size',
        ExpressionAttributeNames: { '#size': 'size' },
        ExpressionAttributeValues: { ':grown': grown, ':size': size },
      });
      added += fresh.length;
      size = grown;
    }
    return { added, already: codes.length - added };
  }

  async assignCode(pool: string, customerId: string, at: string): Promise<CouponAssignment> {
    const holderKey = couponKeys.holder(pool, customerId);
    let hold = await this.table.get(holderKey, holderSchema);
    if (hold?.code) return { code: hold.code };
    if (!hold) {
      const reserved = await this.table.conditionalUpdate({
        Key: couponKeys.pool(pool),
        UpdateExpression: 'SET #next = if_not_exists(#next, :zero) + :one',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#next) OR #next < #size)',
        ExpressionAttributeNames: { '#next': 'next', '#size': 'size' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      });
      if (!reserved.written) {
        const stats = await this.table.get(couponKeys.pool(pool), poolSchema);
        return { code: null, reason: stats ? 'exhausted' : 'unknown-pool' };
      }
      const seq = z.object({ next: z.number() }).parse(reserved.attributes).next - 1;
      const held = await this.table.conditionalPut({
        Item: { ...holderKey, seq, customerId, reservedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      // Another request of this customer held a place first: theirs counts (this place goes to nobody).
      hold = held.written ? { seq } : await this.table.get(holderKey, holderSchema);
      if (!hold) throw new Error(`the hold of ${customerId} on coupon pool ${pool} could not be read back`);
      if (hold.code) return { code: hold.code };
    }
    const marked = await this.table.conditionalUpdate({
      Key: couponKeys.code(pool, hold.seq),
      UpdateExpression: 'SET holder = :customer, assignedAt = if_not_exists(assignedAt, :at)',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(holder) OR holder = :customer)',
      ExpressionAttributeValues: { ':customer': customerId, ':at': at },
      ReturnValues: 'ALL_NEW',
    });
    if (!marked.written) throw new Error(`coupon pool ${pool}: place ${hold.seq} is missing or held by another customer`);
    const { code } = codeSchema.parse(marked.attributes);
    await this.table.update({
      Key: holderKey,
      UpdateExpression: 'SET code = :code',
      ExpressionAttributeValues: { ':code': code },
    });
    return { code };
  }

  async poolStats(pool: string): Promise<{ codes: number; assigned: number } | null> {
    const stats = await this.table.get(couponKeys.pool(pool), poolSchema);
    return stats ? { codes: stats.size, assigned: Math.min(stats.next, stats.size) } : null;
  }
}

/** The coupon pools on the revisit table. */
export function dynamoDbCouponStore(client: DynamoDBClient, tableName: string): CouponStore {
  return new DynamoDbCouponStore(new Table(client, tableName));
}
