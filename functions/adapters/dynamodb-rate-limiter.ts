import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SendRateLimiter } from '../core/ports.js';
import type { Channel } from '../core/schemas.js';
import { rateBucketOf } from '../core/send-scheduler.js';

/**
 * Send slots counted in the table: one item per channel and rate bucket (a second, or 1/rate), whose
 * counter is raised with a conditional update that fails once the bucket is full. Every Contact of
 * every campaign shares these counters, so the channel's rate holds however many Lambdas send at once.
 * The items expire a day later (TTL).
 *
 * A bucket once full stays full (its counter only grows), so this instance remembers the full ones and
 * skips them: many senders due in the same second then do not each try every full bucket before theirs.
 */
export class DynamoDbRateLimiter implements SendRateLimiter {
  /** Buckets known to be full, by channel and bucket size. */
  private readonly full = new Map<string, Set<number>>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private knownFull(channel: Channel, bucketMs: number, firstBucket: number): Set<number> {
    const key = `${channel}#${bucketMs}`;
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
    const full = this.knownFull(channel, bucketMs, Math.floor(from / bucketMs));
    for (let bucket = Math.floor(from / bucketMs); bucket * bucketMs <= from + horizonSeconds * 1000; bucket++) {
      if (full.has(bucket)) continue;
      try {
        const { Attributes } = await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { pk: { S: `RATE#${channel}#${bucket * bucketMs}` }, sk: { S: 'RATE' } },
            UpdateExpression: 'ADD used :one SET expiresAt = :ttl',
            ConditionExpression: 'attribute_not_exists(used) OR used < :capacity',
            ExpressionAttributeValues: {
              ':one': { N: '1' },
              ':capacity': { N: String(capacity) },
              ':ttl': { N: String(Math.floor((bucket * bucketMs) / 1000) + 86_400) },
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        const used = Number(Attributes?.used?.N ?? '1');
        if (used >= capacity) full.add(bucket);
        return new Date(Math.max(from, bucket * bucketMs + (used - 1) * spacingMs));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException'))
          throw error;
        full.add(bucket);
      }
    }
    return null;
  }
}
