import { z } from 'zod';
import { addressOf } from '../campaign-plan.js';
import { followUpRulesOf, isInsideWindow, windowRulesOf } from '../contact-window.js';
import {
  CampaignCancelledError,
  CampaignPausedError,
  OutsideContactWindowError,
  ProviderThrottledError,
  RecipientSuppressedError,
  TransientError,
} from '../errors.js';
import { signLink } from '../links.js';
import type {
  CampaignStore,
  CustomerStore,
  EscalationStore,
  LifecycleStore,
  RecordKey,
  SuppressionList,
  TouchKey,
  TouchStore,
} from '../ports/index.js';
import type { CampaignRecord } from '../records.js';
import { type Campaign, type Channel, type Customer, channelSchema } from '../schemas.js';
import {
  chooseTemplate,
  type OfferVariables,
  offerFor,
  offerVariables,
  renderChosen,
  type TouchContext,
  usesOfferCode,
} from '../templates.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadCustomer, loadLifecycle } from './load.js';
import { sendAccountManagerTask } from './manager-mail.js';

export const contactInputSchema = z.object({
  campaignId: z.string().min(1),
  customerId: z.string().min(1),
  touch: z.number().int().min(1),
  channel: channelSchema,
  /**
   * survey: the follow-up itself; care: the no-response rule's SMS greeting (asks nothing); confirm: asks
   * whether the problem of a resolved ticket is solved (1 = solved, 2 = not solved).
   */
  purpose: z.enum(['survey', 'care', 'confirm']).default('survey'),
});
export type ContactInput = z.input<typeof contactInputSchema>;

export interface ContactResult {
  /** The touch record's key: AwaitResponse parks the task token there. */
  key: RecordKey;
  touch: number;
  channel: Channel;
  /** 'sent' now, or 'already-sent' when a retry or re-run found the touch sent (or possibly sent) before. */
  status: 'sent' | 'already-sent';
  /**
   * How long AwaitResponse waits for the reply: the tier's timeout after a send; what is left of the
   * touch's reply deadline when a retry or a resumed run finds it sent (at least a second).
   */
  replyTimeoutSeconds: number;
}

/** How far ahead Contact books a send slot, in seconds. */
export const SLOT_HORIZON_SECONDS = 20;

/** How long signed links stay valid after the send. */
const LINK_TTL_SECONDS = 30 * 24 * 3600;

type ContactDeps = Pick<
  Deps<CampaignStore & CustomerStore & LifecycleStore & TouchStore & SuppressionList & EscalationStore>,
  'repo' | 'clock' | 'sms' | 'email' | 'links' | 'publicBaseUrl' | 'limiter'
> &
  // Without a coupon store (a test, a deployment without offers), `{{offer.code}}` says there is no code left.
  Partial<Pick<Deps, 'coupons'>>;

/** The answer for a touch sent before: AwaitResponse waits only for what is left of its reply deadline. */
function alreadySent(
  result: ContactResult,
  replyDeadline: string | null,
  lifecycle: { replyTimeoutSeconds: number },
  now: Date,
): ContactResult {
  const deadline = replyDeadline ? Date.parse(replyDeadline) : null;
  const left = deadline === null ? lifecycle.replyTimeoutSeconds : Math.ceil((deadline - now.getTime()) / 1000);
  return { ...result, status: 'already-sent', replyTimeoutSeconds: Math.max(1, left) };
}

/** Sends only while the campaign runs: paused, the lifecycle holds; cancelled, it ends. */
function refuseUnlessRunning(status: CampaignRecord['status']): void {
  if (status === 'paused') throw new CampaignPausedError('the campaign is paused');
  if (status === 'cancelled' || status === 'finished') throw new CampaignCancelledError(`the campaign is ${status}`);
}

/**
 * The touch's message (chooseTemplate: the program touch's own, the most specific rule, the campaign's
 * templates, the shipped ones) and its offer. A coupon code is drawn only when that message shows one, and
 * before the claim: the customer's code is theirs for good (CouponStore), so a retry sends the same one.
 */
async function prepareMessage(
  deps: ContactDeps,
  campaign: Campaign,
  customer: Customer,
  touch: TouchContext,
  input: z.infer<typeof contactInputSchema>,
  at: Date,
) {
  const chosen = chooseTemplate(campaign, input.purpose, input.channel, customer.locale, touch);
  const offer = offerFor(campaign, touch.tier, touch.segment);
  let code: string | null = null;
  if (offer?.codes && usesOfferCode(chosen) && deps.coupons) {
    ({ code } = await deps.coupons.assignCode(offer.codes, customer.id, at.toISOString()));
  }
  const offerVars: OfferVariables = offerVariables(offer, customer.locale, code);
  return { chosen, offer: offerVars };
}

