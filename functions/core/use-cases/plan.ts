import { createHash } from 'node:crypto';
import { z } from 'zod';
import { addressOf, reachableChannels } from '../campaign-plan.js';
import { nextSendTime, windowRulesOf } from '../contact-window.js';
import { NoSendWindowError } from '../errors.js';
import { earliestUnderCap } from '../frequency-cap.js';
import type { CampaignStore, CustomerStore, LifecycleStore, SuppressionList, TicketStore, TouchStore } from '../ports/index.js';
import type { PlannedTouch } from '../records.js';
import type { Campaign, Channel, Customer, Tier } from '../schemas.js';
import { segmentationOf } from '../segmentation.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadCustomer, loadLifecycle } from './load.js';
import { type TicketStep, unfinishedTicket } from './tickets.js';

const ids = { campaignId: z.string().min(1), customerId: z.string().min(1) };
/** Plan's three uses, told apart by their one extra field; anything else is refused, never guessed. */
export const planInputSchema = z.union([
  z.strictObject({ ...ids, afterTouch: z.number().int().min(1) }),
  z.strictObject({ ...ids, careAfterTouch: z.number().int().min(1) }),
  z.strictObject({ ...ids, rescheduleTouch: z.number().int().min(1) }),
  z.strictObject(ids),
]);
export type PlanInput = z.infer<typeof planInputSchema>;

export interface PlanResult {
  skip: string | null;
  tier: string;
  segment: string;
  priority: string;
  deadline: string;
  replyTimeoutSeconds: number;
  next: PlannedTouch;
  /** A resumed run: the lifecycle's contact phase ended, its ticket is still followed from this step. */
  ticket?: TicketStep | null;
  /** A resumed run: the reply raised an issue but the run stopped before the manager heard of it. */
  reescalate?: { severity: string; reason: string } | null;
}

type PlanDeps = Pick<
  Deps<CampaignStore & CustomerStore & LifecycleStore & TouchStore & SuppressionList & TicketStore>,
  'repo' | 'clock'
>;

/** Why a program's touch was not sent: no slot under the cap and in the window before its next cycle or step. */
export const PROGRAM_TOUCH_LATE =
  'no slot in the contact window and under the frequency cap before the next cycle or step / 下一周期（或下一步）前没有可联系且未超频次上限的时段';

/** Spreads customers over the first two hours of the window, stably per customer (when no slot was booked). */
function spreadMinutes(customerId: string): number {
  return createHash('sha256').update(customerId).digest().readUInt16BE(0) % 120;
}

async function allowedChannels(deps: PlanDeps, customer: Customer, preference: readonly Channel[]) {
  const suppressed = new Set<Channel>();
  for (const channel of preference) {
    const address = addressOf(customer, channel);
    if (address && (await deps.repo.isSuppressed(channel, address))) suppressed.add(channel);
  }
  const { channels, reasons } = reachableChannels(customer, preference, (channel) => suppressed.has(channel));
  return { allowed: channels, reasons };
}

/** When this customer was last contacted, on any channel and by any campaign (epoch ms). */
async function touchHistory(deps: PlanDeps, customer: Customer): Promise<number[]> {
  const history: number[] = [];
  for (const channel of ['sms', 'email'] as const) {
    const address = addressOf(customer, channel);
    if (!address) continue;
    for (const touch of await deps.repo.recentTouchesTo(channel, address, 10)) {
      if (touch.status !== 'released') history.push(Date.parse(touch.sentAt ?? touch.claimedAt));
    }
  }
  return history;
}

/**
 * The earliest instant at or after `after` inside the customer's contact window (quiet hours, blackout and
 * working days, campaign dates) and under the frequency cap across campaigns; null when none is left.
 */
/**
 * How many survey touches a customer gets: the campaign's maximum, but no more than the unanswered
 * touches after which the tier's no-response rule applies (rulebook section 1: basic and gold, one).
 */
