import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { recordReply } from '../core/use-cases/record-reply.js';
import { logger } from '../shared/logger.js';
import { eachSnsMessage, isoTimeOr, replyLogFields, type SnsDeliverySummary } from '../shared/sns-messages.js';
import { parseEmailReply } from './parse.js';

const verdict = z.object({ status: z.string() }).optional();

/**
 * SES publishes messages of up to 150 KB to SNS (whose own limit is 256 KB): content over this is not a
 * reply SES delivered, and is not parsed.
 */
export const MAX_EMAIL_CONTENT_CHARACTERS = 256 * 1024;
/** What is kept of a reply's own text (the quote and signature already cut off): a long letter, not a survey answer. */
export const MAX_REPLY_CHARACTERS = 5000;

/** What SES receiving publishes to SNS for each message (the SNS action, with the raw message as content). */
export const sesNotificationSchema = z.object({
  notificationType: z.literal('Received'),
  mail: z.object({ messageId: z.string().min(1), timestamp: z.string().optional() }),
  receipt: z.object({
    timestamp: z.string().optional(),
    spamVerdict: verdict,
    virusVerdict: verdict,
    dmarcVerdict: verdict,
    action: z.object({ type: z.string(), encoding: z.enum(['UTF8', 'BASE64']).default('UTF8') }),
  }),
  content: z
    .string()
    .min(1, 'no message content: the SES rule must use the SNS action, which includes it')
    .max(MAX_EMAIL_CONTENT_CHARACTERS, `over ${MAX_EMAIL_CONTENT_CHARACTERS / 1024} KB: SES publishes no message that large`),
});

export type InboundEmailSummary = SnsDeliverySummary;

/** The reply's text, cut after MAX_REPLY_CHARACTERS with a note saying so: the manager must see it is not all. */
function keptText(text: string): string {
  if (text.length <= MAX_REPLY_CHARACTERS) return text;
  logger.warn('inbound e-mail cut', { characters: text.length, kept: MAX_REPLY_CHARACTERS });
  return `${text.slice(0, MAX_REPLY_CHARACTERS)}… [${text.length - MAX_REPLY_CHARACTERS} more characters not kept]`;
}

/**
 * Replies to the e-mail itself, received by SES (where the region supports receiving) and published to
 * SNS: each is read like an SMS reply (a digit, an opt-out word, or free text) and matched to the touch
 * it answers by the message ids it names, else by the sender's address. Spam, viruses, DMARC failures and
 * automatic replies are rejected with their reason; one bad message never holds up the others.
 */
export const buildInboundEmailHandler = (deps: Pick<Deps, 'repo' | 'callback' | 'clock'>) =>
  middy<SNSEvent, InboundEmailSummary, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .handler(async (event) => {
      const summary = await eachSnsMessage(event, sesNotificationSchema, async ({ mail, receipt, content }, record) => {
        const failed = (['spamVerdict', 'virusVerdict', 'dmarcVerdict'] as const).find((v) => receipt[v]?.status === 'FAIL');
        if (failed) return `SES ${failed.replace('Verdict', '')} check failed`;
        const raw = receipt.action.encoding === 'BASE64' ? Buffer.from(content, 'base64').toString('utf8') : content;
        const email = await parseEmailReply(raw);
        if (email.automatic) return email.automatic;
        if (!email.from) return 'the message has no sender address';
        if (email.text === '') return 'the reply is empty';
        const reply = await recordReply(deps, {
          channel: 'email',
          replyId: `email-${mail.messageId}`,
          receivedAt: isoTimeOr([receipt.timestamp, mail.timestamp, record.Sns.Timestamp], () => deps.clock.now()),
          match: { channel: 'email', from: email.from, messageId: email.inReplyTo[0] ?? null, messageIds: email.inReplyTo },
          content: { text: keptText(email.text) },
        });
        logger.info('inbound e-mail recorded', replyLogFields(reply));
        return null;
      });
      for (const rejected of summary.rejected) logger.warn('inbound e-mail rejected', rejected);
      return summary;
    });
