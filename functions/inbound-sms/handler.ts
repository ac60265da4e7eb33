import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { recordReply } from '../core/use-cases/record-reply.js';
import { logger } from '../shared/logger.js';
import { eachSnsMessage, type SnsDeliverySummary } from '../shared/sns-messages.js';

/** What a two-way origination number (AWS End User Messaging SMS) publishes for each inbound SMS. */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(1),
  destinationNumber: z.string().optional(),
  messageBody: z.string().max(5000),
  inboundMessageId: z.string().min(1),
  previousPublishedMessageId: z.string().optional(),
});

export type InboundSmsSummary = SnsDeliverySummary;

/** One SNS delivery may carry several inbound SMS; a malformed one is rejected with its reason and the others go on. */
export const buildInboundSmsHandler = (deps: Pick<Deps, 'repo' | 'callback' | 'clock'>) =>
  middy<SNSEvent, InboundSmsSummary, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .handler(async (event) => {
      const summary = await eachSnsMessage(event, inboundSmsSchema, async (sms, record) => {
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
        return null;
      });
      for (const rejected of summary.rejected) logger.warn('inbound sms rejected', rejected);
      return summary;
    });
