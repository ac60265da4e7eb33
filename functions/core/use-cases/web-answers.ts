import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidLinkError } from '../errors.js';
import { verifyLink } from '../links.js';
import type { Locale } from '../schemas.js';
import type { Deps } from './deps.js';
import { type RecordedReply, recordReply } from './record-reply.js';

export const surveyAnswerSchema = z.object({
  score: z.coerce.number().int().min(1).max(5),
  nps: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(10).optional()),
  comment: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().max(2000).optional()),
});
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

type WebDeps = Pick<Deps, 'repo' | 'callback' | 'clock' | 'links'>;

/** One answer per link: the reply id is derived from the link, so a reused link is recognised. */
function replyIdOf(token: string): string {
  return `web-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

export async function localeOfLink(deps: WebDeps, token: string): Promise<Locale> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  const customer = await deps.repo.getCustomer(claims.c, claims.u);
  return customer?.locale ?? 'zh-CN';
}

/**
 * A survey answered on the web page (or in one click from the e-mail):
 * 1. verify the signed link (forged or expired links change nothing);
 * 2. record the answer against the touch the link names and resume the lifecycle.
 */
export async function answerSurvey(deps: WebDeps, token: string, answer: SurveyAnswer): Promise<RecordedReply> {
  const claims = verifyLink(token, await deps.links.linkKey(), deps.clock.now());
  if (claims.p !== 'survey') throw new InvalidLinkError('not a survey link');
  const reply = await recordReply(deps, {
    channel: 'email',
    replyId: replyIdOf(token),
    receivedAt: deps.clock.now().toISOString(),
    match: { touch: { campaignId: claims.c, customerId: claims.u, touch: claims.t } },
    content: { score: answer.score, nps: answer.nps, comment: answer.comment },
  });
  if (reply.duplicate) throw new InvalidLinkError('this survey was already answered');
  return reply;
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
