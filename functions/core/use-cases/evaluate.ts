import { z } from 'zod';
import { type Answer, evaluateAnswer } from '../evaluation.js';
import type { CampaignStore, LifecycleStore, ProfileStore, TouchStore } from '../ports/index.js';
import type { TouchRecord } from '../records.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadLifecycle } from './load.js';
import { downgradeProfile } from './profiles.js';

export const evaluateInputSchema = z.object({
  campaignId: z.string().min(1),
  customerId: z.string().min(1),
  touch: z.number().int().min(1),
  noResponse: z.boolean(),
});
export type EvaluateInput = z.infer<typeof evaluateInputSchema>;

/** What the tier's no-response rule asks the state machine to do next. */
export type FollowUp = 'care-sms' | 'account-manager-task' | null;

export interface EvaluateResult {
  outcome: string;
  csat: number | null;
  escalate: boolean;
  reason: string | null;
  severity: string | null;
  category: string | null;
  followUp: FollowUp;
}

/** The answer on a touch: the SMS digit read on the scale the touch asked, the survey, free text. */
export function answerOf(touch: TouchRecord | null): Answer {
  const reply = touch?.reply;
  const answer = { csat: null as number | null, nps: null as number | null, texts: [] as string[], optedOut: false };
  if (!reply) return answer;
  if (reply.kind === 'optout') answer.optedOut = true;
  else if (reply.kind === 'text') answer.texts.push(String(reply.value));
  else if (reply.kind === 'score' && touch?.asks === 'nps') answer.nps = Number(reply.value);
  else answer.csat = Number(reply.value);
  if (reply.nps !== undefined) answer.nps = reply.nps;
  if (reply.comment) answer.texts.push(reply.comment);
  for (const value of Object.values(reply.answers ?? {})) if (typeof value === 'string') answer.texts.push(value);
  return answer;
}

/**
 * Closes a lifecycle's contact phase:
 * 1. no response: mark the touch unanswered and apply the tier's no-response rule (rulebook section 1):
 *    an account-manager task, an SMS care follow-up, a downgrade to basic, or a stop;
 * 2. a reply: read it (CSAT, NPS, sentiment, complaint category), decide the severity;
 * 3. store the outcome on the lifecycle record.
 */
export async function evaluate(
  deps: Pick<Deps<CampaignStore & LifecycleStore & TouchStore>, 'repo' | 'clock'> & {
    /** The customer profiles: a downgrade is kept there, for every later cycle and campaign (issue 16). */
    profiles?: ProfileStore;
  },
  input: EvaluateInput,
): Promise<EvaluateResult> {
  const finishedAt = deps.clock.now().toISOString();
  const key = { campaignId: input.campaignId, customerId: input.customerId, touch: input.touch };
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  if (input.noResponse) {
    await deps.repo.markTouchUnanswered(key);
    const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
    const rule = campaign.tiers[lifecycle.tier].noResponseRule;
    const followUp: FollowUp =
      rule === 'sms-care-follow-up' && lifecycle.channels.includes('sms')
        ? 'care-sms'
        : rule === 'account-manager-task'
          ? 'account-manager-task'
          : null;
    await deps.repo.updateLifecycle(input.campaignId, input.customerId, {
      status: 'no-response',
      outcome: 'no-response',
      noResponseRule: rule,
      downgradedTo: rule === 'downgrade-to-basic' ? 'basic' : null,
      finishedAt,
    });
    // The lifecycle's record says so first: a retry after a crash in between downgrades the profile then.
    if (rule === 'downgrade-to-basic' && deps.profiles)
      await downgradeProfile({ profiles: deps.profiles }, input.customerId, 'basic', finishedAt);
    const reason = `no response to ${input.touch} touch${input.touch === 1 ? '' : 'es'}`;
    return { outcome: 'no-response', csat: null, escalate: false, reason, severity: null, category: null, followUp };
  }
  const touch = await deps.repo.getTouch(key);
  const evaluation = evaluateAnswer(answerOf(touch), campaign.escalateAtOrBelowCsat);
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, {
    status: evaluation.outcome === 'opted-out' ? 'opted-out' : 'replied',
    outcome: evaluation.outcome,
    csat: evaluation.csat,
    nps: evaluation.nps,
    sentiment: evaluation.sentiment,
    category: evaluation.category,
    severity: evaluation.severity,
    finishedAt,
  });
  return {
    outcome: evaluation.outcome,
    csat: evaluation.csat,
    escalate: evaluation.escalate,
    reason: evaluation.reason,
    severity: evaluation.severity,
    category: evaluation.category,
    followUp: null,
  };
}
