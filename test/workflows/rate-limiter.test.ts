import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { createTable, type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';

let ddb: DynamoDbLocal;
beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  await createTable(ddb.client, 'revisit');
});
afterAll(async () => {
  await ddb?.stop();
});

describe('the send-rate limiter on DynamoDB Local', () => {
  it('never gives more slots in one second than the rate, however many senders ask at once', async () => {
    const limiter = new DynamoDbRateLimiter(ddb.client, 'revisit');
    const start = new Date('2026-12-16T01:00:00.000Z');

    const slots = await Promise.all(Array.from({ length: 35 }, () => limiter.reserve('sms', 10, start, 60)));

    const perSecond = new Map<number, number>();
    for (const slot of slots) {
      expect(slot).not.toBeNull();
      const second = Math.floor((slot as Date).getTime() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
    expect(perSecond.size).toBe(4);
    expect(new Set(slots.map((s) => s?.getTime())).size).toBe(35);
  });

  it('keeps channels apart and says when the horizon is full', async () => {
    const limiter = new DynamoDbRateLimiter(ddb.client, 'revisit');
    const start = new Date('2026-12-17T01:00:00.000Z');

    const sms = await limiter.reserve('sms', 1, start, 0);
    const email = await limiter.reserve('email', 1, start, 0);
    const full = await limiter.reserve('sms', 1, start, 0);

    expect(sms?.getTime()).toBe(start.getTime());
    expect(email?.getTime()).toBe(start.getTime());
    expect(full).toBeNull();
  });
});
