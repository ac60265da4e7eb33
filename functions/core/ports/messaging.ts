import type { Channel } from '../schemas.js';
import type { TouchKey } from './touches.js';

export interface MessageReference extends TouchKey {
  template: string;
  timeZone: string;
  /** 'touch' for a customer message; 'escalation' or 'account-manager-task' for a manager's. */
  kind: 'touch' | 'escalation' | 'account-manager-task' | 'report';
  /** A program's touch (issue 16): the program and what asked for it (`cadence`, `purchase+3d`). */
  program?: { id: string; trigger: string };
}

export interface OutboundSms {
  to: string;
  body: string;
  /** For the outbox and the logs: which campaign, customer and touch this is, and the recipient's zone. */
  reference: MessageReference;
}

export interface OutboundEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
  reference: MessageReference;
  /** Files sent along (the campaign report to its owner). */
  attachments?: { fileName: string; contentType: string; content: string }[];
}

/** Sends SMS (SNS in AWS, the outbox locally). */
export interface SmsSender {
  sendSms(message: OutboundSms): Promise<{ messageId: string }>;
}

/** Sends e-mail (SES v2 in AWS, the outbox locally). */
export interface EmailSender {
  sendEmail(message: OutboundEmail): Promise<{ messageId: string }>;
}

/** A message a provider accepted. */
export interface SentMessage {
  messageId: string;
  sentAt: string;
}

/**
 * The provider's own record of what it accepted, by reference: lets a run that was killed between
 * claiming a message and recording its id find out whether it went out. The local outbox keeps one;
 * SNS and SES keep none that can be asked (on AWS a claim cut short stays claimed: at most once).
 */
export interface SentMessageLedger {
  findSent(reference: Pick<MessageReference, 'kind' | 'campaignId' | 'customerId' | 'touch'>): Promise<SentMessage[]>;
}

/** Per-channel send rates shared by every sender (all Lambdas, all campaigns). */
export interface SendRateLimiter {
  /**
   * Reserves the first free send slot at or after `notBefore` on a channel limited to `perSecond`, up
   * to `horizonSeconds` ahead; null when every slot up to then is taken.
   */
  reserve(channel: Channel, perSecond: number, notBefore: Date, horizonSeconds: number): Promise<Date | null>;
}

/** The secret key that signs customer links. */
export interface LinkKeyProvider {
  linkKey(): Promise<string>;
}
