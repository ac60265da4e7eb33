import { z } from 'zod';
import { renderEscalation } from '../templates.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadCustomer, loadLifecycle } from './load.js';
import { sendManagerMailOnce } from './manager-mail.js';

export const escalateInputSchema = z.object({
  campaignId: z.string().min(1),
  customerId: z.string().min(1),
  touch: z.number().int().min(1),
});
export type EscalateInput = z.infer<typeof escalateInputSchema>;

/**
 * Tells the account manager about an unhappy customer, once:
 * 1. claim the escalation (conditional write; a retry or re-run finds it claimed and sends nothing);
 * 2. e-mail the owner the customer's context and the reply, in the customer's locale;
 * 3. record the message id and mark the lifecycle escalated.
 */
export async function escalate(deps: Pick<Deps, 'repo' | 'clock' | 'email'>, input: EscalateInput) {
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  const touch = await deps.repo.getTouch(input);
  const owner = customer.accountManager ?? campaign.defaultAccountManager;
  const reason = lifecycle.csat !== null ? `CSAT ${lifecycle.csat}/5` : 'negative feedback';
  const email = renderEscalation(campaign, customer.locale, {
    brand: campaign.brand,
    campaignName: campaign.name,
    customerName: customer.name,
    customerId: customer.id,
    tier: lifecycle.tier,
    segment: lifecycle.segment,
    reason,
    score: lifecycle.csat === null ? '-' : `${lifecycle.csat}/5`,
    replyText: replyTextOf(touch?.reply),
  });
  const record = {
    ...input,
    kind: 'escalation' as const,
    owner,
    reason,
    status: 'claimed' as const,
    messageId: null,
    createdAt: deps.clock.now().toISOString(),
  };
  const sent = await sendManagerMailOnce(deps, record, email, campaign.defaultTimeZone, `escalation/${customer.locale}`);
  if (!sent) return { owner, status: 'already-escalated' as const };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, { escalated: true, status: 'escalated' });
  return { owner, status: 'sent' as const };
}

/** What the customer said, in their words: the free text, or the score with the survey comment. */
function replyTextOf(reply: { kind: string; value: string | number; comment?: string | undefined } | undefined): string {
  if (!reply) return '';
  if (reply.kind === 'text' || reply.kind === 'optout') return String(reply.value);
  return reply.comment ? `${reply.value}: ${reply.comment}` : String(reply.value);
}
