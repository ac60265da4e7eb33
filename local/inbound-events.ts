import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';

/** One SNS delivery of `message`, as SNS invokes a subscribed Lambda. */
export function snsDelivery(topic: string, message: unknown, at: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `arn:aws:sns:local:000000000000:${topic}:serve`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: `arn:aws:sns:local:000000000000:${topic}`,
          Subject: '',
          Message: JSON.stringify(message),
          Timestamp: at,
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** An SMS reply as a two-way origination number publishes it. */
export function smsReplyEvent(
  previousMessageId: string,
  from: string,
  text: string,
  at: string,
  inboundMessageId: string = randomUUID(),
): SNSEvent {
  return snsDelivery(
    'revisit-inbound-sms',
    {
      originationNumber: from,
      destinationNumber: '+10000000000',
      messageBody: text,
      inboundMessageId,
      previousPublishedMessageId: previousMessageId,
    },
    at,
  );
}

/** An e-mail as SES receiving publishes it with the SNS action (UTF-8, the whole message as content). */
export function emailReplyEvent(raw: string, at: string, verdicts: Record<string, 'PASS' | 'FAIL'> = {}): SNSEvent {
  const verdict = (name: string) => ({ status: verdicts[name] ?? 'PASS' });
  return snsDelivery(
    'revisit-inbound-email',
    {
      notificationType: 'Received',
      mail: { timestamp: at, messageId: randomUUID().replaceAll('-', ''), source: 'customer', destination: ['reply'] },
      receipt: {
        timestamp: at,
        spamVerdict: verdict('spam'),
        virusVerdict: verdict('virus'),
        spfVerdict: verdict('spf'),
        dkimVerdict: verdict('dkim'),
        dmarcVerdict: verdict('dmarc'),
        action: { type: 'SNS', topicArn: 'arn:aws:sns:local:000000000000:revisit-inbound-email', encoding: 'UTF8' },
      },
      content: raw,
    },
    at,
  );
}

export interface EmailReplyDraft {
  from: string;
  to: string;
  /** The Message-ID header of the mail answered, `<id@host>`. */
  inReplyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}

/** A reply as a mail client writes it (nodemailer's MIME composer): In-Reply-To and References set. */
export async function composeEmailReply(draft: EmailReplyDraft): Promise<string> {
  const mime = await new MailComposer({
    from: draft.from,
    to: draft.to,
    subject: draft.subject,
    text: draft.text,
    html: draft.html,
    inReplyTo: draft.inReplyTo,
    references: draft.inReplyTo,
    headers: draft.headers ?? {},
  })
    .compile()
    .build();
  return mime.toString('utf8');
}
