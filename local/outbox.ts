import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import MailComposer from 'nodemailer/lib/mail-composer';
import { SegmentedMessage } from 'sms-segments-calculator';
import type {
  Clock,
  EmailSender,
  MessageReference,
  OutboundEmail,
  OutboundSms,
  SentMessage,
  SentMessageLedger,
  SmsSender,
} from '../functions/core/ports/index.js';

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
  /** A standing program's touch (issue 16): its program, and `cadence` or the event and step (`purchase+3d`). */
  program?: string;
  trigger?: string;
}

const programFields = (reference: MessageReference) =>
  reference.program ? { program: reference.program.id, trigger: reference.program.trigger } : {};

const ledgerKey = (kind: string, campaignId: string, customerId: string, touch: number) =>
  `${kind}\u0000${campaignId}\u0000${customerId}\u0000${touch}`;

/** The lines of an outbox.jsonl; a line cut short by a killed run is skipped. */
export function readOutbox(file: string): OutboxEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as OutboxEntry] : [];
      } catch {
        return [];
      }
    });
}

/**
 * The local stand-in for SNS and SES: every message becomes a line of outbox.jsonl and, for e-mail, a
 * readable .eml file (built by nodemailer's MIME composer, as a mail client would receive it).
 *
 * Each line is written with one synchronous write before the send returns, so what the outbox holds is
 * what the "provider" accepted, even when the run is killed the next instant: the outbox is the provider's
 * ledger that a resumed run reconciles its claims with (`SentMessageLedger`).
 */
export class OutboxMessenger implements SmsSender, EmailSender, SentMessageLedger {
  private readonly fd: number;
  private readonly listeners: ((entry: OutboxEntry) => void)[] = [];
  /** Every message this outbox holds (earlier runs' too), by kind, campaign, customer and touch. */
  private readonly ledger = new Map<string, SentMessage[]>();

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly fromAddress = 'revisit@example.com',
    /** Where customers' e-mail replies go (the SES receiving address in AWS). */
    readonly replyToAddress = 'reply@revisit.local',
  ) {
    mkdirSync(join(dir, 'emails'), { recursive: true });
    const file = join(dir, 'outbox.jsonl');
    for (const entry of readOutbox(file)) this.remember(entry);
    this.fd = openSync(file, 'a');
  }

  private remember(entry: OutboxEntry): void {
    const key = ledgerKey(entry.kind, entry.campaignId, entry.customerId, entry.touch);
    this.ledger.set(key, [...(this.ledger.get(key) ?? []), { messageId: entry.messageId, sentAt: entry.sentAt }]);
  }

  /** The messages this outbox accepted for a reference, oldest first. */
  async findSent(reference: Pick<MessageReference, 'kind' | 'campaignId' | 'customerId' | 'touch'>): Promise<SentMessage[]> {
    return this.ledger.get(ledgerKey(reference.kind, reference.campaignId, reference.customerId, reference.touch)) ?? [];
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
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.remember(entry);
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
      ...programFields(message.reference),
    });
    return { messageId };
  }

  async sendEmail(message: OutboundEmail): Promise<{ messageId: string }> {
    const messageId = `local-email-${randomUUID()}`;
    const ref = message.reference;
    const prefix = ref.kind === 'touch' ? '' : `${ref.kind}-`;
    // A customer hears from a program in many waves: their files are told apart by the wave.
    const wave = ref.program ? `${ref.campaignId}-` : '';
    const file = `${prefix}${wave}${ref.customerId.replace(/[^\w-]/g, '_')}-${ref.touch}.eml`;
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
      ...programFields(ref),
    });
    return { messageId };
  }

  async close(): Promise<void> {
    closeSync(this.fd);
  }
}
