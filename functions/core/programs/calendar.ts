import { DateTime } from 'luxon';
import { reachableChannels } from '../campaign-plan.js';
import { isoInZone, nextSendMillis, type WindowRules, windowRulesOf } from '../contact-window.js';
import type { CustomerEvent } from '../events.js';
import { earliestUnderCap, type FrequencyCap, fitsCap } from '../frequency-cap.js';
import type { Cadence, CadencePeriod, Channel, Customer, Segment, Tier } from '../schemas.js';
import { RateBuckets } from '../send-scheduler.js';
import { type Program, stepHours } from './schema.js';

/** A customer as the calendar takes them: tier and segment from segmentation.ts, and later tier changes. */
export interface CalendarCustomer {
  customer: Customer;
  tier: Tier;
  segment: Segment;
  /**
   * Tier changes inside the period, in any order (a downgrade by the silver no-response rule, a purchase
   * lifting a customer back): each cycle follows the cadence of the tier in force when it starts.
   */
  tierChanges?: readonly { at: string; tier: Tier }[];
}

export interface CalendarInput {
  customers: readonly CalendarCustomer[];
  program: Program;
  events: readonly CustomerEvent[];
  /** The first local day (YYYY-MM-DD), in each customer's own zone. */
  from: string;
  months: number;
  /** Touches the customer already has (epoch ms, any program or campaign), for the frequency cap. */
  history?: (customer: Customer) => readonly number[];
  isSuppressed?: (channel: Channel, address: string) => boolean;
}

export interface CalendarTouch {
  /** ISO 8601 with the customer's offset. */
  sendAt: string;
  channel: Channel;
  program: string;
  /** `cadence`, or the event type and step: `purchase+3d`. */
  trigger: string;
  /** The program's message name, or `default` (the program's SMS and e-mail templates). */
  template: string;
  /** The tier whose cadence or trigger asked for the touch. */
  tier: Tier;
  /** When the touch was wanted, before the window and the cap placed it. */
  wantedAt: string;
  /**
   * The touch's identity in its program, the same on every run over the same profile: `cadence:<tier>:<per>:<cycle>:<n>`
   * or `<event type>#<trigger>:<event id>+<step>`. A program sends each key at most once.
   */
  key: string;
  /** It had to be placed before this instant (its next cycle or step). */
  before: string;
}

export interface CalendarEntry {
  id: string;
  tier: Tier;
  segment: Segment;
  /** Why none of the customer's touches can go out (no reachable channel), or null. */
  skip: string | null;
  /** The tier changes inside the period, in time order: each cycle follows the tier in force at its start. */
  tierChanges: { at: string; tier: Tier }[];
  touches: CalendarTouch[];
}

export type DeferralWhy = 'cap-48h' | 'cap-7d';
export type SkipWhy = 'cap-before-next-cycle' | 'no-window-before-next-cycle' | 'unreachable';

/** A touch the frequency cap moved: from the slot it would have had to the one it got. */
export interface Deferral {
  customerId: string;
  trigger: string;
  from: string;
  to: string;
  why: DeferralWhy;
  reason: string;
}

/** A touch that could not be placed before its next cycle (or step), with its reason: never dropped silently. */
export interface SkippedTouch {
  customerId: string;
  trigger: string;
  tier: Tier;
  wantedAt: string;
  /** The instant it had to be placed before: the next cycle's or step's, or the end of the calendar. */
  before: string;
  why: SkipWhy;
  /** The touch's identity (see CalendarTouch.key). */
  key: string;
  reason: string;
}

export interface ProgramCalendar {
  program: { id: string; name: string };
  from: string;
  months: number;
  customers: CalendarEntry[];
  deferrals: Deferral[];
  skipped: SkippedTouch[];
  events: { used: number; duplicates: number; unknownCustomer: number; noTrigger: number };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MONTHS_PER: Record<Exclude<CadencePeriod, 'week'>, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };
/** A cadence touch is wanted in the first half of its share of the period, leaving the rest for the cap. */
const SPREAD_SHARE = 0.5;
/** The last step of a trigger has this long to find a slot. */
const LAST_STEP_GRACE_MS = 7 * DAY_MS;

export const DEFERRAL_REASONS: Record<DeferralWhy, (cap: FrequencyCap) => string> = {
  'cap-48h': (cap) => `frequency cap: at most ${cap.per48h} touch(es) in 48 hours / 频次上限：48 小时内至多 ${cap.per48h} 次`,
  'cap-7d': (cap) => `frequency cap: at most ${cap.per7d} touches in 7 days / 频次上限：7 天内至多 ${cap.per7d} 次`,
};