export function surveyTouchesOf(campaign: Campaign, tier: Tier): number {
  return Math.min(campaign.maxTouches, campaign.tiers[tier].unansweredTouches);
}

export async function sendTimeFor(deps: PlanDeps, campaign: Campaign, customer: Customer, after: Date): Promise<string | null> {
  const rules = windowRulesOf(campaign);
  const history = await touchHistory(deps, customer);
  let at = nextSendTime(after, customer.timeZone, rules, spreadMinutes(customer.id));
  // Alternate between the two rules until an instant satisfies both (each step only moves later).
  for (let guard = 0; at !== null && guard < 20; guard++) {
    const capped = earliestUnderCap(history, campaign.frequencyCap, at.toMillis());
    if (capped === at.toMillis()) return at.toISO({ suppressMilliseconds: true });
    at = nextSendTime(new Date(capped), customer.timeZone, rules);
  }
  return null;
}

/**
 * Plans a customer's first touch:
 * 1. segment the customer (tier, lifecycle segment, priority, deadline);
 * 2. keep the segment's channels the customer consented to, has an address for and did not opt out of;
 * 3. schedule the first touch in the next contact window;
 * 4. store the lifecycle once: a re-run (or a resumed local run) goes on from the stored plan, at the
 *    touch it had reached, or with the ticket still being followed; a lifecycle that ended is skipped.
 */
export async function planFirstTouch(deps: PlanDeps, input: { campaignId: string; customerId: string }): Promise<PlanResult> {
  const existing = await deps.repo.getLifecycle(input.campaignId, input.customerId);
  if (existing?.finishedAt) {
    // Evaluate found an issue and the run stopped before Escalate finished: escalate now (it is claimed
    // once, so a manager who was e-mailed already is not e-mailed again).
    if (existing.severity !== null && !existing.escalated) {
      return { ...resultOf(existing), reescalate: { severity: existing.severity, reason: `${existing.severity} issue` } };
    }
    const ticket = existing.escalated ? await unfinishedTicket(deps, { ...input, touch: existing.next.touch }) : null;
    if (ticket) return { ...resultOf(existing), ticket };
    return { ...resultOf(existing), skip: existing.skip ?? `finished before (${existing.outcome ?? existing.status})` };
  }
  if (existing) return resultOf(existing);

  const { campaign, cutoffs } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const now = deps.clock.now();
  const segmentation = segmentationOf(customer, campaign, cutoffs, now);
  const { allowed, reasons } = await allowedChannels(deps, customer, campaign.segments[segmentation.segment].channels);
  // The campaign plan booked a rate slot for the first touch at launch: keep it while it is still ahead.
  const booked = customer.plannedFirstTouch;
  const first = booked && allowed.includes(booked.channel) ? booked.channel : allowed[0];
  const after = booked && first === booked.channel && Date.parse(booked.sendAt) > now.getTime() ? new Date(booked.sendAt) : now;
  const programTouch = customer.programTouch;
  const placed = first && !programTouch?.skip ? await sendTimeFor(deps, campaign, customer, after) : null;
  // A program's touch goes out before its next cycle or step, or not at all (the reason is kept).
  const late = programTouch !== null && placed !== null && Date.parse(placed) >= Date.parse(programTouch.notAfter);
  const sendAt = late ? null : placed;
  const skip = programTouch?.skip
    ? programTouch.skip
    : !first
      ? `not reachable: ${reasons.join(', ')}`
      : sendAt === null
        ? programTouch
          ? PROGRAM_TOUCH_LATE
          : 'no contact window left in the campaign'
        : null;
  const lastTouch = surveyTouchesOf(campaign, segmentation.tier) <= 1;
  const record = await deps.repo.createLifecycle({
    campaignId: input.campaignId,
    customerId: input.customerId,
    ...segmentation,
    skip,
    status: skip ? 'skipped' : 'planned',
    channels: allowed,
    next: { touch: 1, channel: first ?? 'sms', sendAt: sendAt ?? now.toISOString(), last: lastTouch },
    replyTimeoutSeconds: Math.round(campaign.tiers[segmentation.tier].replyTimeoutHours * 3600),
    plannedAt: now.toISOString(),
    outcome: skip ? 'skipped' : null,
    csat: null,
    nps: null,
    sentiment: null,
    escalated: false,
    category: null,
    severity: null,
    noResponseRule: null,
    downgradedTo: null,
    finishedAt: skip ? now.toISOString() : null,
  });
  return resultOf(record);
}

