import type { ReplyStore, SuppressionList, TouchKey, TouchStore } from '../ports/index.js';
import type { ReplyRecord, TouchRecord, TouchReply } from '../records.js';
import { classifyReply } from '../replies.js';
import type { Channel } from '../schemas.js';
import type { Deps } from './deps.js';

type ReplyDeps = Pick<Deps<TouchStore & ReplyStore & SuppressionList>, 'repo' | 'callback'>;

export interface InboundReply {
  channel: Channel;
  /** Stable per delivered reply (the provider's inbound message id, or one per survey link): redeliveries are recognised by it. */
  replyId: string;
  receivedAt: string;
  /**
   * The touch answered: an SMS reply comes from an address and usually names the message it answers;
   * a signed link names the touch itself.
   */
  match:
    | {
        channel: Channel;
        from: string;
        messageId: string | null;
        /** Every message id the reply names (an e-mail's In-Reply-To and References), when more than one. */
        messageIds?: readonly string[];
      }
    | { touch: TouchKey }
    | null;
  content: { text: string } | SurveyContent;
}

/** A survey answered on the web page: CSAT, and whatever else of the survey the customer filled in. */
export interface SurveyContent {
  score: number;
  nps?: number | undefined;
  comment?: string | undefined;
  dimensions?: TouchReply['dimensions'];
  answers?: TouchReply['answers'];
}

/** The scale an SMS digit answers: the touch asked for a CSAT (1-5) or an NPS (0-10). */
export const SCALES = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 }, confirm: { min: 1, max: 2 } } as const;

export type RecordedReply = ReplyRecord & { matched: boolean };

/**
 * Records one inbound answer and resumes the waiting lifecycle:
 * 1. find the touch it answers (unknown ones are stored unmatched, never dropped);
 * 2. read it: score, opt-out or free text; an opt-out goes to the suppression list at once;
 * 3. store it on the touch once (a second answer is kept as a duplicate) and, if the lifecycle waits
 *    for it, resume it with SendTaskSuccess; an answer after the timeout is kept as a late one;
 * 4. store the reply record (idempotent by replyId).
 */
export async function recordReply(deps: ReplyDeps, inbound: InboundReply): Promise<RecordedReply> {
  const touch = await findTouch(deps, inbound.match);
  const meaning =
    'text' in inbound.content
      ? classifyReply(inbound.content.text, SCALES[touch?.asks ?? 'csat'])
      : ({ kind: 'survey', value: inbound.content.score } as const);
  const base = {
    campaignId: touch?.campaignId ?? null,
    customerId: touch?.customerId ?? null,
    replyId: inbound.replyId,
    channel: inbound.channel,
    receivedAt: inbound.receivedAt,
    kind: meaning.kind,
    value: meaning.value,
    touch: touch?.touch ?? null,
  };
  if (!touch) {
    // An opt-out is honoured even when we cannot tell which message it answers.
    if (meaning.kind === 'optout' && inbound.match && 'from' in inbound.match) {
      await deps.repo.suppress(inbound.match.channel, inbound.match.from, `reply:${inbound.channel}`, inbound.receivedAt);
    }
    const record = { ...base, late: false, duplicate: false, resumed: false };
    // Kept with the sender's hashed address, so that erasing that customer's data finds it.
    const from =
      inbound.match && 'from' in inbound.match ? { channel: inbound.match.channel, address: inbound.match.from } : undefined;
    await deps.repo.putReply(record, from);
    return { ...record, matched: false };
  }

  if (meaning.kind === 'optout')
    await deps.repo.suppress(touch.channel, touch.address, `reply:${inbound.channel}`, inbound.receivedAt);

  let late = touch.replyDeadline !== null && inbound.receivedAt > touch.replyDeadline;
  let duplicate = false;
  let resumed = false;
  const reply: TouchReply = { kind: meaning.kind, value: meaning.value, replyId: inbound.replyId };
  if (meaning.kind === 'score' && 'comment' in meaning && meaning.comment) reply.comment = meaning.comment;
  if ('score' in inbound.content) {
    const { nps, comment, dimensions, answers } = inbound.content;
    Object.assign(reply, definedOnly({ nps, comment, dimensions, answers }));
  }
  const updated = await deps.repo.recordTouchReply(touch, reply, inbound.receivedAt);
  const current = updated ?? (await deps.repo.getTouch(touch));
  const redelivery = !updated && current?.reply?.replyId === inbound.replyId;
  if (!updated && !redelivery) duplicate = true;
  if (!duplicate && current?.taskToken && !late) {
    // A redelivery resumes too (the first delivery may have stopped short of it); if the first one did
    // resume the lifecycle, the token reads as closed, which makes the redelivery neither late nor new.
    const outcome = await deps.callback.succeed(current.taskToken, { kind: reply.kind, value: reply.value, touch: touch.touch });
    resumed = outcome === 'resumed';
    late = outcome === 'expired' && !redelivery;
  } else if (updated && !late) {
    // The reply outran AwaitResponse: its conditional write will find the reply and evaluate it at once.
    resumed = true;
  }
  if (!duplicate && !redelivery && late && !resumed) resumed = await resumeLaterTouch(deps, touch, reply, inbound.receivedAt);
  const record = { ...base, late, duplicate, resumed };
  const stored = await deps.repo.putReply(record);
  // A redelivered reply was stored the first time round: report that record, not a second one.
  return { ...record, duplicate: duplicate || !stored, matched: true };
}

/**
 * A late answer to one touch while the customer's next touch waits for a reply is the answer the
 * lifecycle waits for: it is recorded on that touch too and resumes it, so that nobody who answered is
 * chased again or counted as not responding.
 */
async function resumeLaterTouch(
  deps: ReplyDeps,
  answered: TouchRecord,
  reply: NonNullable<TouchRecord['reply']>,
  receivedAt: string,
): Promise<boolean> {
  for (let touch = answered.touch + 1; touch <= answered.touch + 5; touch++) {
    const later = await deps.repo.getTouch({ campaignId: answered.campaignId, customerId: answered.customerId, touch });
    if (!later) return false;
    if (later.repliedAt !== undefined) continue;
    const updated = await deps.repo.recordTouchReply(later, reply, receivedAt);
    if (!updated) return false;
    // Not waiting yet: AwaitResponse will find the reply on the touch and go straight to Evaluate.
    if (!updated.taskToken) return true;
    return (await deps.callback.succeed(updated.taskToken, { kind: reply.kind, value: reply.value, touch })) === 'resumed';
  }
  return false;
}

/**
 * An SMS reply belongs to the touch whose message it names; failing that (the reply outran our record
 * of the message id, or the carrier dropped the reference), to the newest unanswered touch sent to that
 * number, else to the newest one (where it is kept as a duplicate).
 */
async function findTouch(deps: Pick<ReplyDeps, 'repo'>, match: InboundReply['match']): Promise<TouchRecord | null> {
  if (match === null) return null;
  if ('touch' in match) return deps.repo.getTouch(match.touch);
  const recent = await deps.repo.recentTouchesTo(match.channel, match.from, 10);
  const named = new Set([...(match.messageIds ?? []), ...(match.messageId === null ? [] : [match.messageId])]);
  return (
    recent.find((t) => t.messageId !== null && named.has(t.messageId)) ??
    recent.find((t) => t.repliedAt === undefined) ??
    recent[0] ??
    null
  );
}

/** Leaves out absent answers (DynamoDB stores no undefined; a record shows only what was answered). */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