export const SKIP_REASONS: Record<SkipWhy, string> = {
  'cap-before-next-cycle':
    'the frequency cap leaves no slot before the next cycle or step / 频次上限下，下一周期（或下一步）前已无可用时段',
  'no-window-before-next-cycle':
    'no contact window before the next cycle or step (blackout days, working days, quiet hours) / 下一周期（或下一步）前没有可联系的时段（禁发日、工作日、静默时段）',
  unreachable: 'no channel the customer can be reached on / 没有可联系该客户的渠道',
};

/** FNV-1a: a stable share in [0, 1) per text, so that a customer's place in every period is the same on every run. */
function shareOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // murmur3's finalizer: ids that differ in their last character must land far apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Local dates and midnights, cached: luxon asks Intl for every offset, and a year of a large customer file
 * asks the same few hundred days of the same zones over and over.
 */
const midnights = new Map<string, number>();
function midnightOf(zone: string, date: string): number {
  const key = `${zone}|${date}`;
  let ms = midnights.get(key);
  if (ms === undefined) {
    ms = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
    if (midnights.size > 200_000) midnights.clear();
    midnights.set(key, ms);
  }
  return ms;
}
const localDateOf = (ms: number, zone: string): string => isoInZone(ms, zone).slice(0, 10);
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const cycleStarts = new Map<string, number>();
/** cycleStart in epoch ms, cached per zone, first day, period and cycle. */
function cycleStartMs(zone: string, from: string, per: CadencePeriod, k: number): number {
  const key = `${zone}|${from}|${per}|${k}`;
  let ms = cycleStarts.get(key);
  if (ms === undefined) {
    ms = cycleStart(DateTime.fromISO(from, { zone }).startOf('day'), per, k).toMillis();
    if (cycleStarts.size > 200_000) cycleStarts.clear();
    cycleStarts.set(key, ms);
  }
  return ms;
}

/** The cycles of one cadence from `anchor`: the k-th starts at anchor + k periods, counted from the anchor (Jan 31 + 1 month is Feb 28 or 29, + 2 months Mar 31). */
function cycleStart(anchor: DateTime, per: CadencePeriod, k: number): DateTime {
  return per === 'week' ? anchor.plus({ weeks: k }) : anchor.plus({ months: k * MONTHS_PER[per] });
}

interface Want {
  entry: CalendarEntry;
  calendarCustomer: CalendarCustomer;
  wantMs: number;
  /** It must be placed before this instant (the next cycle's or step's), or it is skipped. */
  beforeMs: number;
  trigger: string;
  template: string;
  tier: Tier;
  key: string;
  /** Minutes after the window opens, spreading customers over the morning. */
  offsetMinutes: number;
  kind: 0 | 1;
  /** The first open instant of the window for it, before the cap and the send rate. */
  windowSlot?: number | null;
}

function tierAt(c: CalendarCustomer, ms: number, changes: readonly { ms: number; tier: Tier }[]): Tier {
  let tier = c.tier;
  for (const change of changes) if (change.ms <= ms) tier = change.tier;
  return tier;
}

/**
 * Every touch a program wants over a period, placed (rulebook sections 1-2):
 * 1. cadence cycles per tier, counted from `from` in the customer's zone; each cycle's touches spread
 *    over it and, per customer, to a stable day in the first half of their share (not everybody on the 1st);
 *    a cycle follows the tier in force when it starts (a downgrade changes the following cycles);
 * 2. each trigger's steps after each matching event (once per event id), when they fall in the period;
 * 3. every touch in time order: inside the customer's contact window in their own zone, outside quiet
 *    hours and blackout days, on working days or make-up days when configured (contact-window.ts), in a
 *    free send slot of the channel's rate (send-scheduler.ts), then the frequency cap arbitrates
 *    (frequency-cap.ts): a later touch moves to the next allowed slot (a deferral: from, to, why); one that
 *    finds no slot before its next cycle or step is skipped with its reason.
 */
