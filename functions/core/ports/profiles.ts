import type { CustomerEvent } from '../events.js';
import type { Profile, StoredEvent } from '../profiles.js';

/** Customer profiles, across campaigns and programs: one per customer, written optimistically. */
export interface ProfileStore {
  getProfile(customerId: string): Promise<Profile | null>;
  /**
   * Writes `profile` over the version it was read at (`profile.version`; 0 when there was none): the
   * profile as stored, its version one higher, or null when another write came first (read it again).
   */
  putProfile(profile: Profile): Promise<Profile | null>;
  /** A page of profiles in customer id order, from `cursor` (null: the first page), and the next page's cursor. */
  listProfiles(cursor: string | null, limit: number): Promise<{ profiles: Profile[]; nextCursor: string | null }>;
  /** Deletes the customer's profile (a data subject's erasure): whether there was one. */
  deleteProfile(customerId: string): Promise<boolean>;
}

/** Customer events, each kept once by its id: a re-delivered event is reported, never stored again. */
export interface EventStore {
  /** Records `event` unless one with its id is stored: whether it was new, and the event as stored (the first one). */
  recordEvent(event: CustomerEvent, receivedAt: string): Promise<{ isNew: boolean; stored: StoredEvent }>;
  /** Notes that the event has been applied to its customer's profile. */
  markEventApplied(eventId: string, appliedAt: string): Promise<void>;
  /** A customer's events, oldest first. */
  listEvents(customerId: string): Promise<StoredEvent[]>;
  /**
   * Deletes the customer's events (a data subject's erasure): how many. A re-delivered event of theirs
   * is then new again, and refused by ingest for want of a profile.
   */
  deleteEventsOf(customerId: string): Promise<number>;
}
