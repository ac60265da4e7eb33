import type { CampaignStore } from '../../core/ports/index.js';
import { type CampaignRecord, campaignRecordSchema } from '../../core/records.js';
import type { CustomerCache } from './customer-store.js';
import { campaignIdOf, keys } from './keys.js';
import { type ItemKey, type Table, valueList } from './table.js';

type Status = CampaignRecord['status'];

/** CampaignStore on the table: a campaign's record is the META item of its partition. */
export class DynamoDbCampaignStore implements CampaignStore {
  private readonly cache = new Map<string, { record: CampaignRecord; readAt: number }>();
  /** Counts each campaign's changes, so that a read begun before a change does not fill the cache after it. */
  private readonly changes = new Map<string, number>();

  /** @param cacheMs how long a campaign's record is reused before it is read again (0: always read). */
  constructor(
    private readonly table: Table,
    private readonly customers: CustomerCache,
    private readonly cacheMs: number,
  ) {}

  async putCampaign(record: CampaignRecord): Promise<void> {
    this.forget(record.campaignId);
    await this.table.put({ Item: { ...keys.campaign(record.campaignId), ...record } });
    this.forget(record.campaignId);
  }

  /** Deletes the campaign's partition page by page (keys only). */
  async deleteCampaign(campaignId: string): Promise<number> {
    this.forget(campaignId);
    this.customers.forgetCampaign(campaignId);
    let deleted = 0;
    let cursor: string | null = null;
    do {
      const page = await this.table.queryPage(
        {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.campaignPartition(campaignId) },
          ProjectionExpression: 'pk, sk',
        },
        cursor,
      );
      await this.table.deleteAll(page.items as ItemKey[]);
      deleted += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return deleted;
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | null> {
    const cached = this.cache.get(campaignId);
    if (cached && Date.now() - cached.readAt < this.cacheMs) return cached.record;
    const changesBefore = this.changes.get(campaignId) ?? 0;
    const record = await this.table.get(keys.campaign(campaignId), campaignRecordSchema);
    if (record && this.cacheMs > 0 && (this.changes.get(campaignId) ?? 0) === changesBefore)
      this.cache.set(campaignId, { record, readAt: Date.now() });
    return record;
  }

  /** Before and after a write: the cached record is gone, and reads under way meanwhile are not cached. */
  private forget(campaignId: string): void {
    this.cache.delete(campaignId);
    this.changes.set(campaignId, (this.changes.get(campaignId) ?? 0) + 1);
  }

  /** Always read; a cached record whose status or settings changed since is read again next time. */
  async getCampaignStatus(campaignId: string): Promise<Pick<CampaignRecord, 'status' | 'settingsUpdatedAt'> | null> {
    const Item = await this.table.getItem({
      Key: keys.campaign(campaignId),
      ConsistentRead: true,
      ProjectionExpression: '#status, settingsUpdatedAt',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    if (!Item) return null;
    const current = campaignRecordSchema.pick({ status: true, settingsUpdatedAt: true }).parse(Item);
    const cached = this.cache.get(campaignId)?.record;
    if (
      cached &&
      (cached.status !== current.status || (cached.settingsUpdatedAt ?? null) !== (current.settingsUpdatedAt ?? null))
    )
      this.forget(campaignId);
    return current;
  }

  async setCampaignStatus(campaignId: string, from: readonly Status[], to: Status, reason: string | null, at: string) {
    this.forget(campaignId);
    const values: Record<string, unknown> = { ':to': to, ':reason': reason, ':at': at };
    const allowed = valueList(values, 'from', from);
    const result = await this.table.conditionalUpdate({
      Key: keys.campaign(campaignId),
      UpdateExpression: 'SET #status = :to, statusReason = :reason, statusChangedAt = :at',
      ConditionExpression: `attribute_exists(pk) AND #status IN (${allowed})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
    // Reads begun while the write was under way may have seen the record before it.
    this.forget(campaignId);
    return result.written;
  }

  async updateCampaign(
    campaignId: string,
    changes: Partial<Pick<CampaignRecord, 'campaign' | 'launch' | 'settingsUpdatedAt'>>,
    onlyIn?: readonly Status[],
  ): Promise<boolean> {
    this.forget(campaignId);
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
      condition += ` AND #status IN (${valueList(values, 'in', onlyIn)})`;
    }
    const result = await this.table.conditionalUpdate({
      Key: keys.campaign(campaignId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    // Reads begun while the write was under way may have seen the record before it.
    this.forget(campaignId);
    return result.written;
  }

  /**
   * One Scan of the whole table that returns only the keys of the campaigns' META items (projection and
   * filter: the operator policy allows Scan of the keys alone). It reads, and is billed for, every item.
   */
  async listCampaignIds(): Promise<string[]> {
    const items = await this.table.scanItems({
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: '#pk, #sk',
      FilterExpression: '#sk = :meta AND begins_with(#pk, :campaign)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':meta': keys.campaign('').sk, ':campaign': keys.campaignPartition('') },
    });
    return items.map((item) => campaignIdOf(String(item.pk))).sort();
  }
}
