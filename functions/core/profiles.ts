import { DateTime } from 'luxon';
import { z } from 'zod';
import { type CustomerEvent, customerEventSchema } from './events.js';
import {
  type Customer,
  customerSchema,
  localeSchema,
  type SegmentationRules,
  segmentationSchema,
  segmentSchema,
  TIERS,
  type Tier,
  tierSchema,
} from './schemas.js';
import { segmentOf, type TierCutoffs, tierOf } from './segmentation.js';

/**
 * Customer profiles (issue 16): one per customer, across campaigns and programs. Created by
 * `revisit customers import`, moved by events (a purchase re-tiers, a complaint is a churn warning) and
 * by the silver no-response rule (a downgrade that holds until a later purchase). Opt-outs are not
 * here: they stay on the suppression list, by a hash of the address, for every campaign.
 */

/** Why a profile's tier changed: its import, its purchases (recomputed), or the silver no-response rule. */
export const TIER_CHANGE_REASONS = ['import', 'purchases', 'no-response'] as const;
export type TierChangeReason = (typeof TIER_CHANGE_REASONS)[number];

/** How many months of purchase events a profile keeps: the 12-month windows, and 3 months to spare. */
export const KEPT_PURCHASE_MONTHS = 15;

const isoTime = z.string();

export const tierChangeSchema = z.object({
  /** null for the profile's first tier. */
  from: tierSchema.nullable(),
  to: tierSchema,
  at: isoTime,
  why: z.enum(TIER_CHANGE_REASONS),
});
export type TierChange = z.infer<typeof tierChangeSchema>;

/** One purchase event, kept for the windows (orders and spend over 12, 6 and 3 months). */
export const keptOrderSchema = z.object({ eventId: z.string(), orderId: z.string(), amount: z.number().min(0), at: isoTime });
export type KeptOrder = z.infer<typeof keptOrderSchema>;

/** A day's purchase events folded into one (UTC day): their count, their spend, the latest one's time. */
export const dayTotalSchema = z.object({
  day: z.string(),
  orders: z.number().int().min(1),
  spend: z.number().min(0),
  at: isoTime,
});
export type DayTotal = z.infer<typeof dayTotalSchema>;

/** The purchase figures of the customer file (the same columns), as the last import gave them. */
const importedPurchasesSchema = customerSchema
  .pick({
    firstPurchaseAt: true,
    lastPurchaseAt: true,
    orders12m: true,
    spend12m: true,
    spendPrev3m: true,
    spendLast3m: true,
    openComplaints: true,
  })
  .extend({ at: isoTime });

export const profileSchema = z.object({
  customerId: z.string().min(1),
  /** Contact data as the customer file has it (personal data: never logged). */
  contact: z.object({
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    locale: localeSchema,
    timeZone: z.string(),
    accountManager: z.string().nullable(),
    managerChain: z.array(z.string()),
    tags: z.array(z.string()),
  }),
  consent: z.object({ sms: z.boolean(), email: z.boolean() }),
  /**
   * The purchase summary as of `asOf`: the customer file's figures (taken as purchases not sent as events)
   * plus the purchase events inside each window.
   */
  purchases: z.object({
    firstPurchaseAt: isoTime.nullable(),
    lastPurchaseAt: isoTime.nullable(),
    orders12m: z.number().int().min(0),
    spend12m: z.number().min(0),
    spendPrev3m: z.number().min(0),
    spendLast3m: z.number().min(0),
    imported: importedPurchasesSchema,
    /** Purchase events of the last 15 months before `asOf`, oldest first (the latest 500). */
    orders: z.array(keptOrderSchema),
    /** The purchase events of the last 15 months older than the 500 kept, a total a day. */
    days: z.array(dayTotalSchema).default([]),
  }),
  /** Complaint events still open (no event resolves one yet), by event id; the file's open complaints are in `imported`. */
  complaints: z.array(z.object({ eventId: z.string(), at: isoTime })),
  lastDeliveryAt: isoTime.nullable(),
  contractEndedAt: isoTime.nullable(),
  tier: tierSchema,
  segment: segmentSchema,
  tierHistory: z.array(tierChangeSchema),
  /** A downgrade by the no-response rule: it holds until a purchase after `at` lifts the customer. */
  downgrade: z.object({ from: tierSchema, to: tierSchema, at: isoTime }).nullable(),
  /** The population's tier cut-offs of the import the profile came from. */
  cutoffs: z.object({ diamondMinSpend: z.number(), goldMinSpend: z.number() }),
  /** The time the figures, tier and segment are as of: the latest of the import and the events applied. */
  asOf: isoTime,
  createdAt: isoTime,
  /** Optimistic writes: a write is taken only over the version it read (0: no profile yet). */
  version: z.number().int().min(0),
});
export type Profile = z.infer<typeof profileSchema>;

