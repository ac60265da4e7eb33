import type { CustomerEvent } from '../events.js';
import { applyEvent, profileFromCustomer } from '../profiles.js';
import type { Customer, SegmentationRules, Tier } from '../schemas.js';
import type { TierCutoffs } from '../segmentation.js';

/**
 * The tier changes a customer's events make after `from` (rulebook section 1: tiers are recomputed as
 * purchases come in), by the profile's own rules (profiles.ts): the customer as imported, then each event
 * at or after `from` in time order. Events before `from` are already in the imported figures.
 */
export function tierChangesOf(
  customer: Customer,
  events: readonly CustomerEvent[],
  cutoffs: TierCutoffs,
  rules: SegmentationRules,
  from: string,
): { at: string; tier: Tier }[] {
  const fromMs = Date.parse(from);
  const later = events
    .filter((e) => e.customerId === customer.id && Date.parse(e.at) >= fromMs)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (later.length === 0) return [];
  let profile = profileFromCustomer(customer, cutoffs, rules, from);
  for (const event of later) profile = applyEvent(profile, event, rules);
  return profile.tierHistory.slice(1).map((change) => ({ at: change.at, tier: change.to }));
}