function resultOf(record: Awaited<ReturnType<LifecycleStore['createLifecycle']>>): PlanResult {
  return {
    skip: record.skip,
    tier: record.tier,
    segment: record.segment,
    priority: record.priority,
    deadline: record.deadline,
    replyTimeoutSeconds: record.replyTimeoutSeconds,
    next: record.next,
  };
}

/**
 * Plans the touch after an unanswered one (rulebook section 4: switch channel on the re-try):
 * 1. mark the unanswered touch;
 * 2. take the next allowed channel (the same one when it is the only one);
 * 3. schedule it in the next contact window, or fail with NoSendWindowError when the campaign is over.
 */
export async function planRecontact(
  deps: PlanDeps,
  input: { campaignId: string; customerId: string; afterTouch: number },
): Promise<PlannedTouch> {
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  if (lifecycle.next.touch > input.afterTouch) return lifecycle.next; // re-run: already planned
  await deps.repo.markTouchUnanswered({ ...input, touch: input.afterTouch });
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const channels = lifecycle.channels;
  const index = channels.indexOf(lifecycle.next.channel);
  const channel = channels[(index + 1) % channels.length] ?? lifecycle.next.channel;
  const sendAt = await sendTimeFor(deps, campaign, customer, deps.clock.now());
  if (sendAt === null) throw new NoSendWindowError('no contact window left in the campaign for a re-contact');
  const touch = input.afterTouch + 1;
  const next: PlannedTouch = { touch, channel, sendAt, last: touch >= surveyTouchesOf(campaign, lifecycle.tier) };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, { next });
  return next;
}

/**
 * Moves a touch that missed its contact window (the lifecycle was held up) to the next window:
 * same touch, same channel; NoSendWindowError when the campaign has no window left.
 */
export async function rescheduleTouch(
  deps: PlanDeps,
  input: { campaignId: string; customerId: string; rescheduleTouch: number },
): Promise<PlannedTouch> {
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const sendAt = await sendTimeFor(deps, campaign, customer, deps.clock.now());
  if (sendAt === null) throw new NoSendWindowError('no contact window left in the campaign');
  const next: PlannedTouch = { ...lifecycle.next, touch: input.rescheduleTouch, sendAt };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, { next });
  return next;
}

/**
 * Plans the SMS care follow-up of rulebook section 1 (gold, one unanswered touch): a greeting that asks
 * nothing, in the next contact window under the frequency cap; NoSendWindowError when none is left.
 */
export async function planCare(
  deps: PlanDeps,
  input: { campaignId: string; customerId: string; careAfterTouch: number },
): Promise<PlannedTouch> {
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  if (lifecycle.next.touch > input.careAfterTouch) return lifecycle.next; // re-run: already planned
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const sendAt = await sendTimeFor(deps, campaign, customer, deps.clock.now());
  if (sendAt === null) throw new NoSendWindowError('no contact window left in the campaign for the care SMS');
  const next: PlannedTouch = { touch: input.careAfterTouch + 1, channel: 'sms', sendAt, last: true };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, { next });
  return next;
}

export function plan(deps: PlanDeps, input: PlanInput): Promise<PlanResult | PlannedTouch> {
  if ('afterTouch' in input) return planRecontact(deps, input);
  if ('careAfterTouch' in input) return planCare(deps, input);
  if ('rescheduleTouch' in input) return rescheduleTouch(deps, input);
  return planFirstTouch(deps, input);
}
