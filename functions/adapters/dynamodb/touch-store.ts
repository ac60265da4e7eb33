import type { RecordKey, TouchKey, TouchStore } from '../../core/ports/index.js';
import { type TouchRecord, type TouchReply, touchRecordSchema } from '../../core/records.js';
import type { Channel } from '../../core/schemas.js';
import { keys, prefixes } from './keys.js';
import { strip, type Table } from './table.js';

const touchKey = (key: TouchKey) => keys.touch(key.campaignId, key.customerId, key.touch);

/** TouchStore on the table: a TOUCH item per message, indexed (gsi1) by its recipient's hashed address. */
export class DynamoDbTouchStore implements TouchStore {
  constructor(private readonly table: Table) {}

  touchRecordKey(key: TouchKey): RecordKey {
    return touchKey(key);
  }

  async claimTouch(record: TouchRecord) {
    const key = touchKey(record);
    const created = await this.table.conditionalPut({
      Item: { ...key, ...keys.addressIndex(record.channel, record.address, record.claimedAt, key.sk), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (created.written) return { claimed: true as const };
    const reclaimed = await this.table.conditionalUpdate({
      Key: key,
      UpdateExpression: 'SET #status = :claimed, claimedAt = :at ADD attempts :one',
      ConditionExpression: '#status = :released',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':claimed': 'claimed', ':released': 'released', ':at': record.claimedAt, ':one': 1 },
    });
    if (reclaimed.written) return { claimed: true as const };
    const existing = await this.getTouch(record);
    if (!existing) throw reclaimed.error;
    return { claimed: false as const, existing };
  }

  async releaseTouch(key: TouchKey, reason: string): Promise<void> {
    await this.table.update({
      Key: touchKey(key),
      UpdateExpression: 'SET #status = :released, lastError = :reason',
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':released': 'released', ':claimed': 'claimed', ':reason': reason },
    });
  }

  async markTouchSent(key: TouchKey, sent: { messageId: string; sentAt: string; replyDeadline: string }): Promise<void> {
    const values = { ':m': sent.messageId, ':s': sent.sentAt, ':d': sent.replyDeadline };
    const fields = 'messageId = :m, sentAt = :s, replyDeadline = :d';
    const result = await this.table.conditionalUpdate({
      Key: touchKey(key),
      ExpressionAttributeValues: { ...values, ':sent': 'sent', ':claimed': 'claimed' },
      UpdateExpression: `SET ${fields}, #status = :sent`,
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    // A fast reply raced ahead of this write: keep its status, record the send all the same.
    if (!result.written)
      await this.table.update({ Key: touchKey(key), ExpressionAttributeValues: values, UpdateExpression: `SET ${fields}` });
  }

  getTouch(key: TouchKey): Promise<TouchRecord | null> {
    return this.table.get(touchKey(key), touchRecordSchema);
  }

  async recentTouchesTo(channel: Channel, address: string, limit: number): Promise<TouchRecord[]> {
    const page = await this.table.queryPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': keys.addressIndex(channel, address, '', '').gsi1pk },
        ScanIndexForward: false,
        Limit: limit,
      },
      null,
    );
    return page.items.map((item) => touchRecordSchema.parse(strip(item)));
  }

  async markTouchUnanswered(key: TouchKey): Promise<void> {
    await this.table.conditionalUpdate({
      Key: touchKey(key),
      UpdateExpression: 'SET #status = :u',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':u': 'unanswered' },
    });
  }

  async recordTouchReply(key: TouchKey, reply: NonNullable<TouchRecord['reply']>, repliedAt: string) {
    const result = await this.table.conditionalUpdate({
      Key: touchKey(key),
      UpdateExpression: 'SET repliedAt = :at, reply = :reply, #status = :replied',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': repliedAt, ':reply': reply, ':replied': 'replied' },
      ReturnValues: 'ALL_NEW',
    });
    return result.written && result.attributes ? touchRecordSchema.parse(strip(result.attributes)) : null;
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
    const result = await this.table.conditionalUpdate({
      Key: touchKey(key),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#reply.#replyId = :replyId AND attribute_not_exists(#reply.#followUpAt)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return result.written;
  }

  listTouches(campaignId: string): Promise<TouchRecord[]> {
    return this.table.queryPrefix(keys.campaignPartition(campaignId), prefixes.touch, touchRecordSchema);
  }
}
