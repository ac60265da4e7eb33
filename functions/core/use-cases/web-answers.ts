import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidLinkError } from '../errors.js';
import { type LinkClaims, verifyLink } from '../links.js';
import type { ReplyStore } from '../ports/index.js';
import type { TicketRecord, TouchReply } from '../records.js';
import type { ExtraQuestion, Locale, Survey } from '../schemas.js';
import type { Deps } from './deps.js';
import { definedOnly, type RecordedReply, recordReply, type SurveyContent } from './record-reply.js';
import type { TicketStores } from './tickets.js';

/** An empty form field (an unanswered optional question) reads as absent. */
const blankAsAbsent = (v: unknown) => (v === '' || v === null ? undefined : v);
/**
 * A number as a form sends it (decimal digits as text) or as JSON does; anything else stays as it is,
 * to be refused. z.coerce.number would read true as 1, [5] as 5 and "0x5" as 5: a client's bug would
 * become a CSAT of 1, and an escalation.
 */
const digitsAsNumber = (v: unknown) => {
  const value = blankAsAbsent(v);
  return typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
};
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);
const optionalRating = (min: number, max: number) => z.preprocess(digitsAsNumber, wholeNumber(min, max).optional());
const rating = (min: number, max: number) => z.preprocess(digitsAsNumber, wholeNumber(min, max));

/** The survey of rulebook section 3: CSAT (required), NPS, the three service dimensions and open text. */
export const surveyAnswerSchema = z.object({
  score: rating(1, 5),
  nps: optionalRating(0, 10),
  attitude: optionalRating(1, 5),
  efficiency: optionalRating(1, 5),
  result: optionalRating(1, 5),
  comment: z.preprocess(blankAsAbsent, z.string().max(2000).optional()),
});
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema> & { answers?: TouchReply['answers'] };

/** The form field of a campaign question (`q-<id>`): prefixed so no question can shadow a built-in one. */
export const fieldOf = (question: Pick<ExtraQuestion, 'id'>) => `q-${question.id}`;

function questionSchema(question: ExtraQuestion): z.ZodType<string | number | boolean | undefined> {
  const optional = <T extends z.ZodType>(schema: T, read: (v: unknown) => unknown = blankAsAbsent) =>
    z.preprocess(read, question.required ? schema : schema.optional()) as z.ZodType<z.infer<T> | undefined>;
  switch (question.type) {
    case 'rating':
      return optional(wholeNumber(1, 5), digitsAsNumber);
    case 'yes-no':
      return optional(z.enum(['yes', 'no']).transform((v) => v === 'yes'));
    case 'choice':
      // The option's number (1-based): stable however the labels are translated.
      return optional(wholeNumber(1, question.options.length), digitsAsNumber);
    case 'text':
      return optional(z.string().trim().min(1).max(question.maxLength));
  }
}

/** The answer schema of one campaign's survey: the built-in questions and its own (`q-<id>` fields). */
export function surveyAnswerSchemaFor(survey: Survey): z.ZodType<SurveyAnswer> {
  const extra = Object.fromEntries(survey.questions.map((q) => [fieldOf(q), questionSchema(q)]));
  return surveyAnswerSchema.and(z.object(extra)).transform((parsed) => {
    const record = parsed as Record<string, unknown>;
    const answers: NonNullable<SurveyAnswer['answers']> = {};
    for (const q of survey.questions) {
      const value = record[fieldOf(q)] as string | number | boolean | undefined;
      if (value !== undefined) answers[q.id] = value;
    }
    const { score, nps, attitude, efficiency, result, comment } = parsed;
    return { score, nps, attitude, efficiency, result, comment, ...(Object.keys(answers).length > 0 ? { answers } : {}) };
  });
}

type WebDeps = Pick<Deps<TicketStores & ReplyStore>, 'repo' | 'callback' | 'clock' | 'links'>;

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

/** What a survey link has recorded so far: nothing, a one-click score that the rest may follow, or all. */
export type SurveyProgress = { stage: 'open' } | { stage: 'scored'; score: number } | { stage: 'answered' };

/** What a survey page needs: the campaign's survey (its own questions) and how far this link got. */
export interface OpenSurvey {
  survey: Survey;
  progress: SurveyProgress;
}

export async function openSurvey(deps: WebDeps, token: string): Promise<OpenSurvey> {
  const claims = await surveyClaims(deps, token);
  const campaign = await deps.repo.getCampaign(claims.c);
  const survey = campaign?.campaign.survey ?? { smsAsks: 'csat' as const, questions: [] };
  const touch = await deps.repo.getTouch({ campaignId: claims.c, customerId: claims.u, touch: claims.t });
  const reply = touch?.reply;
  if (!reply) return { survey, progress: { stage: 'open' } };
  if (reply.replyId === replyIdOf(token) && isScoreOnly(reply))
    return { survey, progress: { stage: 'scored', score: Number(reply.value) } };
  return { survey, progress: { stage: 'answered' } };
}

