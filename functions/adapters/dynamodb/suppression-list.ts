import { z } from 'zod';
import type { SuppressionEntry, SuppressionList } from '../../core/ports/index.js';
import { type Channel, channelSchema } from '../../core/schemas.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

const suppressionEntrySchema = z.object({ channel: channelSchema, source: z.string(), at: z.string() });

/** SuppressionList on the table: one item per opted-out address, keyed by its hash. */
export class DynamoDbSuppressionList implements SuppressionList {
  constructor(private readonly table: Table) {}

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    return (await this.table.getItem({ Key: keys.suppression(channel, address), ConsistentRead: true })) !== undefined;
  }

  async suppress(channel: Channel, address: string, source: string, at: string): Promise<void> {
    await this.table.conditionalPut({
      Item: { ...keys.suppression(channel, address), channel, source, at },
      // The first opt-out stays: a second one (a replayed unsubscribe link, another 退订) changes nothing.
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  getSuppression(channel: Channel, address: string): Promise<SuppressionEntry | null> {
    return this.table.get(keys.suppression(channel, address), suppressionEntrySchema);
  }
}
