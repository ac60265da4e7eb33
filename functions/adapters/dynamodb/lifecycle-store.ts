import type { LifecycleStore } from '../../core/ports/index.js';
import { type LifecycleRecord, lifecycleRecordSchema } from '../../core/records.js';
import { keys, prefixes } from './keys.js';
import type { Table } from './table.js';

/** LifecycleStore on the table: one LIFECYCLE item per customer in the campaign's partition. */
export class DynamoDbLifecycleStore implements LifecycleStore {
  constructor(private readonly table: Table) {}

  getLifecycle(campaignId: string, customerId: string): Promise<LifecycleRecord | null> {
    return this.table.get(keys.lifecycle(campaignId, customerId), lifecycleRecordSchema);
  }

  async createLifecycle(record: LifecycleRecord): Promise<LifecycleRecord> {
    const result = await this.table.conditionalPut({
      Item: { ...keys.lifecycle(record.campaignId, record.customerId), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (result.written) return record;
    const existing = await this.getLifecycle(record.campaignId, record.customerId);
    if (!existing) throw result.error;
    return existing;
  }

  async updateLifecycle(campaignId: string, customerId: string, changes: Partial<LifecycleRecord>): Promise<void> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.table.update({
      Key: keys.lifecycle(campaignId, customerId),
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      ConditionExpression: 'attribute_exists(pk)',
    });
  }

  listLifecycles(campaignId: string): Promise<LifecycleRecord[]> {
    return this.table.queryPrefix(keys.campaignPartition(campaignId), prefixes.lifecycle, lifecycleRecordSchema);
  }
}