/**
 * Sends one touch, at most once:
 * 1. check the address, consent and the suppression list (an opt-out since planning stops the send),
 *    and that it is still inside the customer's contact window (else the touch is rescheduled);
 * 2. choose the message and draw the customer's coupon code if it shows one (the same code on a retry);
 * 3. wait for a free slot of the channel's send rate (shared by all senders, at most 20 s ahead), then
 *    check again (not from a cache) that the campaign runs, with the settings as they are now, and that
 *    the window is open;
 * 4. claim the touch with a conditional write, right before the provider call: a touch claimed before is
 *    never sent again, unless the earlier attempt is known not to have reached the provider (then its
 *    claim was released);
 * 5. if those checks took it past its slot, take the next free one;
 * 6. render the template with signed survey and unsubscribe links and call the provider;
 * 7. record the provider's message id (replies are matched by it).
 */
export async function contactCustomer(deps: ContactDeps, raw: ContactInput): Promise<ContactResult> {
  const input = contactInputSchema.parse(raw);
  const record = await loadCampaign(deps.repo, input.campaignId);
  let { campaign } = record;
  const { status } = record;
  // Confirmations of a fix are service to a customer who complained: a pause does not hold them.
  if (input.purpose !== 'confirm') refuseUnlessRunning(status);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  const key: TouchKey = { campaignId: input.campaignId, customerId: input.customerId, touch: input.touch };
  const result: ContactResult = {
    key: deps.repo.touchRecordKey(key),
    touch: input.touch,
    channel: input.channel,
    status: 'sent',
    replyTimeoutSeconds:
      input.purpose === 'confirm' ? Math.round(campaign.confirmWithinDays * 24 * 3600) : lifecycle.replyTimeoutSeconds,
  };

  const address = addressOf(customer, input.channel);
  const consent = input.channel === 'sms' ? customer.smsConsent : customer.emailConsent;
  if (!address || !consent || (await deps.repo.isSuppressed(input.channel, address))) {
    if (input.purpose === 'survey')
      await deps.repo.updateLifecycle(input.campaignId, input.customerId, {
        status: 'suppressed',
        outcome: 'suppressed',
        finishedAt: deps.clock.now().toISOString(),
      });
    throw new RecipientSuppressedError(`customer cannot be contacted by ${input.channel}`);
  }

  const now = deps.clock.now();
  // The "is it solved?" question follows an issue past the campaign's last day, as it was planned.
  const rulesFor = (c: typeof campaign) => (input.purpose === 'confirm' ? followUpRulesOf(c) : windowRulesOf(c));
  if (!isInsideWindow(now, customer.timeZone, rulesFor(campaign))) {
    throw new OutsideContactWindowError(`touch ${input.touch} is outside the customer's contact window`);
  }
  // Core and churn-warning customers: their account manager gets a call/visit task with the first touch.
  if (input.touch === 1 && input.purpose === 'survey' && lifecycle.accountManagerTask) {
    await sendAccountManagerTask(deps, {
      campaignId: input.campaignId,
      customerId: input.customerId,
      campaign,
      customer,
      lifecycle,
      touch: 0,
      reason: `${lifecycle.segment} customer`,
      deadline: lifecycle.deadline,
      now,
    });
  }
  const touchContext: TouchContext = {
    tier: lifecycle.tier,
    segment: lifecycle.segment,
    trigger: customer.programTouch?.trigger ?? null,
    message: customer.programTouch?.template ?? null,
  };
  let message = await prepareMessage(deps, campaign, customer, touchContext, input, now);

  // The channel's rate is shared by every sender: wait for a free send slot first, so that the claim
  // below comes right before the provider call (a crash in between is the only way to lose a touch).
  const rate = input.channel === 'sms' ? campaign.sendRates.smsPerSecond : campaign.sendRates.emailPerSecond;
  // At most 20 s ahead: the wait must fit in the Contact task's 30-second timeout (Lambda's too).
  const slot = await deps.limiter.reserve(input.channel, rate, now, SLOT_HORIZON_SECONDS);
  if (slot === null) {
    throw new ProviderThrottledError(`every ${input.channel} send slot of the next ${SLOT_HORIZON_SECONDS} seconds is taken`);
  }
  if (slot > deps.clock.now()) await deps.clock.sleepUntil(slot);
  // Paused (or cancelled) while this send waited for its slot: nothing goes out. Read now, not cached.
  const latest = input.purpose === 'confirm' ? null : await deps.repo.getCampaignStatus(input.campaignId);
  if (latest && latest.status !== 'running') refuseUnlessRunning(latest.status);
  // Settings changed since they were read (revisit update while paused): this send uses the new ones.
  if (latest && (latest.settingsUpdatedAt ?? null) !== (record.settingsUpdatedAt ?? null)) {
    campaign = (await loadCampaign(deps.repo, input.campaignId)).campaign;
    message = await prepareMessage(deps, campaign, customer, touchContext, input, deps.clock.now());
  }
  const template = message.chosen.label;
  if (!isInsideWindow(deps.clock.now(), customer.timeZone, rulesFor(campaign))) {
    throw new OutsideContactWindowError(`touch ${input.touch} waited for a send slot past the contact window`);
  }

  const claim = await deps.repo.claimTouch({
    ...key,
    channel: input.channel,
    template,
    status: 'claimed',
    claimedAt: deps.clock.now().toISOString(),
    sentAt: null,
    messageId: null,
    replyDeadline: null,
    address,
    asks: input.purpose === 'confirm' ? 'confirm' : input.channel === 'sms' ? campaign.survey.smsAsks : 'csat',
    attempts: 1,
  });
  // Another attempt claimed it between the read above and now: that one sends.
  if (!claim.claimed) return alreadySent(result, claim.existing.replyDeadline, lifecycle, deps.clock.now());
  // The checks since the slot came took the send into a later second than the one it reserved (a busy
  // table): reserve in the second it goes out in, so that no second ever carries more than the rate.
  if (Math.floor(deps.clock.now().getTime() / 1000) !== Math.floor(slot.getTime() / 1000)) {
    // Only as far ahead as the 20 s this step may wait in all (the task times out at 30 s): what is left
    // of them, at least a second.
    const leftSeconds = Math.floor((now.getTime() + SLOT_HORIZON_SECONDS * 1000 - deps.clock.now().getTime()) / 1000);
    const horizon = Math.min(SLOT_HORIZON_SECONDS, Math.max(1, leftSeconds));
    const later = await deps.limiter.reserve(input.channel, rate, deps.clock.now(), horizon);
    if (later === null) {
      await deps.repo.releaseTouch(key, 'SendRateFull');
      throw new ProviderThrottledError(`every ${input.channel} send slot of the next ${horizon} seconds is taken`);
    }
    if (later > deps.clock.now()) await deps.clock.sleepUntil(later);
    // Paused, cancelled or out of the window while it waited again: the claim goes back, nothing goes out.
    const stillRunning = input.purpose === 'confirm' ? null : await deps.repo.getCampaignStatus(input.campaignId);
    if (stillRunning && stillRunning.status !== 'running') {
      await deps.repo.releaseTouch(key, stillRunning.status === 'paused' ? 'CampaignPaused' : 'CampaignCancelled');
      refuseUnlessRunning(stillRunning.status);
    }
    if (!isInsideWindow(deps.clock.now(), customer.timeZone, rulesFor(campaign))) {
      await deps.repo.releaseTouch(key, 'OutsideContactWindow');
      throw new OutsideContactWindowError(`touch ${input.touch} waited for a send slot past the contact window`);
    }
  }

  const linkKey = await deps.links.linkKey();
  const expires = Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS;
  const claims = { c: input.campaignId, u: input.customerId, t: input.touch, e: expires };
  const vars = {
    brand: campaign.brand,
    name: customer.name,
    campaignName: campaign.name,
    touch: input.touch,
    surveyUrl: `${deps.publicBaseUrl}/s/${signLink({ p: 'survey', ...claims }, linkKey)}`,
    unsubscribeUrl: `${deps.publicBaseUrl}/u/${signLink({ p: 'unsubscribe', ...claims }, linkKey)}`,
    offer: message.offer,
  };
  const programTouch = customer.programTouch;
  const reference = {
    ...key,
    template,
    timeZone: customer.timeZone,
    kind: 'touch' as const,
    ...(programTouch ? { program: { id: programTouch.program, trigger: programTouch.trigger } } : {}),
  };
  const confirmToken = signLink({ p: 'confirm', ...claims }, linkKey);
  const confirmVars = {
    ...vars,
    solvedUrl: `${deps.publicBaseUrl}/c/${confirmToken}?answer=solved`,
    notSolvedUrl: `${deps.publicBaseUrl}/c/${confirmToken}?answer=not-solved`,
  };

  let messageId: string;
  try {
    const view = input.purpose === 'confirm' ? confirmVars : vars;
    const { chosen } = message;
    if (chosen.channel === 'sms') {
      const sms = renderChosen(chosen, view);
      ({ messageId } = await deps.sms.sendSms({ to: address, body: sms.body, reference }));
    } else {
      const email = renderChosen(chosen, view);
      ({ messageId } = await deps.email.sendEmail({ to: address, ...email, unsubscribeUrl: vars.unsubscribeUrl, reference }));
    }
  } catch (error) {
    // The provider said no: nothing went out, so the retry may claim the touch again.
    if (error instanceof ProviderThrottledError || error instanceof TransientError) await deps.repo.releaseTouch(key, error.name);
    throw error;
  }
  const sentAt = deps.clock.now();
  const replyDeadline = new Date(sentAt.getTime() + result.replyTimeoutSeconds * 1000);
  await deps.repo.markTouchSent(key, { messageId, sentAt: sentAt.toISOString(), replyDeadline: replyDeadline.toISOString() });
  // The lifecycle record is not written here: where a lifecycle stands between its plan and its end is
  // read from its touches (revisit status does), which saves a write per send.
  return result;
}
