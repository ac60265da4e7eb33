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

describe('the send-rate limiter keeps its sends on an even grid', () => {
  it('gives a sender asking late in a second the next slot not passed, so no sliding second goes over the rate', async () => {
    const limiter = new DynamoDbRateLimiter(ddb.client, 'revisit');
    const second = Date.parse('2026-12-18T01:00:00.000Z');

    // Three senders early in the second, then a crowd at 0.75 s: the crowd may not bunch up at 0.75 s.
    const early = await Promise.all(Array.from({ length: 3 }, () => limiter.reserve('sms', 10, new Date(second), 60)));
    const late = await Promise.all(Array.from({ length: 12 }, () => limiter.reserve('sms', 10, new Date(second + 750), 60)));

    const times = [...early, ...late].map((slot) => (slot as Date).getTime()).sort((a, b) => a - b);
    expect(early.map((slot) => (slot as Date).getTime() - second).sort((a, b) => a - b)).toEqual([0, 100, 200]);
    // Of the late ones: the slots at 0.8 s and 0.9 s, then the next second's from its start, 100 ms apart.
    for (const slot of late) expect((slot as Date).getTime()).toBeGreaterThanOrEqual(second + 750);
    expect(times.slice(3).map((t) => t - second)).toEqual([800, 900, ...Array.from({ length: 10 }, (_, i) => 1000 + i * 100)]);
    for (let i = 10; i < times.length; i++) expect((times[i] as number) - (times[i - 10] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('takes a bucket whose count lags behind the time from the first slot not passed, and no earlier one', async () => {
    const limiter = new DynamoDbRateLimiter(ddb.client, 'revisit');
    const second = Date.parse('2026-12-19T01:00:00.000Z');

    const first = await limiter.reserve('email', 4, new Date(second + 10), 0);
    const second2nd = await limiter.reserve('email', 4, new Date(second + 10), 0);
    const lagging = await limiter.reserve('email', 4, new Date(second + 600), 0);
    const none = await limiter.reserve('email', 4, new Date(second + 600), 0);
    const next = await limiter.reserve('email', 4, new Date(second + 600), 1);

    expect([first, second2nd, lagging, next].map((slot) => (slot as Date).getTime() - second)).toEqual([250, 500, 750, 1000]);
    expect(none).toBeNull();
  });
});
