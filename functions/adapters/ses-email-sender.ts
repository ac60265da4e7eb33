import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { TransientError } from '../core/errors.js';
import type { EmailSender, OutboundEmail } from '../core/ports/index.js';
import { translateProviderError } from './sns-sms-sender.js';

export interface SesOptions {
  fromAddress: string;
  configurationSetName: string;
  /** Where replies go: the address SES receives for the inbound-email function (none: replies go to the sender). */
  replyToAddress?: string | undefined;
}

/** E-mail through SES v2 SendEmail: HTML and text parts, one-click unsubscribe headers (RFC 8058). */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesOptions,
  ) {}

  async sendEmail(message: OutboundEmail): Promise<{ messageId: string }> {
    const headers = message.unsubscribeUrl
      ? [
          { Name: 'List-Unsubscribe', Value: `<${message.unsubscribeUrl}>` },
          { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
        ]
      : undefined;
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.fromAddress,
          Destination: { ToAddresses: [message.to] },
          ...(this.options.replyToAddress ? { ReplyToAddresses: [this.options.replyToAddress] } : {}),
          ConfigurationSetName: this.options.configurationSetName,
          EmailTags: [
            { Name: 'campaign', Value: message.reference.campaignId.replace(/[^A-Za-z0-9_-]/g, '_') },
            { Name: 'template', Value: message.reference.template.replace(/[^A-Za-z0-9_-]/g, '_') },
          ],
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
              Headers: headers,
              ...(message.attachments?.length
                ? {
                    Attachments: message.attachments.map((a) => ({
                      FileName: a.fileName,
                      ContentType: a.contentType,
                      ContentDisposition: 'ATTACHMENT' as const,
                      RawContent: Buffer.from(a.content, 'utf8'),
                    })),
                  }
                : {}),
            },
          },
        }),
      );
      if (!result.MessageId) throw new TransientError('SES returned no message id');
      return { messageId: result.MessageId };
    } catch (error) {
      throw translateProviderError(error);
    }
  }
}
