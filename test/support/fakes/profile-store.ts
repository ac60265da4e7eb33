import type { CustomerEvent } from '../../../functions/core/events.js';
import type { EventStore, ProfileStore } from '../../../functions/core/ports/index.js';
import { type Profile, profileSchema, type StoredEvent, storedEventSchema } from '../../../functions/core/profiles.js';

/**
 * In-memory ProfileStore and EventStore, with the DynamoDB adapter's semantics: a profile written only over
 * the version read, an event kept once per id (the first), pages in customer id order. Records are
 * parsed with their schemas when read, as the adapter does.
 */
export class InMemoryProfileStore implements ProfileStore, EventStore {
  readonly profiles = new Map<string, Profile>();
  readonly events = new Map<string, StoredEvent>();

  async getProfile(customerId: string): Promise<Profile | null> {
    const profile = this.profiles.get(customerId);
    return profile ? profileSchema.parse(structuredClone(profile)) : null;
  }

  async putProfile(profile: Profile): Promise<Profile | null> {
    const current = this.profiles.get(profile.customerId);
    if ((current?.version ?? 0) !== profile.version) return null;
    const stored = profileSchema.parse(structuredClone({ ...profile, version: profile.version + 1 }));
    this.profiles.set(profile.customerId, stored);
    return structuredClone(stored);
  }

  async listProfiles(cursor: string | null, limit: number) {
    const ids = [...this.profiles.keys()].sort().filter((id) => cursor === null || id > cursor);
    const page = ids.slice(0, limit);
    const last = page.at(-1);
    return {
      profiles: page.map((id) => profileSchema.parse(structuredClone(this.profiles.get(id)))),
      nextCursor: ids.length > limit && last !== undefined ? last : null,
    };
  }

  async deleteProfile(customerId: string): Promise<boolean> {
    return this.profiles.delete(customerId);
  }

  async deleteEventsOf(customerId: string): Promise<number> {
    const ids = [...this.events].filter(([, s]) => s.event.customerId === customerId).map(([id]) => id);
    for (const id of ids) this.events.delete(id);
    return ids.length;
  }

  async recordEvent(event: CustomerEvent, receivedAt: string): Promise<{ isNew: boolean; stored: StoredEvent }> {
    const first = this.events.get(event.id);
    if (first) return { isNew: false, stored: storedEventSchema.parse(structuredClone(first)) };
    const stored = storedEventSchema.parse(structuredClone({ event, receivedAt, appliedAt: null }));
    this.events.set(event.id, stored);
    return { isNew: true, stored: structuredClone(stored) };
  }

  async markEventApplied(eventId: string, appliedAt: string): Promise<void> {
    const stored = this.events.get(eventId);
    if (stored) this.events.set(eventId, { ...stored, appliedAt });
  }

  async listEvents(customerId: string): Promise<StoredEvent[]> {
    const sortKey = (s: StoredEvent) => `${new Date(s.event.at).toISOString()}#${s.event.id}`;
    return [...this.events.values()]
      .filter((s) => s.event.customerId === customerId)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
      .map((s) => storedEventSchema.parse(structuredClone(s)));
  }
}
