import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { recordReply } from '../core/use-cases/record-reply.js';
import { logger } from '../shared/logger.js';
import { describeIssues } from '../shared/task-handler.js';

/** What a two-way origination number (AWS End User Messaging SMS) publishes for each inbound SMS. */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(1),
  destinationNumber: z.string().optional(),
  messageBody: z.string().max(5000),
  inboundMessageId: z.string().min(1),
  previousPublishedMessageId: z.string().optional(),
});

export interface InboundSmsSummary {
  recorded: number;
  rejected: { snsMessageId: string; reason: string }[];
}

/**
 * One SNS delivery may carry several inbound SMS. A malformed one is rejected with its reason and the
 * others go on: throwing would make SNS redeliver the good ones with the bad one, forever.
 */
export const buildInboundSmsHandler = (deps: Pick<Deps, 'repo' | 'callback' | 'clock'>) =>
  middy<SNSEvent, InboundSmsSummary, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .handler(async (event) => {
      const summary: InboundSmsSummary = { recorded: 0, rejected: [] };
      for (const record of event.Records ?? []) {
        const snsMessageId = record.Sns?.MessageId ?? 'unknown';
        let body: unknown;
        try {
          body = JSON.parse(record.Sns?.Message ?? '');
        } catch {
          summary.rejected.push({ snsMessageId, reason: 'message is not JSON' });
          continue;
        }
        const parsed = inboundSmsSchema.safeParse(body);
        if (!parsed.success) {
          summary.rejected.push({ snsMessageId, reason: describeIssues(parsed.error) });
          continue;
        }
        const sms = parsed.data;
        const reply = await recordReply(deps, {
          channel: 'sms',
          replyId: `sms-${sms.inboundMessageId}`,
          receivedAt: record.Sns.Timestamp ? new Date(record.Sns.Timestamp).toISOString() : deps.clock.now().toISOString(),
          match: { channel: 'sms', from: sms.originationNumber, messageId: sms.previousPublishedMessageId ?? null },
          content: { text: sms.messageBody },
        });
        logger.info('inbound sms recorded', {
          replyId: reply.replyId,
          kind: reply.kind,
          matched: reply.matched,
          late: reply.late,
          duplicate: reply.duplicate,
          resumed: reply.resumed,
        });
        summary.recorded += 1;
      }
      for (const rejected of summary.rejected) logger.warn('inbound sms rejected', rejected);
      return summary;
    });
