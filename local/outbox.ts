import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import MailComposer from 'nodemailer/lib/mail-composer';
import { SegmentedMessage } from 'sms-segments-calculator';
import type { Clock, EmailSender, MessageReference, OutboundEmail, OutboundSms, SmsSender } from '../functions/core/ports.js';

/** One line of outbox.jsonl: a message as it would have left through SNS or SES. */
export interface OutboxEntry {
  messageId: string;
  kind: MessageReference['kind'];
  campaignId: string;
  customerId: string;
  touch: number;
  channel: 'sms' | 'email';
  to: string;
  template: string;
  subject?: string;
  body: string;
  html?: string;
  segments?: number;
  encoding?: string;
  sentAt: string;
  eml?: string;
}

/**
 * The local stand-in for SNS and SES: every message becomes a line of outbox.jsonl and, for e-mail, a
 * readable .eml file (built by nodemailer's MIME composer, as a mail client would receive it).
 */
export class OutboxMessenger implements SmsSender, EmailSender {
  private readonly stream: WriteStream;
  private readonly listeners: ((entry: OutboxEntry) => void)[] = [];

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly fromAddress = 'revisit@example.com',
    /** Where customers' e-mail replies go (the SES receiving address in AWS). */
    readonly replyToAddress = 'reply@revisit.local',
  ) {
    mkdirSync(join(dir, 'emails'), { recursive: true });
    this.stream = createWriteStream(join(dir, 'outbox.jsonl'), { flags: 'a' });
  }

  onMessage(listener: (entry: OutboxEntry) => void): void {
    this.listeners.push(listener);
  }

  private sentAt(timeZone: string): string {
    return (
      DateTime.fromJSDate(this.clock.now()).setZone(timeZone).toISO({ suppressMilliseconds: true }) ??
      this.clock.now().toISOString()
    );
  }

  private emit(entry: OutboxEntry): void {
    this.stream.write(`${JSON.stringify(entry)}\n`);
    for (const listener of this.listeners) listener(entry);
  }

  async sendSms(message: OutboundSms): Promise<{ messageId: string }> {
    const messageId = `local-sms-${randomUUID()}`;
    const segmented = new SegmentedMessage(message.body);
    this.emit({
      messageId,
      kind: message.reference.kind,
      campaignId: message.reference.campaignId,
      customerId: message.reference.customerId,
      touch: message.reference.touch,
      channel: 'sms',
      to: message.to,
      template: message.reference.template,
      body: message.body,
      segments: segmented.segmentsCount,
      encoding: segmented.encodingName,
      sentAt: this.sentAt(message.reference.timeZone),
    });
    return { messageId };
  }

  async sendEmail(message: OutboundEmail): Promise<{ messageId: string }> {
    const messageId = `local-email-${randomUUID()}`;
    const ref = message.reference;
    const prefix = ref.kind === 'touch' ? '' : `${ref.kind}-`;
    const file = `${prefix}${ref.customerId.replace(/[^\w-]/g, '_')}-${ref.touch}.eml`;
    const headers: Record<string, string> = {};
    if (message.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const mime = await new MailComposer({
      from: this.fromAddress,
      to: message.to,
      replyTo: this.replyToAddress,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers,
      attachments: message.attachments?.map((a) => ({ filename: a.fileName, contentType: a.contentType, content: a.content })),
      messageId: `<${messageId}@revisit.local>`,
      date: this.clock.now(),
    })
      .compile()
      .build();
    await writeFile(join(this.dir, 'emails', file), mime);
    this.emit({
      messageId,
      kind: ref.kind,
      campaignId: ref.campaignId,
      customerId: ref.customerId,
      touch: ref.touch,
      channel: 'email',
      to: message.to,
      template: ref.template,
      subject: message.subject,
      body: message.text,
      html: message.html,
      sentAt: this.sentAt(ref.timeZone),
      eml: `emails/${file}`,
    });
    return { messageId };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
