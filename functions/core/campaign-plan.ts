import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import { isoInZone, windowRulesOf } from './contact-window.js';
import { type CostProjection, projectCost } from './cost.js';
import { earliestUnderCap } from './frequency-cap.js';
import type { Campaign, Channel, Customer, Priority, Segment, Tier } from './schemas.js';
import { segmentationOf, type TierCutoffs } from './segmentation.js';
import { SendScheduler } from './send-scheduler.js';
import { chooseTemplate, offerFor, offerVariables, renderChosen, type TouchContext } from './templates.js';

export interface PlannedTouchView {
  touch: number;
  channel: Channel;
  /** ISO 8601 with the customer's offset. */
  sendAt: string;
  template: string;
  /** Touches after the first are sent only when the one before goes unanswered. */
  conditional: boolean;
}

export interface PlannedCustomer {
  id: string;
  tier: Tier;
  segment: Segment;
  priority: Priority;
  deadline: string;
  /** Why the customer is not contacted, or null. */
  skip: string | null;
  touches: PlannedTouchView[];
  /** Core and churn-warning customers: a call/visit task e-mailed to their account manager. */
  accountManagerTask: { to: string; sendAt: string } | null;
  /** Hours by which the first touch misses the segment's completion deadline (rate limits, windows), or null. */
  deadlineMissedByHours: number | null;
  /** Parts of the first SMS, when the first touch is an SMS. */
  smsParts: number | null;
}

export interface PlanTotals {
  customers: number;
  planned: number;
  skipped: number;
  skipReasons: Record<string, number>;
  byTier: Record<string, number>;
  bySegment: Record<string, number>;
  byPriority: Record<string, number>;
  byChannel: Record<string, number>;
  /** First touches per local day (campaign's default zone). */
  byDay: Record<string, number>;
  accountManagerTasks: number;
  deadlineMisses: number;
  worstDeadlineMissHours: number | null;
  smsParts: number;
  /** Customers whose first SMS would take more parts than the campaign's `maxSmsParts`, and the longest. */
  smsOverMaxParts: number;
  mostSmsParts: number;
  lastFirstTouchAt: string | null;
  cost: CostProjection;
}

export interface CampaignPlan {
  customers: PlannedCustomer[];
  totals: PlanTotals;
}

export interface PlanOptions {
  /** Opt-outs and other suppressions that already exist. */
  isSuppressed?: (channel: Channel, address: string) => boolean;
  /** Earlier touches of a customer (epoch ms, any campaign), for the frequency cap. */
  history?: (customer: Customer) => readonly number[];
}

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Where a customer is reached on a channel: their phone for SMS, their e-mail address for e-mail. */
export function addressOf(customer: Customer, channel: Channel): string | null {
  return channel === 'sms' ? customer.phone : customer.email;
}

/** What the customer's message is chosen by (templates.ts chooseTemplate), as Contact will choose it. */
export function touchContextOf(customer: Customer, entry: { tier: Tier; segment: Segment }): TouchContext {
  return {
    tier: entry.tier,
    segment: entry.segment,
    trigger: customer.programTouch?.trigger ?? null,
    message: customer.programTouch?.template ?? null,
  };
}

/** The channels of the segment's mix this customer can be reached on, in the mix's order, or why none. */
export function reachableChannels(
  customer: Customer,
  preference: readonly Channel[],
  isSuppressed: (channel: Channel, address: string) => boolean,
): { channels: Channel[]; reasons: string[] } {
  const channels: Channel[] = [];
  const reasons: string[] = [];
  for (const channel of preference) {
    const address = addressOf(customer, channel);
    const consent = channel === 'sms' ? customer.smsConsent : customer.emailConsent;
    if (!address) reasons.push(`no ${channel} address`);
    else if (!consent) reasons.push(`no ${channel} consent`);
    else if (isSuppressed(channel, address)) reasons.push(`opted out of ${channel}`);
    else channels.push(channel);
  }
  return { channels, reasons };
}

