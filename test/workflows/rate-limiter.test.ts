import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb/rate-limiter.js';
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
    const ask = (atMs: number) => limiter.reserve('email', 10, new Date(second + atMs), 0);

    // Two senders early in the second (slots .1 and .2), then four at .55 s: the count (3) lags behind the 6 slots passed.
    const early = [await ask(10), await ask(10)];
    const late = [await ask(550), await ask(550), await ask(550), await ask(550)];

    expect([...early, ...late].map((slot) => (slot as Date).getTime() - second)).toEqual([100, 200, 600, 700, 800, 900]);
  });

  it('answers a full second with one request, from the count the refusal returns', async () => {
    const second = Date.parse('2026-12-20T01:00:00.000Z');
    const filler = new DynamoDbRateLimiter(ddb.client, 'revisit');
    for (let i = 0; i < 10; i++) expect(await filler.reserve('sms', 10, new Date(second), 0)).not.toBeNull();
    const requests: string[] = [];
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        requests.push(command.constructor.name);
        return ddb.client.send(command as never);
      },
    } as unknown as DynamoDBClient;

    // A sender of another Lambda (nothing cached) asks half-way through the full second.
    const slot = await new DynamoDbRateLimiter(counting, 'revisit').reserve('sms', 10, new Date(second + 450), 0);

    expect(slot).toBeNull();
    expect(requests).toEqual(['UpdateItemCommand']);
  });

  it('keeps what it knows to be full apart by rate: a second full at 10 a second still has room at 20', async () => {
    const limiter = new DynamoDbRateLimiter(ddb.client, 'revisit');
    const second = new Date('2026-12-21T01:00:00.000Z');
    for (let i = 0; i < 10; i++) await limiter.reserve('sms', 10, second, 0);

    const atTen = await limiter.reserve('sms', 10, second, 0);
    const atTwenty = await limiter.reserve('sms', 20, second, 0);

    expect(atTen).toBeNull();
    expect(atTwenty).not.toBeNull();
  });
});
