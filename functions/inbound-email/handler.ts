import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { recordReply } from '../core/use-cases/record-reply.js';
import { logger } from '../shared/logger.js';
import { describeIssues } from '../shared/task-handler.js';
import { parseEmailReply } from './parse.js';

const verdict = z.object({ status: z.string() }).optional();

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
  content: z.string().min(1, 'no message content: the SES rule must use the SNS action, which includes it'),
});

export interface InboundEmailSummary {
  recorded: number;
  rejected: { snsMessageId: string; reason: string }[];
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
      const summary: InboundEmailSummary = { recorded: 0, rejected: [] };
      for (const record of event.Records ?? []) {
        const snsMessageId = record.Sns?.MessageId ?? 'unknown';
        const reject = (reason: string) => summary.rejected.push({ snsMessageId, reason });
        let body: unknown;
        try {
          body = JSON.parse(record.Sns?.Message ?? '');
        } catch {
          reject('message is not JSON');
          continue;
        }
        const parsed = sesNotificationSchema.safeParse(body);
        if (!parsed.success) {
          reject(describeIssues(parsed.error));
          continue;
        }
        const { mail, receipt, content } = parsed.data;
        const failed = (['spamVerdict', 'virusVerdict', 'dmarcVerdict'] as const).find((v) => receipt[v]?.status === 'FAIL');
        if (failed) {
          reject(`SES ${failed.replace('Verdict', '')} check failed`);
          continue;
        }
        const raw = receipt.action.encoding === 'BASE64' ? Buffer.from(content, 'base64').toString('utf8') : content;
        const email = await parseEmailReply(raw);
        if (email.automatic) {
          reject(email.automatic);
          continue;
        }
        if (!email.from) {
          reject('the message has no sender address');
          continue;
        }
        if (email.text === '') {
          reject('the reply is empty');
          continue;
        }
        const receivedAt = receipt.timestamp ?? mail.timestamp ?? record.Sns.Timestamp;
        const reply = await recordReply(deps, {
          channel: 'email',
          replyId: `email-${mail.messageId}`,
          receivedAt: receivedAt ? new Date(receivedAt).toISOString() : deps.clock.now().toISOString(),
          match: { channel: 'email', from: email.from, messageId: email.inReplyTo[0] ?? null, messageIds: email.inReplyTo },
          content: { text: email.text.slice(0, 5000) },
        });
        logger.info('inbound e-mail recorded', {
          replyId: reply.replyId,
          kind: reply.kind,
          matched: reply.matched,
          late: reply.late,
          duplicate: reply.duplicate,
          resumed: reply.resumed,
        });
        summary.recorded += 1;
      }
      for (const rejected of summary.rejected) logger.warn('inbound e-mail rejected', rejected);
      return summary;
    });