function countryOf(phone: string | null): string {
  return (phone && parsePhoneNumberFromString(phone)?.country) || 'default';
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/**
 * The dry run of a campaign (rulebook sections 1-2):
 * 1. segment every customer (tier, segment, priority, deadline) and keep the channels they can be reached on;
 * 2. book first touches in priority order (high first, earliest deadline first): inside the customer's
 *    contact window, outside quiet hours and blackout days, within the frequency cap, and never over a
 *    channel's send rate;
 * 3. book each conditional re-contact on the other channel after the tier's reply timeout, the same way;
 * 4. say who misses their deadline and by how much, count everything, and project the AWS cost.
 */
export function planCampaign(
  customers: readonly Customer[],
  campaign: Campaign,
  cutoffs: TierCutoffs,
  now: Date,
  options: PlanOptions = {},
): CampaignPlan {
  const isSuppressed = options.isSuppressed ?? (() => false);
  const start = new Date(
    Math.max(now.getTime(), DateTime.fromISO(campaign.execution.start, { zone: campaign.defaultTimeZone }).toMillis()),
  );
  // The rate grid starts at the plan's start, so the first slot is on it.
  const scheduler = new SendScheduler(campaign.sendRates, windowRulesOf(campaign), Math.floor(start.getTime() / 1000) * 1000);
  const segmented = customers.map((customer) => ({ customer, segmentation: segmentationOf(customer, campaign, cutoffs, now) }));
  segmented.sort(
    (a, b) =>
      PRIORITY_RANK[a.segmentation.priority] - PRIORITY_RANK[b.segmentation.priority] ||
      Date.parse(a.segmentation.deadline) - Date.parse(b.segmentation.deadline) ||
      a.customer.id.localeCompare(b.customer.id),
  );
  const smsPartsByCountry: Record<string, number> = {};
  const recontactSmsPartsByCountry: Record<string, number> = {};
  let recontactEmails = 0;
  const planned: PlannedCustomer[] = [];
  interface Booking {
    entry: PlannedCustomer;
    customer: Customer;
    channels: Channel[];
    history: number[];
    timeoutMs: number;
    after: number;
  }
  const bookings: Booking[] = [];
  for (const { customer, segmentation } of segmented) {
    const entry: PlannedCustomer = {
      id: customer.id,
      tier: segmentation.tier,
      segment: segmentation.segment,
      priority: segmentation.priority,
      deadline: segmentation.deadline,
      skip: null,
      touches: [],
      accountManagerTask: null,
      deadlineMissedByHours: null,
      smsParts: null,
    };
    planned.push(entry);
    const { channels, reasons } = reachableChannels(customer, campaign.segments[segmentation.segment].channels, isSuppressed);
    if (channels.length === 0) {
      entry.skip = `not reachable: ${reasons.join(', ')}`;
      continue;
    }
    bookings.push({
      entry,
      customer,
      channels,
      history: [...(options.history?.(customer) ?? [])],
      timeoutMs: campaign.tiers[segmentation.tier].replyTimeoutHours * 3600_000,
      after: start.getTime(),
    });
  }
  // Every first touch is booked before any re-contact: a re-contact that may never be needed must not
  // take a send slot from another customer's first touch.
  for (let touch = 1; touch <= campaign.maxTouches; touch++) {
    for (const booking of bookings) {
      const { entry, customer, channels, history } = booking;
      if (entry.touches.length !== touch - 1) continue; // an earlier touch found no time left
      const channel = channels[(touch - 1) % channels.length] as Channel;
      const capped = earliestUnderCap(history, campaign.frequencyCap, booking.after);
      const at = scheduler.book(channel, customer.timeZone, new Date(capped), { firstTouch: touch === 1 });
      if (at === null) {
        if (touch === 1) entry.skip = 'no contact window left in the campaign';
        continue;
      }
      history.push(at);
      entry.touches.push({
        touch,
        channel,
        sendAt: isoInZone(at, customer.timeZone),
        template: chooseTemplate(campaign, 'survey', channel, customer.locale, touchContextOf(customer, entry)).label,
        conditional: touch > 1,
      });
      booking.after = at + booking.timeoutMs;
    }
  }
  for (const { entry, customer } of bookings) {
    const first = entry.touches[0];
    if (!first) continue;
    // The SMS Contact will send this customer (their tier's, segment's or program touch's message, with the offer).
    const context = touchContextOf(customer, entry);
    const chosen = chooseTemplate(campaign, 'survey', 'sms', customer.locale, context);
    const offer = offerFor(campaign, context.tier, context.segment);
    const vars = {
      brand: campaign.brand,
      name: customer.name,
      campaignName: campaign.name,
      touch: 1,
      surveyUrl: '',
      unsubscribeUrl: '',
      offer: offerVariables(offer, customer.locale, offer?.codes ? 'SAMPLE-2027-0001' : null),
    };
    const sms = { segments: chosen.channel === 'sms' ? renderChosen(chosen, vars).segments : 0 };
    const country = countryOf(customer.phone);
    if (first.channel === 'sms') {
      entry.smsParts = sms.segments;
      bump(smsPartsByCountry, country, sms.segments);
    }
    for (const later of entry.touches.slice(1)) {
      if (later.channel === 'sms') bump(recontactSmsPartsByCountry, country, sms.segments);
      else recontactEmails++;
    }
    if (campaign.segments[entry.segment].accountManagerTask) {
      entry.accountManagerTask = { to: customer.accountManager ?? campaign.defaultAccountManager, sendAt: first.sendAt };
    }
    const missMs = Date.parse(first.sendAt) - Date.parse(entry.deadline);
    if (missMs > 0) entry.deadlineMissedByHours = Math.round((missMs / 3600_000) * 10) / 10;
  }
  return {
    customers: planned,
    totals: totalsOf(planned, campaign, { smsPartsByCountry, recontactSmsPartsByCountry, recontactEmails }),
  };
}

function totalsOf(
  planned: readonly PlannedCustomer[],
  campaign: Campaign,
  messages: {
    smsPartsByCountry: Record<string, number>;
    recontactSmsPartsByCountry: Record<string, number>;
    recontactEmails: number;
  },
): PlanTotals {
  const totals: Omit<PlanTotals, 'cost'> = {
    customers: planned.length,
    planned: 0,
    skipped: 0,
    skipReasons: {},
    byTier: {},
    bySegment: {},
    byPriority: {},
    byChannel: {},
    byDay: {},
    accountManagerTasks: 0,
    deadlineMisses: 0,
    worstDeadlineMissHours: null,
    smsParts: 0,
    smsOverMaxParts: 0,
    mostSmsParts: 0,
    lastFirstTouchAt: null,
  };
  for (const entry of planned) {
    bump(totals.byTier, entry.tier);
    bump(totals.bySegment, entry.segment);
    bump(totals.byPriority, entry.priority);
    if (entry.skip) {
      totals.skipped++;
      bump(totals.skipReasons, entry.skip);
      continue;
    }
    const first = entry.touches[0];
    if (!first) continue;
    totals.planned++;
    bump(totals.byChannel, first.channel);
    bump(totals.byDay, isoInZone(Date.parse(first.sendAt), campaign.defaultTimeZone).slice(0, 10));
    if (entry.accountManagerTask) totals.accountManagerTasks++;
    totals.smsParts += entry.smsParts ?? 0;
    if ((entry.smsParts ?? 0) > campaign.maxSmsParts) totals.smsOverMaxParts++;
    totals.mostSmsParts = Math.max(totals.mostSmsParts, entry.smsParts ?? 0);
    if (entry.deadlineMissedByHours !== null) {
      totals.deadlineMisses++;
      totals.worstDeadlineMissHours = Math.max(totals.worstDeadlineMissHours ?? 0, entry.deadlineMissedByHours);
    }
    if (totals.lastFirstTouchAt === null || Date.parse(first.sendAt) > Date.parse(totals.lastFirstTouchAt))
      totals.lastFirstTouchAt = first.sendAt;
  }
  totals.byDay = Object.fromEntries(Object.entries(totals.byDay).sort(([a], [b]) => a.localeCompare(b)));
  const cost = projectCost(
    {
      planned: { sms: totals.byChannel.sms ?? 0, email: totals.byChannel.email ?? 0 },
      skipped: totals.skipped,
      smsPartsByCountry: messages.smsPartsByCountry,
      recontactSmsPartsByCountry: messages.recontactSmsPartsByCountry,
      recontactEmails: messages.recontactEmails,
      assumedResponseRate: campaign.assumedResponseRate,
    },
    campaign.pricing,
  );
  return { ...totals, cost };
}
