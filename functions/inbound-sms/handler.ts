import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { recordReply } from '../core/use-cases/record-reply.js';
import { logger } from '../shared/logger.js';
import { eachSnsMessage, isoTimeOr, replyLogFields, type SnsDeliverySummary } from '../shared/sns-messages.js';

/** Far over the longest SMS (a message of 10 parts holds 1,530 GSM-7 or 670 UCS-2 characters). */
export const MAX_SMS_CHARACTERS = 5000;

/**
 * What a two-way origination number (AWS End User Messaging SMS) publishes for each inbound SMS. An
 * empty body answers nothing (an MMS without text, say): it is refused rather than read as a reply.
 */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(1).max(32, 'longer than 32 characters: not a phone number'),
  destinationNumber: z.string().max(32).optional(),
  messageBody: z
    .string()
    .max(MAX_SMS_CHARACTERS, `longer than ${MAX_SMS_CHARACTERS} characters: no SMS is that long`)
    .refine((body) => body.trim() !== '', 'the SMS is empty'),
  inboundMessageId: z.string().min(1).max(256),
  previousPublishedMessageId: z.string().max(256).optional(),
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
          receivedAt: isoTimeOr([record.Sns.Timestamp], () => deps.clock.now()),
          match: { channel: 'sms', from: sms.originationNumber, messageId: sms.previousPublishedMessageId ?? null },
          content: { text: sms.messageBody },
        });
        logger.info('inbound sms recorded', replyLogFields(reply));
        return null;
      });
      for (const rejected of summary.rejected) logger.warn('inbound sms rejected', rejected);
      return summary;
    });
