import { launchDayOf } from '../../core/campaign-phases.js';
import type { CustomerStore } from '../../core/ports/index.js';
import { storedCustomerSchema } from '../../core/records.js';
import type { Customer } from '../../core/schemas.js';
import { customerIdOf, keys, prefixes } from './keys.js';
import type { Table } from './table.js';

const CUSTOMER_CACHE_SIZE = 50_000;

/**
 * Customers' imported rows, reused for `ttlMs` (they do not change during a campaign; an erasure stops the
 * customer's lifecycles before it deletes the row). Up to 50,000 rows are kept, oldest first out.
 */
export class CustomerCache {
  private readonly rows = new Map<string, { customer: Customer; readAt: number }>();

  constructor(readonly ttlMs: number) {}

  private static keyOf(campaignId: string, customerId: string) {
    return `${campaignId}\u0000${customerId}`;
  }

  get(campaignId: string, customerId: string): Customer | undefined {
    const cached = this.rows.get(CustomerCache.keyOf(campaignId, customerId));
    return cached && Date.now() - cached.readAt < this.ttlMs ? cached.customer : undefined;
  }

  set(campaignId: string, customer: Customer): void {
    if (this.ttlMs <= 0) return;
    // Oldest first out: a Map iterates in insertion order.
    if (this.rows.size >= CUSTOMER_CACHE_SIZE) this.rows.delete(this.rows.keys().next().value as string);
    this.rows.set(CustomerCache.keyOf(campaignId, customer.id), { customer, readAt: Date.now() });
  }

  forget(campaignId: string, customerId: string): void {
    this.rows.delete(CustomerCache.keyOf(campaignId, customerId));
  }

  forgetCampaign(campaignId: string): void {
    for (const key of this.rows.keys()) if (key.startsWith(`${campaignId}\u0000`)) this.rows.delete(key);
  }
}

/** CustomerStore on the table: a row per customer, indexed (gsi1) by the day their lifecycle starts. */
export class DynamoDbCustomerStore implements CustomerStore {
  constructor(
    private readonly table: Table,
    private readonly cache: CustomerCache,
  ) {}

  async putCustomers(campaignId: string, customers: readonly Customer[]): Promise<void> {
    for (const customer of customers) this.cache.forget(campaignId, customer.id);
    await this.table.putAll(
      customers.map((customer) => ({
        ...keys.customer(campaignId, customer.id),
        ...keys.launchIndex(campaignId, launchDayOf(customer.plannedFirstTouch?.sendAt), customer.id),
        campaignId,
        customer,
      })),
    );
  }

  async getCustomer(campaignId: string, customerId: string): Promise<Customer | null> {
    const cached = this.cache.get(campaignId, customerId);
    if (cached) return cached;
    const stored = await this.table.get(keys.customer(campaignId, customerId), storedCustomerSchema);
    if (stored) this.cache.set(campaignId, stored.customer);
    return stored?.customer ?? null;
  }

  async listCustomerIds(campaignId: string, cursor: string | null, limit: number, launchDay?: string) {
    if (launchDay !== undefined) {
      const page = await this.table.queryPage(
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :day',
          ExpressionAttributeValues: { ':day': keys.launchIndex(campaignId, launchDay, '').gsi1pk },
          ProjectionExpression: 'gsi1sk',
          Limit: limit,
        },
        cursor,
      );
      return { ids: page.items.map((item) => String(item.gsi1sk)), nextCursor: page.nextCursor };
    }
    const page = await this.table.queryPage(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.campaignPartition(campaignId), ':prefix': prefixes.customer },
        ProjectionExpression: 'sk',
        Limit: limit,
      },
      cursor,
    );
    return { ids: page.items.map((item) => customerIdOf(String(item.sk))), nextCursor: page.nextCursor };
  }
}