const ms = (iso: string) => Date.parse(iso);
const later = (a: string, b: string) => (ms(b) > ms(a) ? b : a);
const latest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : later(a, b));
const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : ms(b) < ms(a) ? b : a);
const rank = (tier: Tier) => TIERS.indexOf(tier);
const DEFAULT_RULES = segmentationSchema.parse({});

/** The profile as the customer row that tiers, segments and campaigns read. */
export function customerOf(profile: Profile): Customer {
  const { purchases } = profile;
  return customerSchema.parse({
    id: profile.customerId,
    ...profile.contact,
    smsConsent: profile.consent.sms,
    emailConsent: profile.consent.email,
    firstPurchaseAt: purchases.firstPurchaseAt,
    lastPurchaseAt: purchases.lastPurchaseAt,
    orders12m: purchases.orders12m,
    spend12m: purchases.spend12m,
    spendPrev3m: purchases.spendPrev3m,
    spendLast3m: purchases.spendLast3m,
    openComplaints: purchases.imported.openComplaints + profile.complaints.length,
  });
}

/**
 * Purchase events kept one by one (for their order ids): older ones are folded into a total a day, so that a
 * profile stays far below DynamoDB's 400 KB an item however often the customer buys.
 */
export const MAX_KEPT_ORDERS = 500;

