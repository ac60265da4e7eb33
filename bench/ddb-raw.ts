import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, prefixes } from '../functions/adapters/dynamodb/keys.js';
import { createTable, startDynamoDbLocal } from '../local/dynamodb-local.js';

export interface DdbRawResult {
  /** Requests in flight at once (the local engine keeps about as many going). */
  concurrency: number;
  putPerSecond: number;
  getPerSecond: number;
  queryPerSecond: number;
  /** Puts, consistent gets and queries of the campaign's key shapes, interleaved one to one to one. */
  mixedPerSecond: number;
}

/**
 * The floor the local engine stands on: DynamoDB Local (in memory, as the benchmark's campaign runs it)
 * answering the same client (lib-dynamodb over the runtime's DynamoDBClient, same endpoint, retries and
 * HTTP agent) as fast as it can, with `concurrency` requests in flight.
 */
export async function measureDynamoDbLocal(concurrency: number, requests: number): Promise<DdbRawResult> {
  const ddb = await startDynamoDbLocal();
  try {
    await createTable(ddb.client, 'bench');
    const doc = DynamoDBDocumentClient.from(ddb.client, { marshallOptions: { removeUndefinedValues: true } });
    const customerId = (i: number) => `C${String(i).padStart(6, '0')}`;
    const item = (i: number) => ({
      ...keys.touch(`bench-${i % 50}`, customerId(i), 1),
      status: 'sent',
      channel: 'sms',
      claimedAt: '2026-12-16T02:00:00.000Z',
      messageId: `local-sms-${i}`,
      template: 'sms/zh-CN',
      attempts: 1,
    });
    const run = async (op: (i: number) => Promise<unknown>): Promise<number> => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < requests; i = next++) await op(i);
        }),
      );
      return requests / ((performance.now() - started) / 1000);
    };
    const put = (i: number) => doc.send(new PutCommand({ TableName: 'bench', Item: item(i) }));
    const get = (i: number) =>
      doc.send(new GetCommand({ TableName: 'bench', Key: { pk: item(i).pk, sk: item(i).sk }, ConsistentRead: true }));
    const query = (i: number) =>
      doc.send(
        new QueryCommand({
          TableName: 'bench',
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': item(i).pk, ':prefix': `${prefixes.touch}${customerId(i)}` },
        }),
      );
    // Warm the JVM up first: its first thousand requests are slower than the rest.
    await run(put);
    const putPerSecond = await run(put);
    const getPerSecond = await run(get);
    const queryPerSecond = await run(query);
    const mixedPerSecond = await run((i) => [put, get, query][i % 3]?.(i) ?? Promise.resolve());
    return { concurrency, putPerSecond, getPerSecond, queryPerSecond, mixedPerSecond };
  } finally {
    await ddb.stop();
  }
}
