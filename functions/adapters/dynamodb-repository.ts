import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { launchDayOf } from '../core/campaign-phases.js';
import type { CampaignRepository, CustomerRecordsInCampaign, ReplySender, SuppressionEntry, TouchKey } from '../core/ports.js';
import {
  type CampaignRecord,
  campaignRecordSchema,
  type EscalationRecord,
  escalationRecordSchema,
  type LifecycleRecord,
  lifecycleRecordSchema,
  type ReplyRecord,
  replyRecordSchema,
  storedCustomerSchema,
  type TicketRecord,
  type TouchRecord,
  type TouchReply,
  ticketRecordSchema,
  touchRecordSchema,
} from '../core/records.js';
import { type Channel, type Customer, channelSchema } from '../core/schemas.js';
import { keys } from './table-keys.js';

const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'fromHash'];

type ItemKey = { pk: string; sk: string };

const suppressionEntrySchema = z.object({ channel: channelSchema, source: z.string(), at: z.string() });

/** The sort key prefixes of a customer's own items in a campaign's partition (the trailing # ends the id). */
const customerPrefixes = (customerId: string) => [`TOUCH#${customerId}#`, `ESCALATION#${customerId}#`, `TICKET#${customerId}#`];

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...item };
  for (const field of KEY_FIELDS) delete copy[field];
  return copy;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException || (error as Error | undefined)?.name === 'ConditionalCheckFailedException'
  );
}

function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

function decodeCursor(cursor: string | null): Record<string, unknown> | undefined {
  return cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
}

export interface RepositoryOptions {
  /**
   * How long a campaign's record (settings, templates, cut-offs) is reused before it is read again, in
   * milliseconds. Every step reads it, so a warm Lambda (or the local engine) saves a read and a parse per
   * step. A send checks `getCampaignStatus` first, which is always read: a pause holds at once, and
   * settings changed since the cached read are read again.
   * @default 0 (always read)
   */
  campaignCacheMs?: number;
  /**
   * How long a customer's imported row is reused, in milliseconds (it does not change during a campaign;
   * an erasure stops the customer's lifecycles before it deletes the row). Up to 50,000 rows are kept.
   * @default 0 (always read)
   */
  customerCacheMs?: number;
}

const CUSTOMER_CACHE_SIZE = 50_000;

