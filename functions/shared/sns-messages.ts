import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import type { z } from 'zod';
import type { RecordedReply } from '../core/use-cases/record-reply.js';
import { describeIssues } from './task-handler.js';

export interface SnsDeliverySummary {
  recorded: number;
  rejected: { snsMessageId: string; reason: string }[];
}

/**
 * The first of `times` that is a date, as ISO 8601, else `fallback` (the clock): a malformed timestamp
 * in a delivery must not fail the batch it came in.
 */
export function isoTimeOr(times: readonly unknown[], fallback: () => Date): string {
  for (const time of times) {
    const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return fallback().toISOString();
}

/**
 * Reads each message of an SNS delivery as JSON against `schema` and hands the valid ones to `handle`,
 * which records it or returns why it is refused. A malformed message is rejected with its reason and the
 * others go on: throwing would make SNS redeliver the good ones with the bad one, forever. The event is
 * read as untrusted too (a record without its SNS part, a Records that is no list).
 */
export async function eachSnsMessage<T>(
  event: SNSEvent,
  schema: z.ZodType<T>,
  handle: (message: T, record: SNSEventRecord) => Promise<string | null>,
): Promise<SnsDeliverySummary> {
  const summary: SnsDeliverySummary = { recorded: 0, rejected: [] };
  const records: unknown = event?.Records ?? [];
  if (!Array.isArray(records)) {
    summary.rejected.push({ snsMessageId: 'unknown', reason: 'the event has no list of Records' });
    return summary;
  }
  for (const record of records as SNSEventRecord[]) {
    const sns: Partial<SNSEventRecord['Sns']> | undefined =
      typeof record === 'object' && record !== null ? record.Sns : undefined;
    const snsMessageId = typeof sns?.MessageId === 'string' ? sns.MessageId : 'unknown';
    if (typeof sns !== 'object' || sns === null) {
      summary.rejected.push({ snsMessageId, reason: 'the record has no SNS message' });
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(typeof sns.Message === 'string' ? sns.Message : '');
    } catch {
      summary.rejected.push({ snsMessageId, reason: 'message is not JSON' });
      continue;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      summary.rejected.push({ snsMessageId, reason: describeIssues(parsed.error) });
      continue;
    }
    const refused = await handle(parsed.data, record);
    if (refused === null) summary.recorded += 1;
    else summary.rejected.push({ snsMessageId, reason: refused });
  }
  return summary;
}

/** What the log keeps of a recorded reply: how it was matched and handled, never its sender or text. */
export function replyLogFields(reply: RecordedReply) {
  const { replyId, kind, matched, late, duplicate, resumed } = reply;
  return { replyId, kind, matched, late, duplicate, resumed };
}
