import { DateTime } from 'luxon';
import { isoInZone } from './contact-window.js';
import type { Campaign, Customer, Priority, Segment, SegmentationRules, Tier } from './schemas.js';

/** Spend cut-offs that split a customer list into value tiers; computed once per import (see tierCutoffsOf). */
export interface TierCutoffs {
  diamondMinSpend: number;
  goldMinSpend: number;
}

/**
 * Rulebook section 1: diamond are the top spenders making the first `diamondRevenueShare` of revenue,
 * gold the next ones up to `goldRevenueShare`. Ties at a cut-off all land in the higher tier.
 */
export function tierCutoffsOf(spends: readonly number[], rules: SegmentationRules): TierCutoffs {
  const sorted = spends.filter((s) => s > 0).sort((a, b) => b - a);
  const total = sorted.reduce((sum, s) => sum + s, 0);
  if (total === 0) return { diamondMinSpend: Number.POSITIVE_INFINITY, goldMinSpend: Number.POSITIVE_INFINITY };
  const cutoffAt = (share: number): number => {
    let running = 0;
    for (const spend of sorted) {
      running += spend;
      if (running >= share * total) return spend;
    }
    return sorted.at(-1) ?? Number.POSITIVE_INFINITY;
  };
  return { diamondMinSpend: cutoffAt(rules.diamondRevenueShare), goldMinSpend: cutoffAt(rules.goldRevenueShare) };
}

export function tierOf(customer: Customer, cutoffs: TierCutoffs, rules: SegmentationRules): Tier {
  if (customer.spend12m > 0 && customer.spend12m >= cutoffs.diamondMinSpend) return 'diamond';
  if (customer.spend12m > 0 && customer.spend12m >= cutoffs.goldMinSpend) return 'gold';
  if (customer.orders12m >= rules.silverMinOrders) return 'silver';
  return 'basic';
}

function monthsSince(iso: string | null, now: DateTime): number | null {
  if (iso === null) return null;
  return now.diff(DateTime.fromISO(iso), 'months').months;
}

/**
 * Rulebook section 1, lifecycle segment. Precedence: a churn warning outranks everything (it is the
 * most urgent), then recency (lost, dormant), then new, core, potential, and active for the rest.
 */
export function segmentOf(customer: Customer, tier: Tier, now: Date, rules: SegmentationRules): Segment {
  const at = DateTime.fromJSDate(now);
  const spendFell = customer.spendPrev3m > 0 && customer.spendLast3m <= customer.spendPrev3m * (1 - rules.churnDropShare);
  if (spendFell || customer.openComplaints > 0) return 'churn-warning';

  const sinceLast = monthsSince(customer.lastPurchaseAt, at);
  if (sinceLast !== null && sinceLast > rules.lostAfterMonths) return 'lost';
  if (sinceLast !== null && sinceLast >= rules.dormantAfterMonths) return 'dormant';

  const sinceFirst = monthsSince(customer.firstPurchaseAt, at);
  if (sinceFirst !== null && sinceFirst <= rules.newWithinMonths) return 'new';
  if (tier === 'diamond' || (sinceFirst !== null && sinceFirst >= rules.coreYears * 12)) return 'core';

  const grew = customer.spendPrev3m > 0 && customer.spendLast3m >= customer.spendPrev3m * (1 + rules.potentialGrowthShare);
  if (grew) return 'potential';
  return 'active';
}

export interface Segmentation {
  tier: Tier;
  segment: Segment;
  priority: Priority;
  /** When the follow-up must be complete, by the segment's rule (48 h, 7, 15 or 30 days). */
  deadline: string;
  accountManagerTask: boolean;
}

export function segmentationOf(customer: Customer, campaign: Campaign, cutoffs: TierCutoffs, now: Date): Segmentation {
  // A program touch carries its profile's tier, and a campaign's row the profile's when there is one: a
  // downgrade the no-response rule persisted holds until purchases lift the customer again (issue 16).
  const tier = customer.programTouch?.tier ?? customer.profileTier ?? tierOf(customer, cutoffs, campaign.segmentation);
  const segment = segmentOf(customer, tier, now, campaign.segmentation);
  const rule = campaign.segments[segment];
  const deadline = isoInZone(now.getTime() + rule.completeWithinHours * 3_600_000, customer.timeZone);
  return {
    tier,
    segment,
    priority: rule.priority,
    deadline,
    accountManagerTask: rule.accountManagerTask,
  };
}