/**
 * A survey answered on the web page (or in one click from the e-mail):
 * 1. verify the signed link (forged or expired links change nothing);
 * 2. if this link recorded only a score so far (the one-click path), add the rest of this answer (NPS,
 *    dimensions, the campaign's questions, the comment) to that reply, once; the score stays the first one;
 * 3. else record the answer against the touch the link names and resume the lifecycle.
 */
export async function answerSurvey(deps: WebDeps, token: string, answer: SurveyAnswer): Promise<RecordedReply> {
  const claims = await surveyClaims(deps, token);
  const key = { campaignId: claims.c, customerId: claims.u, touch: claims.t };
  const replyId = replyIdOf(token);
  const receivedAt = deps.clock.now().toISOString();
  const rest = restOf(answer);
  const touch = await deps.repo.getTouch(key);
  if (touch?.reply?.replyId === replyId) {
    if (!isScoreOnly(touch.reply) || Object.keys(rest).length === 0) throw new InvalidLinkError(ALREADY_ANSWERED);
    if (!(await deps.repo.addReplyFollowUp(key, replyId, { ...rest, followUpAt: receivedAt })))
      throw new InvalidLinkError(ALREADY_ANSWERED);
    const followUp = {
      ...key,
      replyId: `${replyId}-more`,
      channel: 'email' as const,
      receivedAt,
      kind: rest.comment === undefined ? ('survey' as const) : ('text' as const),
      value: rest.comment ?? touch.reply.value,
      late: touch.replyDeadline !== null && receivedAt > touch.replyDeadline,
      duplicate: false,
      resumed: false,
    };
    await deps.repo.putReply(followUp);
    return { ...followUp, matched: true };
  }
  const reply = await recordReply(deps, {
    channel: 'email',
    replyId,
    receivedAt,
    match: { touch: key },
    content: { score: answer.score, ...rest },
  });
  if (reply.duplicate) throw new InvalidLinkError(ALREADY_ANSWERED);
  return reply;
}

/** Everything of an answer but the CSAT score, as the touch's reply stores it (absent answers left out). */
function restOf(answer: SurveyAnswer): Omit<SurveyContent, 'score'> {
  const dimensions = definedOnly({ attitude: answer.attitude, efficiency: answer.efficiency, result: answer.result });
  return definedOnly({
    nps: answer.nps,
    comment: answer.comment,
    dimensions: Object.keys(dimensions).length > 0 ? dimensions : undefined,
    answers: answer.answers,
  });
}

async function surveyClaims(deps: WebDeps, token: string): Promise<LinkClaims> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'survey') throw new InvalidLinkError('not a survey link');
  return claims;
}

function isScoreOnly(reply: TouchReply): boolean {
  return reply.kind === 'survey' && reply.nps === undefined && reply.comment === undefined && !reply.dimensions && !reply.answers;
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

/** A confirmation link (the customer's "is it solved?"), verified. */
export async function confirmationClaims(deps: WebDeps, token: string): Promise<LinkClaims> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'confirm') throw new InvalidLinkError('not a confirmation link');
  return claims;
}

/**
 * The customer answers "is it solved?" from the e-mail: recorded on the confirmation touch like an SMS
 * "1" or "2" (once per link) and resuming the ticket's wait.
 */
export async function answerConfirmation(deps: WebDeps, token: string, answer: 'solved' | 'not-solved'): Promise<RecordedReply> {
  const claims = await confirmationClaims(deps, token);
  const reply = await recordReply(deps, {
    channel: 'email',
    replyId: `confirm-${replyIdOf(token)}`,
    receivedAt: deps.clock.now().toISOString(),
    match: { touch: { campaignId: claims.c, customerId: claims.u, touch: claims.t } },
    content: { text: answer === 'solved' ? '1' : '2' },
  });
  if (reply.duplicate) throw new InvalidLinkError(ALREADY_ANSWERED);
  return reply;
}

/** The ticket a manager's link names, and the language of its page (the campaign's). */
export async function ticketOfLink(deps: WebDeps, token: string): Promise<{ ticket: TicketRecord; locale: Locale }> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'ticket') throw new InvalidLinkError('not a ticket link');
  const ticket = await deps.repo.getTicket({ campaignId: claims.c, customerId: claims.u, touch: claims.t });
  if (!ticket) throw new InvalidLinkError('this link no longer points at a ticket');
  const campaign = await deps.repo.getCampaign(claims.c);
  return { ticket, locale: campaign?.campaign.defaultLocale ?? 'zh-CN' };
}

export function ticketViewOf(ticket: TicketRecord) {
  return {
    customerName: ticket.customerId,
    severity: `${ticket.severity}${ticket.category ? ` (${ticket.category})` : ''}`,
    status: ticket.status,
    reason: ticket.reason,
    replyText: ticket.replyText ?? '',
    respondBy: ticket.respondBy,
    owner: ticket.owner,
  };
}
