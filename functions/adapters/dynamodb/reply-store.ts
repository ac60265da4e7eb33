import type { ReplySender, ReplyStore } from '../../core/ports/index.js';
import { type ReplyRecord, replyRecordSchema } from '../../core/records.js';
import type { Channel } from '../../core/schemas.js';
import { keys, prefixes } from './keys.js';
import type { ItemFilter, Table } from './table.js';

/** Only the replies sent from the address (by its hash). */
const fromSender = (channel: Channel, address: string): ItemFilter => ({
  expression: 'fromHash = :from',
  values: { ':from': keys.replySender(channel, address).fromHash },
});

/** ReplyStore on the table: a REPLY item in the campaign's partition, or in UNMATCHED for a reply that matched no touch. */
export class DynamoDbReplyStore implements ReplyStore {
  constructor(private readonly table: Table) {}

  async putReply(record: ReplyRecord, from?: ReplySender): Promise<boolean> {
    const result = await this.table.conditionalPut({
      Item: {
        ...keys.reply(record.campaignId, record.replyId),
        ...record,
        ...(from ? keys.replySender(from.channel, from.address) : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return result.written;
  }

  listReplies(campaignId: string): Promise<ReplyRecord[]> {
    return this.table.queryPrefix(keys.campaignPartition(campaignId), prefixes.reply, replyRecordSchema);
  }

  /** The UNMATCHED partition, filtered by the sender's hashed address (reads all unmatched replies). */
  unmatchedRepliesFrom(channel: Channel, address: string): Promise<ReplyRecord[]> {
    return this.table.queryPrefixWhere(keys.unmatchedPartition, prefixes.reply, fromSender(channel, address), replyRecordSchema);
  }

  async deleteUnmatchedRepliesFrom(channel: Channel, address: string): Promise<number> {
    const found = await this.table.keysOf(keys.unmatchedPartition, prefixes.reply, fromSender(channel, address));
    await this.table.deleteAll(found);
    return found.length;
  }
}
