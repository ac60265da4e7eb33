import type { z } from 'zod';
import type { CustomerRecords, CustomerRecordsInCampaign } from '../../core/ports/index.js';
import {
  escalationRecordSchema,
  lifecycleRecordSchema,
  replyRecordSchema,
  storedCustomerSchema,
  ticketRecordSchema,
  touchRecordSchema,
} from '../../core/records.js';
import type { CustomerCache } from './customer-store.js';
import { customerPrefixes, keys, prefixes } from './keys.js';
import type { ItemKey, Table } from './table.js';

/** Only the customer's own items: a prefix `TOUCH#A#` alone would also pick up those of a customer `A#1`. */
const byCustomer = (customerId: string) => ({
  expression: '#customerId = :customerId',
  names: { '#customerId': 'customerId' },
  values: { ':customerId': customerId },
});

/** CustomerRecords on the table: a customer's items in a campaign's partition, found by key and prefix. */
export class DynamoDbCustomerRecords implements CustomerRecords {
  constructor(
    private readonly table: Table,
    private readonly customers: CustomerCache,
  ) {}

  /**
   * Two GetItems (row, lifecycle) and four Queries on the campaign's partition: the customer's touches,
   * escalations and tickets by sort key prefix, and the campaign's replies filtered by customer (which
   * reads all of that campaign's replies). The prefixes are followed by a filter on `customerId`.
   */
  async customerRecordsIn(campaignId: string, customerId: string): Promise<CustomerRecordsInCampaign> {
    const ofCustomer = <T>(prefix: string, schema: z.ZodType<T>) =>
      this.table.queryPrefixWhere(keys.campaignPartition(campaignId), prefix, byCustomer(customerId), schema);
    const [touchPrefix = '', escalationPrefix = '', ticketPrefix = ''] = customerPrefixes(customerId);
    const [stored, lifecycle, touches, replies, escalations, tickets] = await Promise.all([
      this.table.get(keys.customer(campaignId, customerId), storedCustomerSchema),
      this.table.get(keys.lifecycle(campaignId, customerId), lifecycleRecordSchema),
      ofCustomer(touchPrefix, touchRecordSchema),
      ofCustomer(prefixes.reply, replyRecordSchema),
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
    this.customers.forget(campaignId, customerId);
    const found: ItemKey[] = [];
    for (const key of [keys.customer(campaignId, customerId), keys.lifecycle(campaignId, customerId)]) {
      if (await this.table.getItem({ Key: key, ProjectionExpression: 'pk, sk', ConsistentRead: true })) found.push(key);
    }
    const pk = keys.campaignPartition(campaignId);
    for (const prefix of [...customerPrefixes(customerId), prefixes.reply])
      found.push(...(await this.table.keysOf(pk, prefix, byCustomer(customerId))));
    await this.table.deleteAll(found);
    return found.length;
  }
}