export function programCalendar(input: CalendarInput): ProgramCalendar {
  const { program } = input;
  const cap = program.frequencyCap;
  const isSuppressed = input.isSuppressed ?? (() => false);
  const spreadMinutes = Math.max(
    0,
    Math.min(
      120,
      ...[program.contactWindow.end, ...program.quietHours.map((q) => q.start)]
        .map((t) => minutesOf(t) - minutesOf(program.contactWindow.start))
        .filter((m) => m > 0),
    ) - 1,
  );
  const entries: CalendarEntry[] = [];
  const wants: Want[] = [];
  const skipped: SkippedTouch[] = [];
  const byId = new Map<
    string,
    { c: CalendarCustomer; entry: CalendarEntry; channel: Channel | null; changes: { ms: number; tier: Tier }[] }
  >();
  // One set of rules for the whole period (its last local day is the same date in every zone): the window
  // arithmetic caches its days per rules; a touch's own limit (its next cycle or step) is checked here.
  const lastDay = plusDays(
    DateTime.fromISO(input.from, { zone: 'UTC' }).plus({ months: input.months }).toISODate() ?? input.from,
    -1,
  );
  const rules = windowRulesOf({ ...program, execution: { start: input.from, end: lastDay } });

  // 1. Cadence cycles.
  for (const c of input.customers) {
    const { customer } = c;
    const changes = (c.tierChanges ?? []).map((t) => ({ ms: Date.parse(t.at), tier: t.tier })).sort((a, b) => a.ms - b.ms);
    const entry: CalendarEntry = {
      id: customer.id,
      tier: c.tier,
      segment: c.segment,
      skip: null,
      tierChanges: changes.map((t) => ({ at: isoInZone(t.ms, customer.timeZone), tier: t.tier })),
      touches: [],
    };
    entries.push(entry);
    const { channels, reasons } = reachableChannels(customer, program.segments[c.segment].channels, isSuppressed);
    if (channels.length === 0) entry.skip = `not reachable: ${reasons.join(', ')} / 无法联系`;
    byId.set(customer.id, { c, entry, channel: channels[0] ?? null, changes });
    const zone = customer.timeZone;
    const endMs = cycleStartMs(zone, input.from, 'month', input.months);
    const share = shareOf(`${program.id}|${customer.id}`);
    const offsetMinutes = Math.floor(shareOf(`${program.id}|${customer.id}|minute`) * spreadMinutes);
    for (const [tier, cadence] of Object.entries(program.cadence) as [Tier, Cadence][]) {
      if (cadence.touches === 0) continue;
      for (let k = 0; ; k++) {
        const startMs = cycleStartMs(zone, input.from, cadence.per, k);
        if (startMs >= endMs) break;
        if (tierAt(c, startMs, changes) !== tier) continue;
        const cycleMs = cycleStartMs(zone, input.from, cadence.per, k + 1) - startMs;
        for (let i = 0; i < cadence.touches; i++) {
          const shareStart = localDateOf(startMs + (i * cycleMs) / cadence.touches, zone);
          const shareDays = Math.max(1, Math.floor((cycleMs / cadence.touches / DAY_MS) * SPREAD_SHARE));
          const wantMs = Math.max(startMs, midnightOf(zone, plusDays(shareStart, Math.floor(share * shareDays))));
          const beforeMs = Math.min(endMs, startMs + ((i + 1) * cycleMs) / cadence.touches);
          if (wantMs >= endMs) continue; // the last cycle runs past the calendar's end
          wants.push({
            entry,
            calendarCustomer: c,
            wantMs,
            beforeMs,
            trigger: 'cadence',
            template: program.cadenceTemplates[tier] ?? 'default',
            tier,
            key: `cadence:${tier}:${cadence.per}:${k}:${i}`,
            offsetMinutes,
            kind: 1,
          });
        }
      }
    }
  }

  // 2. Triggers, once per event id.
  const seen = new Set<string>();
  const events = { used: 0, duplicates: 0, unknownCustomer: 0, noTrigger: 0 };
  for (const event of input.events) {
    if (seen.has(event.id)) {
      events.duplicates++;
      continue;
    }
    seen.add(event.id);
    const known = byId.get(event.customerId);
    if (!known) {
      events.unknownCustomer++;
      continue;
    }
    const { c, entry, changes } = known;
    const atMs = Date.parse(event.at);
    const fromMs = cycleStartMs(c.customer.timeZone, input.from, 'month', 0);
    const endMs = cycleStartMs(c.customer.timeZone, input.from, 'month', input.months);
    const tier = tierAt(c, atMs, changes);
    const triggers = program.triggers.filter((t) => t.on === event.type && (!t.tiers || t.tiers.includes(tier)));
    if (triggers.length === 0) {
      events.noTrigger++;
      continue;
    }
    events.used++;
    for (const trigger of triggers) {
      const index = program.triggers.indexOf(trigger);
      const dues = trigger.after.map((step) => atMs + (stepHours(step) ?? 0) * HOUR_MS);
      for (const [j, step] of trigger.after.entries()) {
        const dueMs = dues[j] ?? atMs;
        if (dueMs < fromMs || dueMs >= endMs) continue;
        wants.push({
          entry,
          calendarCustomer: c,
          wantMs: dueMs,
          beforeMs: Math.min(endMs, dues[j + 1] ?? dueMs + LAST_STEP_GRACE_MS),
          trigger: `${trigger.on}+${step}`,
          template: trigger.templates?.[j] ?? 'default',
          tier,
          key: `${trigger.on}#${index}:${event.id}+${step}`,
          offsetMinutes: 0,
          kind: 0,
        });
      }
    }
  }

  // 3. Placement in the order of the slots the windows give: the earlier touch keeps its slot, the later one moves.
  for (const want of wants) {
    const zone = want.calendarCustomer.customer.timeZone;
    want.windowSlot = nextSendMillis(want.wantMs, zone, rules, want.offsetMinutes);
  }
  wants.sort(
    (a, b) =>
      (a.windowSlot ?? Number.POSITIVE_INFINITY) - (b.windowSlot ?? Number.POSITIVE_INFINITY) ||
      a.wantMs - b.wantMs ||
      a.kind - b.kind ||
      a.entry.id.localeCompare(b.entry.id) ||
      a.trigger.localeCompare(b.trigger),
  );
  const buckets: Record<Channel, RateBuckets> = {
    sms: new RateBuckets(program.sendRates.smsPerSecond, 0),
    email: new RateBuckets(program.sendRates.emailPerSecond, 0),
  };
  const histories = new Map<string, number[]>();
  const deferrals: Deferral[] = [];
  for (const want of wants) {
    const { customer } = want.calendarCustomer;
    const zone = customer.timeZone;
    const skip = (why: SkipWhy) =>
      skipped.push({
        customerId: customer.id,
        trigger: want.trigger,
        tier: want.tier,
        wantedAt: isoInZone(want.wantMs, zone),
        before: isoInZone(want.beforeMs, zone),
        why,
        reason: SKIP_REASONS[why],
        key: want.key,
      });
    const channel = byId.get(customer.id)?.channel ?? null;
    if (channel === null) {
      skip('unreachable');
      continue;
    }
    let history = histories.get(customer.id);
    if (!history) {
      history = [...(input.history?.(customer) ?? [])];
      histories.set(customer.id, history);
    }
    const { windowSlot } = want;
    if (windowSlot === null || windowSlot === undefined || windowSlot >= want.beforeMs) {
      skip('no-window-before-next-cycle');
      continue;
    }
    const placed = place(windowSlot, history, cap, buckets[channel], zone, rules);
    if (placed.at === null || placed.at >= want.beforeMs) {
      skip(placed.why ? 'cap-before-next-cycle' : 'no-window-before-next-cycle');
      continue;
    }
    buckets[channel].book(placed.at);
    history.push(placed.at);
    const sendAt = isoInZone(placed.at, zone);
    if (placed.why) {
      deferrals.push({
        customerId: customer.id,
        trigger: want.trigger,
        from: isoInZone(windowSlot, zone),
        to: sendAt,
        why: placed.why,
        reason: DEFERRAL_REASONS[placed.why](cap),
      });
    }
    want.entry.touches.push({
      sendAt,
      channel,
      program: program.id,
      trigger: want.trigger,
      template: want.template,
      tier: want.tier,
      wantedAt: isoInZone(want.wantMs, zone),
      key: want.key,
      before: isoInZone(want.beforeMs, zone),
    });
  }
  for (const entry of entries) entry.touches.sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt));
  return {
    program: { id: program.id, name: program.name },
    from: input.from,
    months: input.months,
    customers: entries,
    deferrals,
    skipped,
    events,
  };
}

/** Which limit of the cap a touch at `t` would break. */
function capWhy(history: readonly number[], cap: FrequencyCap, t: number): DeferralWhy {
  return fitsCap(history, { per48h: cap.per48h, per7d: Number.POSITIVE_INFINITY }, t) ? 'cap-7d' : 'cap-48h';
}

/**
 * The first instant at or after `slot` that is in the window, in a free rate slot and under the cap,
 * and whether the cap moved it (the first limit it broke).
 */
function place(
  slot: number,
  history: readonly number[],
  cap: FrequencyCap,
  buckets: RateBuckets,
  zone: string,
  rules: WindowRules,
): { at: number | null; why: DeferralWhy | null } {
  let why: DeferralWhy | null = null;
  let t: number | null = slot;
  for (let guard = 0; t !== null && guard < 200; guard++) {
    if (!fitsCap(history, cap, t)) {
      why ??= capWhy(history, cap, t);
      t = nextSendMillis(earliestUnderCap(history, cap, t), zone, rules);
      continue;
    }
    const free = buckets.earliest(t);
    if (free === t) return { at: t, why };
    t = nextSendMillis(free, zone, rules);
  }
  return { at: null, why };
}