/** CampaignRepository on one DynamoDB table (key design in table-keys.ts). */
export class DynamoDbCampaignRepository implements CampaignRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly campaignCache = new Map<string, { record: CampaignRecord; readAt: number }>();
  private readonly customerCache = new Map<string, { customer: Customer; readAt: number }>();

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: RepositoryOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  private async get<T>(key: { pk: string; sk: string }, schema: z.ZodType<T>): Promise<T | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? schema.parse(strip(Item)) : null;
  }

  private async queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>, schema: z.ZodType<T>): Promise<T[]> {
    const out: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }));
      for (const item of page.Items ?? []) out.push(schema.parse(strip(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  private queryPrefix<T>(campaignId: string, prefix: string, schema: z.ZodType<T>): Promise<T[]> {
    return this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaignId}`, ':prefix': prefix },
      },
      schema,
    );
  }

  async putCampaign(record: CampaignRecord): Promise<void> {
    this.campaignCache.delete(record.campaignId);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.campaign(record.campaignId), ...record } }));
  }

  async deleteCampaign(campaignId: string): Promise<number> {
    this.campaignCache.delete(campaignId);
    for (const key of this.customerCache.keys()) if (key.startsWith(`${campaignId}\u0000`)) this.customerCache.delete(key);
    let deleted = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaignId}` },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey,
        }),
      );
      const items = (page.Items ?? []) as ItemKey[];
      await this.deleteKeys(items);
      deleted += items.length;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return deleted;
  }

  /** Deletes items by key, 25 to a BatchWriteItem, retrying what DynamoDB leaves unprocessed. */
  private async deleteKeys(itemKeys: readonly ItemKey[]): Promise<void> {
    for (let i = 0; i < itemKeys.length; i += 25) {
      let requests = itemKeys.slice(i, i + 25).map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  /** The keys of every item in `pk` whose sort key starts with `prefix` and that `filter` keeps (strongly consistent). */
  private async keysOf(
    pk: string,
    prefix: string,
    filter: { expression: string; names?: Record<string, string>; values: Record<string, unknown> },
  ): Promise<ItemKey[]> {
    const found: ItemKey[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: filter.expression,
          ProjectionExpression: 'pk, sk',
          ...(filter.names ? { ExpressionAttributeNames: filter.names } : {}),
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ...filter.values },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) found.push({ pk: String(item.pk), sk: String(item.sk) });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | null> {
    const ttl = this.options.campaignCacheMs ?? 0;
    const cached = this.campaignCache.get(campaignId);
    if (cached && Date.now() - cached.readAt < ttl) return cached.record;
    const record = await this.get(keys.campaign(campaignId), campaignRecordSchema);
    if (record && ttl > 0) this.campaignCache.set(campaignId, { record, readAt: Date.now() });
    return record;
  }

  async getCampaignStatus(campaignId: string): Promise<Pick<CampaignRecord, 'status' | 'settingsUpdatedAt'> | null> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.campaign(campaignId),
        ConsistentRead: true,
        ProjectionExpression: '#status, settingsUpdatedAt',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    if (!Item) return null;
    const current = campaignRecordSchema.pick({ status: true, settingsUpdatedAt: true }).parse(Item);
    const cached = this.campaignCache.get(campaignId)?.record;
    if (
      cached &&
      (cached.status !== current.status || (cached.settingsUpdatedAt ?? null) !== (current.settingsUpdatedAt ?? null))
    )
      this.campaignCache.delete(campaignId);
    return current;
  }

  async setCampaignStatus(
    campaignId: string,
    from: readonly CampaignRecord['status'][],
    to: CampaignRecord['status'],
    reason: string | null,
    at: string,
  ): Promise<boolean> {
    this.campaignCache.delete(campaignId);
    const values: Record<string, unknown> = { ':to': to, ':reason': reason, ':at': at };
    const allowed = from.map((status, i) => {
      values[`:from${i}`] = status;
      return `:from${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign(campaignId),
          UpdateExpression: 'SET #status = :to, statusReason = :reason, statusChangedAt = :at',
          ConditionExpression: `attribute_exists(pk) AND #status IN (${allowed.join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async updateCampaign(
    campaignId: string,
    changes: Partial<Pick<CampaignRecord, 'campaign' | 'launch' | 'settingsUpdatedAt'>>,
    onlyIn?: readonly CampaignRecord['status'][],
  ): Promise<boolean> {
    this.campaignCache.delete(campaignId);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        return `#${field} = :${field}`;
      });
    if (sets.length === 0) return true;
    let condition = 'attribute_exists(pk)';
    if (onlyIn) {
      names['#status'] = 'status';
      const allowed = onlyIn.map((status, i) => {
        values[`:in${i}`] = status;
        return `:in${i}`;
      });
      condition += ` AND #status IN (${allowed.join(', ')})`;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign(campaignId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putCustomers(campaignId: string, customers: readonly Customer[]): Promise<void> {
    for (const customer of customers) this.customerCache.delete(`${campaignId}\u0000${customer.id}`);
    for (let i = 0; i < customers.length; i += 25) {
      let requests = customers.slice(i, i + 25).map((customer) => ({
        PutRequest: {
          Item: {
            ...keys.customer(campaignId, customer.id),
            ...keys.launchIndex(campaignId, launchDayOf(customer.plannedFirstTouch?.sendAt), customer.id),
            campaignId,
            customer,
          },
        },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  async getCustomer(campaignId: string, customerId: string): Promise<Customer | null> {
    const ttl = this.options.customerCacheMs ?? 0;
    const cacheKey = `${campaignId}\u0000${customerId}`;
    const cached = this.customerCache.get(cacheKey);
    if (cached && Date.now() - cached.readAt < ttl) return cached.customer;
    const stored = await this.get(keys.customer(campaignId, customerId), storedCustomerSchema);
    if (stored && ttl > 0) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.customerCache.size >= CUSTOMER_CACHE_SIZE)
        this.customerCache.delete(this.customerCache.keys().next().value as string);
      this.customerCache.set(cacheKey, { customer: stored.customer, readAt: Date.now() });
    }
    return stored?.customer ?? null;
  }

  async listCustomerIds(campaignId: string, cursor: string | null, limit: number, launchDay?: string) {
    if (launchDay !== undefined) {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :day',
          ExpressionAttributeValues: { ':day': keys.launchIndex(campaignId, launchDay, '').gsi1pk },
          ProjectionExpression: 'gsi1sk',
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor),
        }),
      );
      return { ids: (page.Items ?? []).map((item) => String(item.gsi1sk)), nextCursor: encodeCursor(page.LastEvaluatedKey) };
    }
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaignId}`, ':prefix': 'CUSTOMER#' },
        ProjectionExpression: 'sk',
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const ids = (page.Items ?? []).map((item) => String(item.sk).slice('CUSTOMER#'.length));
    return { ids, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  getLifecycle(campaignId: string, customerId: string): Promise<LifecycleRecord | null> {
    return this.get(keys.lifecycle(campaignId, customerId), lifecycleRecordSchema);
  }

  async createLifecycle(record: LifecycleRecord): Promise<LifecycleRecord> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.lifecycle(record.campaignId, record.customerId), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getLifecycle(record.campaignId, record.customerId);
      if (!existing) throw error;
      return existing;
    }
  }

  async updateLifecycle(campaignId: string, customerId: string, changes: Partial<LifecycleRecord>): Promise<void> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.lifecycle(campaignId, customerId),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async claimTouch(record: TouchRecord) {
    const touchKey = keys.touch(record.campaignId, record.customerId, record.touch);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...touchKey,
            ...keys.addressIndex(record.channel, record.address, record.claimedAt, touchKey.sk),
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { claimed: true as const };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.touch(record.campaignId, record.customerId, record.touch),
          UpdateExpression: 'SET #status = :claimed, claimedAt = :at ADD attempts :one',
          ConditionExpression: '#status = :released',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':released': 'released', ':at': record.claimedAt, ':one': 1 },
        }),
      );
      return { claimed: true as const };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getTouch(record);
      if (!existing) throw error;
      return { claimed: false as const, existing };
    }
  }

  async releaseTouch(key: TouchKey, reason: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.touch(key.campaignId, key.customerId, key.touch),
        UpdateExpression: 'SET #status = :released, lastError = :reason',
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': 'released', ':claimed': 'claimed', ':reason': reason },
      }),
    );
  }

  async markTouchSent(key: TouchKey, sent: { messageId: string; sentAt: string; replyDeadline: string }): Promise<void> {
    const base = {
      TableName: this.tableName,
      Key: keys.touch(key.campaignId, key.customerId, key.touch),
      ExpressionAttributeValues: {
        ':m': sent.messageId,
        ':s': sent.sentAt,
        ':d': sent.replyDeadline,
      },
    };
    const fields = 'messageId = :m, sentAt = :s, replyDeadline = :d';
    try {
      await this.doc.send(
        new UpdateCommand({
          ...base,
          UpdateExpression: `SET ${fields}, #status = :sent`,
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ':sent': 'sent', ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      // A fast reply raced ahead of this write: keep its status, record the send all the same.
      if (!isConditionFailure(error)) throw error;
      await this.doc.send(new UpdateCommand({ ...base, UpdateExpression: `SET ${fields}` }));
    }
  }

  getTouch(key: TouchKey): Promise<TouchRecord | null> {
    return this.get(keys.touch(key.campaignId, key.customerId, key.touch), touchRecordSchema);
  }

  async recentTouchesTo(channel: Channel, address: string, limit: number): Promise<TouchRecord[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': keys.addressIndex(channel, address, '', '').gsi1pk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => touchRecordSchema.parse(strip(item)));
  }

  async markTouchUnanswered(key: TouchKey): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.touch(key.campaignId, key.customerId, key.touch),
          UpdateExpression: 'SET #status = :u',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':u': 'unanswered' },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async recordTouchReply(key: TouchKey, reply: NonNullable<TouchRecord['reply']>, repliedAt: string) {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.touch(key.campaignId, key.customerId, key.touch),
          UpdateExpression: 'SET repliedAt = :at, reply = :reply, #status = :replied',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': repliedAt, ':reply': reply, ':replied': 'replied' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? touchRecordSchema.parse(strip(Attributes)) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  async addReplyFollowUp(
    key: TouchKey,
    replyId: string,
    followUp: Partial<Pick<TouchReply, 'nps' | 'comment' | 'dimensions' | 'answers'>> & { followUpAt: string },
  ): Promise<boolean> {
    const fields = Object.entries(followUp).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = { '#reply': 'reply', '#replyId': 'replyId', '#followUpAt': 'followUpAt' };
    const values: Record<string, unknown> = { ':replyId': replyId };
    const sets = fields.map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#reply.#f${i} = :f${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.touch(key.campaignId, key.customerId, key.touch),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#reply.#replyId = :replyId AND attribute_not_exists(#reply.#followUpAt)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putReply(record: ReplyRecord, from?: ReplySender): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.reply(record.campaignId, record.replyId),
            ...record,
            ...(from ? keys.replySender(from.channel, from.address) : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  listReplies(campaignId: string): Promise<ReplyRecord[]> {
    return this.queryPrefix(campaignId, 'REPLY#', replyRecordSchema);
  }

  async claimEscalation(record: EscalationRecord): Promise<boolean> {
    const key = keys.escalation(record.campaignId, record.customerId, record.touch);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :released',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':released': 'released' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseEscalation(campaignId: string, customerId: string, touch: number, reason: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.escalation(campaignId, customerId, touch),
        UpdateExpression: 'SET #status = :released, lastError = :reason',
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': 'released', ':claimed': 'claimed', ':reason': reason },
      }),
    );
  }

  async markEscalationSent(campaignId: string, customerId: string, touch: number, messageId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.escalation(campaignId, customerId, touch),
        UpdateExpression: 'SET #status = :sent, messageId = :m',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId },
      }),
    );
  }

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.suppression(channel, address), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async suppress(channel: Channel, address: string, source: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.suppression(channel, address), channel, source, at },
          // The first opt-out stays: a second one (a replayed unsubscribe link, another 退订) changes nothing.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getSuppression(channel: Channel, address: string): Promise<SuppressionEntry | null> {
    return this.get(keys.suppression(channel, address), suppressionEntrySchema);
  }

  /**
   * One Scan of the whole table that returns only the keys of the campaigns' META items (projection and
   * filter: the operator policy allows Scan of the keys alone). It reads, and is billed for, every item.
   */
  async listCampaignIds(): Promise<string[]> {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          Select: 'SPECIFIC_ATTRIBUTES',
          ProjectionExpression: '#pk, #sk',
          FilterExpression: '#sk = :meta AND begins_with(#pk, :campaign)',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':meta': 'META', ':campaign': 'CAMPAIGN#' },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.pk).slice('CAMPAIGN#'.length));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids.sort();
  }

  /**
   * Two GetItems (row, lifecycle) and four Queries on the campaign's partition: the customer's touches,
   * escalations and tickets by sort key prefix, and the campaign's replies filtered by customer (which
   * reads all of that campaign's replies). The prefixes are followed by a filter on `customerId`, so that
   * customer `A` never picks up the items of a customer `A#1`.
   */
  async customerRecordsIn(campaignId: string, customerId: string): Promise<CustomerRecordsInCampaign> {
    const ofCustomer = <T>(prefix: string, schema: z.ZodType<T>) =>
      this.queryAll(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: '#customerId = :customerId',
          ExpressionAttributeNames: { '#customerId': 'customerId' },
          ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaignId}`, ':prefix': prefix, ':customerId': customerId },
          ConsistentRead: true,
        },
        schema,
      );
    const [touchPrefix = '', escalationPrefix = '', ticketPrefix = ''] = customerPrefixes(customerId);
    const [stored, lifecycle, touches, replies, escalations, tickets] = await Promise.all([
      this.get(keys.customer(campaignId, customerId), storedCustomerSchema),
      this.getLifecycle(campaignId, customerId),
      ofCustomer(touchPrefix, touchRecordSchema),
      ofCustomer('REPLY#', replyRecordSchema),
      ofCustomer(escalationPrefix, escalationRecordSchema),
      ofCustomer(ticketPrefix, ticketRecordSchema),
    ]);
    return { campaignId, customer: stored?.customer ?? null, lifecycle, touches, replies, escalations, tickets };
  }

  /**
   * The same reads as `customerRecordsIn`, keys only (nothing is parsed, so a record of an older shape goes
   * too), then BatchWriteItem deletes; deleting a touch removes its address index (gsi1) entry with it.
   */
  async deleteCustomerRecordsIn(campaignId: string, customerId: string): Promise<number> {
    this.customerCache.delete(`${campaignId}\u0000${customerId}`);
    const pk = `CAMPAIGN#${campaignId}`;
    const found: ItemKey[] = [];
    for (const key of [keys.customer(campaignId, customerId), keys.lifecycle(campaignId, customerId)]) {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: key, ProjectionExpression: 'pk, sk', ConsistentRead: true }),
      );
      if (Item) found.push(key);
    }
    const byCustomer = {
      expression: '#customerId = :customerId',
      names: { '#customerId': 'customerId' },
      values: { ':customerId': customerId },
    };
    for (const prefix of [...customerPrefixes(customerId), 'REPLY#']) found.push(...(await this.keysOf(pk, prefix, byCustomer)));
    await this.deleteKeys(found);
    return found.length;
  }

  /** The UNMATCHED partition, filtered by the sender's hashed address (reads all unmatched replies). */
  unmatchedRepliesFrom(channel: Channel, address: string): Promise<ReplyRecord[]> {
    return this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'fromHash = :from',
        ExpressionAttributeValues: {
          ':pk': keys.reply(null, '').pk,
          ':prefix': 'REPLY#',
          ':from': keys.replySender(channel, address).fromHash,
        },
        ConsistentRead: true,
      },
      replyRecordSchema,
    );
  }

  async deleteUnmatchedRepliesFrom(channel: Channel, address: string): Promise<number> {
    const found = await this.keysOf(keys.reply(null, '').pk, 'REPLY#', {
      expression: 'fromHash = :from',
      values: { ':from': keys.replySender(channel, address).fromHash },
    });
    await this.deleteKeys(found);
    return found.length;
  }

  listLifecycles(campaignId: string): Promise<LifecycleRecord[]> {
    return this.queryPrefix(campaignId, 'LIFECYCLE#', lifecycleRecordSchema);
  }

  listTouches(campaignId: string): Promise<TouchRecord[]> {
    return this.queryPrefix(campaignId, 'TOUCH#', touchRecordSchema);
  }

  listEscalations(campaignId: string): Promise<EscalationRecord[]> {
    return this.queryPrefix(campaignId, 'ESCALATION#', escalationRecordSchema);
  }

  async createTicket(record: TicketRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.ticket(record.campaignId, record.customerId, record.touch), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getTicket(key: TouchKey): Promise<TicketRecord | null> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.ticket(key.campaignId, key.customerId, key.touch),
        ConsistentRead: true,
      }),
    );
    return Item ? ticketRecordSchema.parse(strip(Item)) : null;
  }

  async updateTicket(
    key: TouchKey,
    guard: { from: readonly TicketRecord['status'][]; level?: number },
    changes: Partial<TicketRecord>,
  ): Promise<TicketRecord | null> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const sets = entries.map(([field, value], i) => {
      names[`#c${i}`] = field;
      values[`:c${i}`] = value;
      return `#c${i} = :c${i}`;
    });
    const from = guard.from.map((status, i) => {
      values[`:from${i}`] = status;
      return `:from${i}`;
    });
    let condition = `attribute_exists(pk) AND #status IN (${from.join(', ')})`;
    if (guard.level !== undefined) {
      names['#level'] = 'level';
      values[':level'] = guard.level;
      condition += ' AND #level = :level';
    }
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ticket(key.campaignId, key.customerId, key.touch),
          UpdateExpression: sets.length > 0 ? `SET ${sets.join(', ')}` : 'SET #status = #status',
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? ticketRecordSchema.parse(strip(Attributes)) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  listTickets(campaignId: string): Promise<TicketRecord[]> {
    return this.queryPrefix(campaignId, 'TICKET#', ticketRecordSchema);
  }
}
