import {
  type ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { SendRateLimiter } from '../../core/ports/index.js';
import type { Channel } from '../../core/schemas.js';
import { rateBucketOf } from '../../core/send-scheduler.js';
import { keys } from './keys.js';
import { isConditionFailure } from './table.js';

/**
 * Send slots counted in the table: one item per channel and rate bucket (a second, or 1/rate), whose
 * counter is raised with a conditional update that fails once the bucket is full. Every Contact of
 * every campaign shares these counters, so the channel's rate holds however many Lambdas send at once.
 * The n-th send of a bucket goes at its n-th slot (slots evenly spaced inside the bucket, as RateBuckets
 * spaces the planned ones), never earlier than asked: so no sliding second holds more than the rate
 * either, but for the time a send takes to leave after its slot.
 * The items expire a day later (TTL).
 *
 * A bucket once full stays full (its counter only grows), so this instance remembers the full ones and
 * skips them: many senders due in the same second then do not each try every full bucket before theirs.
 */
export class DynamoDbRateLimiter implements SendRateLimiter {
  /** Buckets known to be full, by channel, bucket size and capacity. */
  private readonly full = new Map<string, Set<number>>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private knownFull(channel: Channel, bucketMs: number, capacity: number, firstBucket: number): Set<number> {
    // By capacity too: a second full for a campaign at 10 a second is not full for one at 20.
    const key = `${channel}#${bucketMs}#${capacity}`;
    let buckets = this.full.get(key);
    if (!buckets) {
      buckets = new Set();
      this.full.set(key, buckets);
    }
    // Buckets in the past are never asked for again.
    if (buckets.size > 1024) for (const bucket of buckets) if (bucket < firstBucket) buckets.delete(bucket);
    return buckets;
  }

  async reserve(channel: Channel, perSecond: number, notBefore: Date, horizonSeconds: number): Promise<Date | null> {
    const { bucketMs, capacity, spacingMs } = rateBucketOf(perSecond);
    const from = notBefore.getTime();
    const full = this.knownFull(channel, bucketMs, capacity, Math.floor(from / bucketMs));
    for (let bucket = Math.floor(from / bucketMs); bucket * bucketMs <= from + horizonSeconds * 1000; bucket++) {
      if (full.has(bucket)) continue;
      const start = bucket * bucketMs;
      // The slots of this bucket whose time has passed (a sender asking late in a second) are not given
      // out: every send keeps its place on the grid, so no sliding second holds more than the rate
      // (handing them out "now" would bunch a second's sends at its end, next to the next second's).
      const passed = Math.max(0, Math.ceil((from - start) / spacingMs));
      if (passed >= capacity) continue;
      const used = await this.take(channel, start, capacity, passed);
      if (used === null) {
        full.add(bucket);
        continue;
      }
      if (used >= capacity) full.add(bucket);
      return new Date(start + (used - 1) * spacingMs);
    }
    return null;
  }

  /**
   * Takes the next free slot of a bucket at or after slot `passed`: the bucket's new count (the slot
   * taken is count - 1), or null when it is full. One conditional update as a rule (a new bucket starts
   * at `passed`; a refusal returns the count, so a full bucket costs no more); only when the count lags
   * behind the slots already passed, a second one jumps it to the first slot not passed, and if another
   * sender raised it meanwhile, a third takes the next in turn.
   */
  private async take(channel: Channel, start: number, capacity: number, passed: number): Promise<number | null> {
    const { pk, sk } = keys.rateBucket(channel, start);
    const key = { pk: { S: pk }, sk: { S: sk } };
    const ttl = { N: String(Math.floor(start / 1000) + 86_400) };
    const inTurn = () =>
      this.update({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET used = if_not_exists(used, :passed) + :one, expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(used) OR (used >= :passed AND used < :capacity)',
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':passed': { N: String(passed) },
          ':capacity': { N: String(capacity) },
          ':ttl': ttl,
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    const first = await inTurn();
    if (first.taken !== null) return first.taken;
    // Refused with the count at or past the slots passed (or with none passed): the bucket is full. Else
    // the count lags behind the slots already passed (or was not returned): jump it.
    if (passed === 0 || (first.count !== null && first.count >= passed)) return null;
    const jumped = await this.update({
      TableName: this.tableName,
      Key: key,
      UpdateExpression: 'SET used = :next, expiresAt = :ttl',
      ConditionExpression: 'used < :passed',
      ExpressionAttributeValues: { ':next': { N: String(passed + 1) }, ':passed': { N: String(passed) }, ':ttl': ttl },
      ReturnValues: 'UPDATED_NEW',
    });
    return jumped.taken ?? (await inTurn()).taken;
  }

  /** The count after a conditional update, or, when its condition failed, the count it found (if any). */
  private async update(
    input: UpdateItemCommandInput,
  ): Promise<{ taken: number; count: null } | { taken: null; count: number | null }> {
    try {
      const { Attributes } = await this.client.send(new UpdateItemCommand(input));
      return { taken: Number(Attributes?.used?.N ?? '1'), count: null };
    } catch (error) {
      if (isConditionFailure(error)) {
        const used = (error as ConditionalCheckFailedException).Item?.used?.N;
        return { taken: null, count: used === undefined ? null : Number(used) };
      }
      throw error;
    }
  }
}
