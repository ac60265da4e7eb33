import type { EscalationStore } from '../../core/ports/index.js';
import { type EscalationRecord, escalationRecordSchema } from '../../core/records.js';
import { keys, prefixes } from './keys.js';
import type { Table } from './table.js';

/** EscalationStore on the table: an ESCALATION item per manager's e-mail in the campaign's partition. */
export class DynamoDbEscalationStore implements EscalationStore {
  constructor(private readonly table: Table) {}

  async claimEscalation(record: EscalationRecord): Promise<boolean> {
    const result = await this.table.conditionalPut({
      Item: { ...keys.escalation(record.campaignId, record.customerId, record.touch), ...record },
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :released',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':released': 'released' },
    });
    return result.written;
  }

  async releaseEscalation(campaignId: string, customerId: string, touch: number, reason: string): Promise<void> {
    await this.table.update({
      Key: keys.escalation(campaignId, customerId, touch),
      UpdateExpression: 'SET #status = :released, lastError = :reason',
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':released': 'released', ':claimed': 'claimed', ':reason': reason },
    });
  }

  async markEscalationSent(campaignId: string, customerId: string, touch: number, messageId: string): Promise<void> {
    await this.table.update({
      Key: keys.escalation(campaignId, customerId, touch),
      UpdateExpression: 'SET #status = :sent, messageId = :m',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId },
    });
  }

  listEscalations(campaignId: string): Promise<EscalationRecord[]> {
    return this.table.queryPrefix(keys.campaignPartition(campaignId), prefixes.escalation, escalationRecordSchema);
  }
}
