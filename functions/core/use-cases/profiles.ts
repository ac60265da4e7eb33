import type { CustomerEvent } from '../events.js';
import type { EventStore, ProfileStore } from '../ports/index.js';
import { applyEvent, downgradedProfile, type Profile, profileFromCustomer, reimportedProfile } from '../profiles.js';
import type { Customer, SegmentationRules, Tier } from '../schemas.js';
import type { TierCutoffs } from '../segmentation.js';

/** The stores a profile's import and its events touch. */
export interface ProfileDeps {
  profiles: ProfileStore;
  events: EventStore;
}

/** How often a write over a version someone else moved on is tried again (read, apply, write). */
const WRITE_ATTEMPTS = 5;

/** Reads the profile, changes it with `change` and writes it over the version read, again while another write comes first. */
async function updateProfile(
  profiles: ProfileStore,
  customerId: string,
  change: (current: Profile | null) => Profile | null,
): Promise<{ before: Profile | null; after: Profile | null }> {
  for (let attempt = 1; ; attempt++) {
    const before = await profiles.getProfile(customerId);
    const next = change(before);
    if (next === null || next === before) return { before, after: before };
    const written = await profiles.putProfile(next);
    if (written) return { before, after: written };
    if (attempt >= WRITE_ATTEMPTS) throw new Error(`a profile kept changing under ${WRITE_ATTEMPTS} writes in a row`);
  }
}

export type ImportOutcome = { outcome: 'created' | 'updated' | 'unchanged'; tierChanged: boolean };

/**
 * A customer row of `revisit customers import` onto its profile:
 * 1. read the customer's profile;
 * 2. none: a new one, tiered with the import's cut-offs; else the row re-imported onto it (the same row
 *    changes nothing, a changed tier gets a history entry `import`);
 * 3. write it over the version read.
 */
export async function importProfile(
  deps: Pick<ProfileDeps, 'profiles'>,
  customer: Customer,
  cutoffs: TierCutoffs,
  rules: SegmentationRules,
  at: string,
): Promise<ImportOutcome> {
  const { before, after } = await updateProfile(deps.profiles, customer.id, (current) =>
    current === null
      ? profileFromCustomer(customer, cutoffs, rules, at)
      : reimportedProfile(current, customer, cutoffs, rules, at),
  );
  if (before === null) return { outcome: 'created', tierChanged: false };
  if (after === before) return { outcome: 'unchanged', tierChanged: false };
  return { outcome: 'updated', tierChanged: after?.tier !== before.tier };
}

/** Why an event was not taken: its customer has no profile (it is not stored, so it can be sent again after the import). */
export const NO_PROFILE =
  'no profile for this customer: import the customer first (revisit customers import), then send the event again';

export type IngestOutcome =
  | { outcome: 'taken'; tierChanged: boolean }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; reason: string };

/**
 * One customer event, stored once and applied to the profile once:
 * 1. a customer without a profile: the event is refused (not stored);
 * 2. record the event; one already stored (by its id, whatever it holds now) and applied is a duplicate;
 * 3. apply the event as first stored to the profile (tier and segment recomputed), written over the version read;
 * 4. note it applied. A crash between 2 and 4 leaves it stored but not applied: its next delivery applies it
 *    (applying is idempotent per event: after a crash between 3 and 4 it changes nothing and is a duplicate).
 */
export async function ingestEvent(
  deps: ProfileDeps,
  event: CustomerEvent,
  rules: SegmentationRules,
  receivedAt: string,
): Promise<IngestOutcome> {
  if ((await deps.profiles.getProfile(event.customerId)) === null) return { outcome: 'rejected', reason: NO_PROFILE };
  const { isNew, stored } = await deps.events.recordEvent(event, receivedAt);
  if (!isNew && stored.appliedAt !== null) return { outcome: 'duplicate' };
  const { before, after } = await updateProfile(deps.profiles, stored.event.customerId, (current) =>
    current === null ? null : applyEvent(current, stored.event, rules),
  );
  await deps.events.markEventApplied(event.id, receivedAt);
  // Stored before but not noted applied, and the profile already had it: it was applied before the crash.
  if (!isNew && after === before) return { outcome: 'duplicate' };
  return { outcome: 'taken', tierChanged: before !== null && after !== null && after.tier !== before.tier };
}

/**
 * Persists a no-response downgrade on the customer's profile (Evaluate, rulebook section 1): whether the
 * profile changed. No profile (a campaign-only customer): nothing to keep, false.
 */
export async function downgradeProfile(
  deps: Pick<ProfileDeps, 'profiles'>,
  customerId: string,
  to: Tier,
  at: string,
): Promise<boolean> {
  const { before, after } = await updateProfile(deps.profiles, customerId, (current) =>
    current === null ? null : downgradedProfile(current, to, at),
  );
  return before !== after;
}
