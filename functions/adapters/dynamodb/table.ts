import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { KEY_FIELDS } from './keys.js';

export type ItemKey = { pk: string; sk: string };
type Item = Record<string, unknown>;

/** A filter on the items a query reads (FilterExpression with its names and values). */
export interface ItemFilter {
  expression: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/** A conditional write's outcome: the item after it, or the ConditionalCheckFailed error. */
export type Conditional = { written: true; attributes: Item | undefined } | { written: false; error: Error };

/** The key a page of a query ends at, as DynamoDB returned it: the cursor handed out is only ever that. */
const cursorSchema = z.record(z.string(), z.unknown());

function encodeCursor(key: Item | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

function decodeCursor(cursor: string | null): Item | undefined {
  return cursor ? cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))) : undefined;
}

/** A record as the table holds it, without the attributes only the table needs. */
export function strip(item: Item): Item {
  const copy = { ...item };
  for (const field of KEY_FIELDS) delete copy[field];
  return copy;
}

/** DynamoDB refused a write for its condition (an instance of the SDK's class, or by name across SDK copies). */
export function isConditionFailure(error: unknown): error is Error {
  return (
    error instanceof ConditionalCheckFailedException || (error as Error | undefined)?.name === 'ConditionalCheckFailedException'
  );
}

/** `:prefix0, :prefix1, ...` for an `IN (...)` condition, the values added to `values`. */
export function valueList(values: Record<string, unknown>, prefix: string, list: readonly unknown[]): string {
  return list
    .map((value, i) => {
      values[`:${prefix}${i}`] = value;
      return `:${prefix}${i}`;
    })
    .join(', ');
}

/** A strongly consistent query of the items in `pk` whose sort key starts with `prefix` and that `filter` keeps. */
function prefixWhere(pk: string, prefix: string, filter: ItemFilter) {
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: filter.expression,
    ...(filter.names ? { ExpressionAttributeNames: filter.names } : {}),
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ...filter.values },
    ConsistentRead: true,
  };
}

/** The one table every store shares: the reads, writes and pagination they all need, written once. */
export class Table {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly name: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** A strongly consistent read of one item, parsed with `schema`; null when there is none. */
  async get<T>(key: ItemKey, schema: z.ZodType<T>): Promise<T | null> {
    const Item = await this.getItem({ Key: key, ConsistentRead: true });
    return Item ? schema.parse(strip(Item)) : null;
  }

  async getItem(input: Omit<GetCommandInput, 'TableName'>): Promise<Item | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.name, ...input }));
    return Item;
  }

  async put(input: Omit<PutCommandInput, 'TableName'>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.name, ...input }));
  }

  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    const { Attributes } = await this.doc.send(new UpdateCommand({ TableName: this.name, ...input }));
    return Attributes;
  }

  /** A PutItem with a condition: whether it was written (the one place a failed condition is caught). */
  conditionalPut(input: Omit<PutCommandInput, 'TableName'>): Promise<Conditional> {
    return this.conditionally(() => this.put(input).then(() => undefined));
  }

  /** An UpdateItem with a condition: the item after it (with `ReturnValues`), or that the condition failed. */
  conditionalUpdate(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Conditional> {
    return this.conditionally(() => this.update(input));
  }

  private async conditionally(write: () => Promise<Item | undefined>): Promise<Conditional> {
    try {
      return { written: true, attributes: await write() };
    } catch (error) {
      if (isConditionFailure(error)) return { written: false, error };
      throw error;
    }
  }

  /** One page of a query, from `cursor`, and the cursor of the next page (null after the last). */
  async queryPage(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, cursor: string | null) {
    const page = await this.doc.send(
      new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: decodeCursor(cursor) }),
    );
    return { items: page.Items ?? [], nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /** Every item a query finds, all pages, unparsed. */
  queryItems(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    return this.allPages((ExclusiveStartKey) =>
      this.doc.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey })),
    );
  }

  /** Every item a query finds, all pages, each parsed with `schema`. */
  async queryAll<T>(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, schema: z.ZodType<T>): Promise<T[]> {
    return (await this.queryItems(input)).map((item) => schema.parse(strip(item)));
  }

  /** Every item of partition `pk` whose sort key starts with `prefix`. */
  queryPrefix<T>(pk: string, prefix: string, schema: z.ZodType<T>): Promise<T[]> {
    return this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      },
      schema,
    );
  }

  /** Every item in `pk` whose sort key starts with `prefix` and that `filter` keeps (strongly consistent), parsed with `schema`. */
  queryPrefixWhere<T>(pk: string, prefix: string, filter: ItemFilter, schema: z.ZodType<T>): Promise<T[]> {
    return this.queryAll(prefixWhere(pk, prefix, filter), schema);
  }

  /** The keys of the items `queryPrefixWhere` finds. */
  async keysOf(pk: string, prefix: string, filter: ItemFilter): Promise<ItemKey[]> {
    const items = await this.queryItems({ ...prefixWhere(pk, prefix, filter), ProjectionExpression: 'pk, sk' });
    return items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  }

  /** Every item a scan finds, all pages, unparsed. */
  scanItems(input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    return this.allPages((ExclusiveStartKey) =>
      this.doc.send(new ScanCommand({ ...input, TableName: this.name, ExclusiveStartKey })),
    );
  }

  private async allPages(read: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>) {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await read(start);
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Writes items, 25 to a BatchWriteItem, retrying what DynamoDB leaves unprocessed. */
  putAll(items: readonly Item[]): Promise<void> {
    return this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  /** Deletes items by key, 25 to a BatchWriteItem, retrying what DynamoDB leaves unprocessed. */
  deleteAll(itemKeys: readonly ItemKey[]): Promise<void> {
    return this.batchWrite(itemKeys.map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } })));
  }

  private async batchWrite(all: readonly (Record<'PutRequest', { Item: Item }> | Record<'DeleteRequest', { Key: ItemKey }>)[]) {
    for (let i = 0; i < all.length; i += 25) {
      let requests = all.slice(i, i + 25);
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: requests } }));
        requests = (result.UnprocessedItems?.[this.name] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }
}