function folded(days: readonly DayTotal[], orders: readonly KeptOrder[]): DayTotal[] {
  const byDay = new Map(days.map((d) => [d.day, { ...d }]));
  for (const order of orders) {
    const day = new Date(order.at).toISOString().slice(0, 10);
    const total = byDay.get(day);
    if (total) {
      total.orders++;
      total.spend += order.amount;
      total.at = later(total.at, order.at);
    } else byDay.set(day, { day, orders: 1, spend: order.amount, at: order.at });
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

/**
 * The windows as of `asOf`: the imported figures plus the events in each window; events older than 15
 * months dropped, the oldest folded into day totals past MAX_KEPT_ORDERS.
 */
function purchasesAsOf(purchases: Profile['purchases'], asOf: string): Profile['purchases'] {
  const at = DateTime.fromISO(asOf);
  const now = at.toMillis();
  const [kept, from12, from6, from3] = [KEPT_PURCHASE_MONTHS, 12, 6, 3].map((months) => at.minus({ months }).toMillis()) as [
    number,
    number,
    number,
    number,
  ];
  const recent = purchases.orders.filter((o) => ms(o.at) > kept);
  const overflow = Math.max(0, recent.length - MAX_KEPT_ORDERS);
  const orders = recent.slice(overflow);
  const days = folded(
    purchases.days.filter((d) => ms(d.at) > kept),
    recent.slice(0, overflow),
  );
  const totals = { orders12m: 0, spend12m: 0, spendLast3m: 0, spendPrev3m: 0 };
  const count = (time: number, orderCount: number, spend: number) => {
    if (time > now) return;
    if (time > from12) {
      totals.orders12m += orderCount;
      totals.spend12m += spend;
    }
    if (time > from3) totals.spendLast3m += spend;
    else if (time > from6) totals.spendPrev3m += spend;
  };
  for (const order of orders) count(ms(order.at), 1, order.amount);
  for (const day of days) count(ms(day.at), day.orders, day.spend);
  const { imported } = purchases;
  // The first and last purchase ever (the orders are in time order): an event forgotten after 15 months still was the first.
  const first = earliest(earliest(purchases.firstPurchaseAt, imported.firstPurchaseAt), purchases.orders[0]?.at ?? null);
  const last = latest(latest(purchases.lastPurchaseAt, imported.lastPurchaseAt), purchases.orders.at(-1)?.at ?? null);
  return {
    ...purchases,
    firstPurchaseAt: first,
    lastPurchaseAt: last,
    orders12m: imported.orders12m + totals.orders12m,
    spend12m: imported.spend12m + totals.spend12m,
    spendLast3m: imported.spendLast3m + totals.spendLast3m,
    spendPrev3m: imported.spendPrev3m + totals.spendPrev3m,
    orders,
    days,
  };
}

/**
 * Tier and segment recomputed as of the profile's `asOf`. The tier comes from the purchases, except while a
 * downgrade holds: it is lifted by a purchase after it (the tier from the purchases again). A changed tier
 * gets a history entry with `why`.
 */
function retiered(profile: Profile, rules: SegmentationRules, why: TierChangeReason): Profile {
  const purchases = purchasesAsOf(profile.purchases, profile.asOf);
  const { downgrade } = profile;
  const lifted = downgrade !== null && purchases.lastPurchaseAt !== null && ms(purchases.lastPurchaseAt) > ms(downgrade.at);
  const held = lifted ? null : downgrade;
  const withPurchases = { ...profile, purchases, downgrade: held };
  const customer = customerOf(withPurchases);
  const tier = held ? held.to : tierOf(customer, profile.cutoffs, rules);
  const segment = segmentOf(customer, tier, new Date(profile.asOf), rules);
  const tierHistory =
    tier === profile.tier
      ? profile.tierHistory
      : [...profile.tierHistory, { from: profile.tier, to: tier, at: profile.asOf, why }];
  return { ...withPurchases, tier, segment, tierHistory };
}

function contactOf(customer: Customer): Profile['contact'] {
  const { name, phone, email, locale, timeZone, accountManager, managerChain, tags } = customer;
  return { name, phone, email, locale, timeZone, accountManager, managerChain, tags };
}

function importedOf(customer: Customer, at: string): Profile['purchases']['imported'] {
  const { firstPurchaseAt, lastPurchaseAt, orders12m, spend12m, spendPrev3m, spendLast3m, openComplaints } = customer;
  return { firstPurchaseAt, lastPurchaseAt, orders12m, spend12m, spendPrev3m, spendLast3m, openComplaints, at };
}

/** A new profile from an imported customer row, tiered with the population's cut-offs of that import. */
export function profileFromCustomer(customer: Customer, cutoffs: TierCutoffs, rules: SegmentationRules, at: string): Profile {
  const imported = importedOf(customer, at);
  const { at: _at, openComplaints: _open, ...figures } = imported;
  const draft: Profile = {
    customerId: customer.id,
    contact: contactOf(customer),
    consent: { sms: customer.smsConsent, email: customer.emailConsent },
    purchases: { ...figures, imported, orders: [], days: [] },
    complaints: [],
    lastDeliveryAt: null,
    contractEndedAt: null,
    tier: 'basic',
    segment: 'active',
    tierHistory: [],
    downgrade: null,
    cutoffs: { ...cutoffs },
    asOf: at,
    createdAt: at,
    version: 0,
  };
  const customerView = customerOf(draft);
  const tier = tierOf(customerView, cutoffs, rules);
  return {
    ...draft,
    tier,
    segment: segmentOf(customerView, tier, new Date(at), rules),
    tierHistory: [{ from: null, to: tier, at, why: 'import' }],
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A customer row imported again onto an existing profile: contact data, consent, the file's purchase
 * figures and the cut-offs replaced, the events kept, the tier recomputed (history `import`). The same row
 * again returns `existing` itself: re-importing a file changes nothing.
 */
export function reimportedProfile(
  existing: Profile,
  customer: Customer,
  cutoffs: TierCutoffs,
  rules: SegmentationRules,
  at: string,
): Profile {
  const imported = importedOf(customer, at);
  const { at: _new, ...newFigures } = imported;
  const { at: _old, ...oldFigures } = existing.purchases.imported;
  const unchanged =
    sameJson(contactOf(customer), existing.contact) &&
    sameJson({ sms: customer.smsConsent, email: customer.emailConsent }, existing.consent) &&
    sameJson(newFigures, oldFigures) &&
    sameJson(cutoffs, existing.cutoffs);
  if (unchanged) return existing;
  return retiered(
    {
      ...existing,
      contact: contactOf(customer),
      consent: { sms: customer.smsConsent, email: customer.emailConsent },
      purchases: { ...existing.purchases, imported },
      cutoffs: { ...cutoffs },
      asOf: later(existing.asOf, at),
    },
    rules,
    'import',
  );
}

/**
 * An event applied to a profile: the profile after it. A purchase joins the windows (tier and segment
 * recomputed; it lifts a downgrade it comes after); a delivery and a contract end are recorded; a
 * complaint is open until resolved, which makes the customer a churn warning (rulebook section 1, "an
 * unresolved major complaint"). Applying the same event again, or another event of an order already
 * counted, returns the profile unchanged.
 */
export function applyEvent(
  profile: Profile,
  event: CustomerEvent,
  rules: SegmentationRules,
  cutoffs: TierCutoffs = profile.cutoffs,
): Profile {
  const asOf = later(profile.asOf, event.at);
  const base = { ...profile, cutoffs: { ...cutoffs }, asOf };
  switch (event.type) {
    case 'purchase': {
      if (profile.purchases.orders.some((o) => o.orderId === event.orderId || o.eventId === event.id)) return profile;
      const order = { eventId: event.id, orderId: event.orderId, amount: event.amount, at: event.at };
      // The orders are in time order: the new one goes in after the last one not later than it (usually at the end).
      const orders = [...profile.purchases.orders];
      const time = ms(order.at);
      let index = orders.length;
      while (index > 0 && ms(orders[index - 1]?.at ?? '') > time) index--;
      orders.splice(index, 0, order);
      return retiered({ ...base, purchases: { ...profile.purchases, orders } }, rules, 'purchases');
    }
    case 'complaint': {
      if (profile.complaints.some((c) => c.eventId === event.id)) return profile;
      return retiered({ ...base, complaints: [...profile.complaints, { eventId: event.id, at: event.at }] }, rules, 'purchases');
    }
    case 'delivery': {
      const lastDeliveryAt = latest(profile.lastDeliveryAt, event.at);
      if (lastDeliveryAt === profile.lastDeliveryAt && asOf === profile.asOf) return profile;
      return retiered({ ...base, lastDeliveryAt }, rules, 'purchases');
    }
    case 'contract-end': {
      const contractEndedAt = latest(profile.contractEndedAt, event.at);
      if (contractEndedAt === profile.contractEndedAt && asOf === profile.asOf) return profile;
      return retiered({ ...base, contractEndedAt }, rules, 'purchases');
    }
  }
}

/**
 * The silver no-response rule persisted (rulebook section 1): the customer moves down to `to` at `at` and
 * stays there, whatever the windows say, until a purchase after `at` lifts them (the tier recomputed
 * from the purchases then). A customer already at or below `to`, or the same downgrade again, is unchanged.
 */
export function applyDowngrade(profile: Profile, to: Tier, at: string, rules: SegmentationRules = DEFAULT_RULES): Profile {
  if (rank(to) <= rank(profile.tier)) return profile;
  const downgrade = { from: profile.tier, to, at };
  const asOf = later(profile.asOf, at);
  const customer = customerOf(profile);
  return {
    ...profile,
    downgrade,
    asOf,
    tier: to,
    segment: segmentOf(customer, to, new Date(asOf), rules),
    tierHistory: [...profile.tierHistory, { from: profile.tier, to, at, why: 'no-response' }],
  };
}

/** An event as the event store keeps it: once per id, with when it came and when it was applied to the profile. */
export const storedEventSchema = z.object({
  event: customerEventSchema,
  receivedAt: isoTime,
  /** null until the event has been applied to the customer's profile (a crash in between applies it on the next delivery). */
  appliedAt: isoTime.nullable(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

/**
 * The no-response rule's downgrade (rulebook section 1: a silver customer who ignores two touches becomes
 * basic), persisted: it holds in every later cycle and campaign until a purchase after `at` lifts it. The
 * same downgrade again (a retried Evaluate) returns the profile unchanged; a customer already at or below
 * `to` is left as they are.
 */
export function downgradedProfile(profile: Profile, to: Tier, at: string): Profile {
  if (rank(profile.tier) >= rank(to)) return profile;
  return {
    ...profile,
    tier: to,
    downgrade: { from: profile.tier, to, at },
    tierHistory: [...profile.tierHistory, { from: profile.tier, to, at, why: 'no-response' }],
    asOf: later(profile.asOf, at),
  };
}
