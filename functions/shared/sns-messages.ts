import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import type { z } from 'zod';
import { describeIssues } from './task-handler.js';

export interface SnsDeliverySummary {
  recorded: number;
  rejected: { snsMessageId: string; reason: string }[];
}

/**
 * Reads each message of an SNS delivery as JSON against `schema` and hands the valid ones to `handle`,
 * which records it or returns why it is refused. A malformed message is rejected with its reason and the
 * others go on: throwing would make SNS redeliver the good ones with the bad one, forever.
 */
export async function eachSnsMessage<T>(
  event: SNSEvent,
  schema: z.ZodType<T>,
  handle: (message: T, record: SNSEventRecord) => Promise<string | null>,
): Promise<SnsDeliverySummary> {
  const summary: SnsDeliverySummary = { recorded: 0, rejected: [] };
  for (const record of event.Records ?? []) {
    const snsMessageId = record.Sns?.MessageId ?? 'unknown';
    let body: unknown;
    try {
      body = JSON.parse(record.Sns?.Message ?? '');
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
