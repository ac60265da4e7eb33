import type { CustomerEvent } from '../../core/events.js';
import type { EventStore, ProfileStore } from '../../core/ports/index.js';
import { type Profile, profileSchema, type StoredEvent, storedEventSchema } from '../../core/profiles.js';
import { keys } from './keys.js';
import { strip, type Table } from './table.js';

/** ProfileStore on the table: an item per customer, listed through gsi1, each write conditional on the version read. */
export class DynamoDbProfileStore implements ProfileStore {
  constructor(private readonly table: Table) {}

  getProfile(customerId: string): Promise<Profile | null> {
    return this.table.get(keys.profile(customerId), profileSchema);
  }

  async putProfile(profile: Profile): Promise<Profile | null> {
    const stored = profileSchema.parse({ ...profile, version: profile.version + 1 });
    const written = await this.table.conditionalPut({
      Item: { ...keys.profile(profile.customerId), ...keys.profileIndex(profile.customerId), ...stored },
      ...(profile.version === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': profile.version } }),
    });
    return written.written ? stored : null;
  }

  async listProfiles(cursor: string | null, limit: number) {
    const page = await this.table.queryPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :profiles',
        ExpressionAttributeValues: { ':profiles': keys.profileIndex('').gsi1pk },
        Limit: limit,
      },
      cursor,
    );
    return { profiles: page.items.map((item) => profileSchema.parse(strip(item))), nextCursor: page.nextCursor };
  }

  async deleteProfile(customerId: string): Promise<boolean> {
    const key = keys.profile(customerId);
    if (!(await this.table.getItem({ Key: key, ProjectionExpression: 'pk, sk', ConsistentRead: true }))) return false;
    await this.table.deleteAll([key]);
    return true;
  }
}

/** EventStore on the table: an item per event id (a second write of the id is refused), listed per customer through gsi1. */
export class DynamoDbEventStore implements EventStore {
  constructor(private readonly table: Table) {}

  async recordEvent(event: CustomerEvent, receivedAt: string): Promise<{ isNew: boolean; stored: StoredEvent }> {
    const stored: StoredEvent = { event, receivedAt, appliedAt: null };
    const written = await this.table.conditionalPut({
      Item: { ...keys.event(event.id), ...keys.eventIndex(event.customerId, event.at, event.id), ...stored },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (written.written) return { isNew: true, stored };
    const first = await this.table.get(keys.event(event.id), storedEventSchema);
    if (!first) throw new Error('an event refused as a duplicate could not be read back');
    return { isNew: false, stored: first };
  }

  async markEventApplied(eventId: string, appliedAt: string): Promise<void> {
    await this.table.conditionalUpdate({
      Key: keys.event(eventId),
      UpdateExpression: 'SET appliedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': appliedAt },
    });
  }

  async listEvents(customerId: string): Promise<StoredEvent[]> {
    const { gsi1pk } = keys.eventIndex(customerId, new Date(0).toISOString(), '');
    return this.table.queryAll(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :customer', ExpressionAttributeValues: { ':customer': gsi1pk } },
      storedEventSchema,
    );
  }

  async deleteEventsOf(customerId: string): Promise<number> {
    const stored = await this.listEvents(customerId);
    await this.table.deleteAll(stored.map((s) => keys.event(s.event.id)));
    return stored.length;
  }
}
