import { z } from 'zod';
import { evaluateReplies } from '../evaluation.js';
import type { ReplyMeaning } from '../replies.js';
import type { Deps } from './deps.js';
import { loadCampaign } from './load.js';

export const evaluateInputSchema = z.object({
  campaignId: z.string().min(1),
  customerId: z.string().min(1),
  touch: z.number().int().min(1),
  noResponse: z.boolean(),
});
export type EvaluateInput = z.infer<typeof evaluateInputSchema>;

export interface EvaluateResult {
  outcome: string;
  csat: number | null;
  escalate: boolean;
  reason: string | null;
}

/**
 * Closes a lifecycle's contact phase:
 * 1. no response: mark the touch unanswered and record the outcome;
 * 2. a reply: read it from the touch, score it (CSAT, sentiment), decide whether to escalate;
 * 3. store the outcome on the lifecycle record.
 */
export async function evaluate(deps: Pick<Deps, 'repo' | 'clock'>, input: EvaluateInput): Promise<EvaluateResult> {
  const finishedAt = deps.clock.now().toISOString();
  const key = { campaignId: input.campaignId, customerId: input.customerId, touch: input.touch };
  if (input.noResponse) {
    await deps.repo.markTouchUnanswered(key);
    await deps.repo.updateLifecycle(input.campaignId, input.customerId, {
      status: 'no-response',
      outcome: 'no-response',
      finishedAt,
    });
    return { outcome: 'no-response', csat: null, escalate: false, reason: null };
  }
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const touch = await deps.repo.getTouch(key);
  const replies: ReplyMeaning[] = [];
  const reply = touch?.reply;
  // An SMS that asked for the NPS question gets a 0-10 digit back: that is the NPS, not a CSAT.
  const smsNps = reply?.kind === 'score' && touch?.asks === 'nps' ? Number(reply.value) : null;
  if (reply) {
    if ((reply.kind === 'survey' || reply.kind === 'score') && smsNps === null)
      replies.push({ kind: 'score', value: Number(reply.value) });
    else if (reply.kind === 'optout' || reply.kind === 'text') replies.push({ kind: reply.kind, value: String(reply.value) });
    if (reply.comment) replies.push({ kind: 'text', value: reply.comment });
  }
  const nps = smsNps ?? reply?.nps ?? null;
  let evaluation = evaluateReplies(replies, campaign.escalateAtOrBelowCsat);
  // Rulebook section 5: a detractor score (NPS 0-6) is an issue too.
  if (!evaluation.escalate && evaluation.outcome === 'replied' && nps !== null && nps <= 6)
    evaluation = { ...evaluation, escalate: true, reason: `detractor (NPS ${nps}/10)` };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, {
    status: evaluation.outcome === 'opted-out' ? 'opted-out' : 'replied',
    outcome: evaluation.outcome,
    csat: evaluation.csat,
    nps,
    sentiment: evaluation.sentiment,
    finishedAt,
  });
  return { outcome: evaluation.outcome, csat: evaluation.csat, escalate: evaluation.escalate, reason: evaluation.reason };
}
