import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidLinkError } from '../errors.js';
import { type LinkClaims, verifyLink } from '../links.js';
import type { TouchRecord } from '../records.js';
import type { Locale } from '../schemas.js';
import type { Deps } from './deps.js';
import { type RecordedReply, recordReply } from './record-reply.js';

/** An empty form field (an unanswered optional question) reads as absent. */
const blankAsAbsent = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalRating = (min: number, max: number) =>
  z.preprocess(blankAsAbsent, z.coerce.number().int().min(min).max(max).optional());

/** The survey of rulebook section 3: CSAT (required), NPS, the three service dimensions and open text. */
export const surveyAnswerSchema = z.object({
  score: z.coerce.number().int().min(1).max(5),
  nps: optionalRating(0, 10),
  attitude: optionalRating(1, 5),
  efficiency: optionalRating(1, 5),
  result: optionalRating(1, 5),
  comment: z.preprocess(blankAsAbsent, z.string().max(2000).optional()),
});
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

type WebDeps = Pick<Deps, 'repo' | 'callback' | 'clock' | 'links'>;

/** One answer per link: the reply id is derived from the link, so a reused link is recognised. */
function replyIdOf(token: string): string {
  return `web-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

/** The refusal a survey link gets once its answer (and any follow-up comment) is in. */
export const ALREADY_ANSWERED = 'this survey was already answered';

/**
 * The customer's locale for the pages a link leads to, also when the link has expired (the 410 page is
 * then in their language). A link whose signature does not match names nobody we trust: zh-CN.
 */
export async function localeOfLink(deps: WebDeps, token: string): Promise<Locale> {
  let claims: LinkClaims;
  try {
    // Expiry does not matter for choosing a language: check the signature only.
    claims = verifyLink(token, await deps.links.linkKey(), new Date(0));
  } catch (error) {
    if (error instanceof InvalidLinkError) return 'zh-CN';
    throw error;
  }
  const customer = await deps.repo.getCustomer(claims.c, claims.u);
  return customer?.locale ?? 'zh-CN';
}

/** What a survey link has recorded so far: nothing, a one-click score that a comment may follow, or all. */
export type SurveyProgress = { stage: 'open' } | { stage: 'scored'; score: number } | { stage: 'answered' };

export async function surveyProgress(deps: WebDeps, token: string): Promise<SurveyProgress> {
  const claims = await surveyClaims(deps, token);
  const touch = await deps.repo.getTouch({ campaignId: claims.c, customerId: claims.u, touch: claims.t });
  const reply = touch?.reply;
  if (!reply) return { stage: 'open' };
  if (reply.replyId === replyIdOf(token) && isScoreOnly(reply)) return { stage: 'scored', score: Number(reply.value) };
  return { stage: 'answered' };
}

/**
 * A survey answered on the web page (or in one click from the e-mail):
 * 1. verify the signed link (forged or expired links change nothing);
 * 2. if this link recorded only a score so far (the one-click path), keep the comment and NPS of this
 *    answer as a follow-up reply, once;
 * 3. else record the answer against the touch the link names and resume the lifecycle.
 * The service dimensions are validated but not stored: the touch reply has no place for them yet.
 */
export async function answerSurvey(deps: WebDeps, token: string, answer: SurveyAnswer): Promise<RecordedReply> {
  const claims = await surveyClaims(deps, token);
  const key = { campaignId: claims.c, customerId: claims.u, touch: claims.t };
  const replyId = replyIdOf(token);
  const receivedAt = deps.clock.now().toISOString();
  const touch = await deps.repo.getTouch(key);
  if (touch?.reply?.replyId === replyId) {
    const text = followUpText(answer);
    if (!isScoreOnly(touch.reply) || text === null) throw new InvalidLinkError(ALREADY_ANSWERED);
    const followUp = {
      ...key,
      replyId: `${replyId}-comment`,
      channel: 'email' as const,
      receivedAt,
      kind: 'text' as const,
      value: text,
      late: touch.replyDeadline !== null && receivedAt > touch.replyDeadline,
      duplicate: false,
      resumed: false,
    };
    if (!(await deps.repo.putReply(followUp))) throw new InvalidLinkError(ALREADY_ANSWERED);
    return { ...followUp, matched: true };
  }
  const reply = await recordReply(deps, {
    channel: 'email',
    replyId,
    receivedAt,
    match: { touch: key },
    content: { score: answer.score, nps: answer.nps, comment: answer.comment },
  });
  if (reply.duplicate) throw new InvalidLinkError(ALREADY_ANSWERED);
  return reply;
}

async function surveyClaims(deps: WebDeps, token: string): Promise<LinkClaims> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'survey') throw new InvalidLinkError('not a survey link');
  return claims;
}

function isScoreOnly(reply: NonNullable<TouchRecord['reply']>): boolean {
  return reply.kind === 'survey' && reply.nps === undefined && reply.comment === undefined;
}

/** A follow-up reply is free text: the comment, with the NPS in front when one was given. */
function followUpText(answer: SurveyAnswer): string | null {
  const parts = [answer.nps === undefined ? null : `NPS ${answer.nps}`, answer.comment ?? null].filter((p) => p !== null);
  return parts.length > 0 ? parts.join('\n') : null;
}

/** The unsubscribe link (and the one-click List-Unsubscribe-Post): the address goes on the suppression list. */
export async function unsubscribe(deps: WebDeps, token: string): Promise<void> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'unsubscribe') throw new InvalidLinkError('not an unsubscribe link');
  const touch = await deps.repo.getTouch({ campaignId: claims.c, customerId: claims.u, touch: claims.t });
  if (!touch) throw new InvalidLinkError('this link no longer points at a message');
  const at = deps.clock.now().toISOString();
  await deps.repo.suppress(touch.channel, touch.address, 'unsubscribe-link', at);
  await deps.repo.putReply({
    campaignId: claims.c,
    customerId: claims.u,
    replyId: `unsubscribe-${replyIdOf(token)}`,
    channel: touch.channel,
    receivedAt: at,
    kind: 'optout',
    value: 'unsubscribe link',
    touch: claims.t,
    late: false,
    duplicate: false,
    resumed: false,
  });
}
