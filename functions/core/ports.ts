import type {
  CampaignRecord,
  EscalationRecord,
  LifecycleRecord,
  ReplyRecord,
  TicketRecord,
  TouchRecord,
  TouchReply,
} from './records.js';
import type { Channel, Customer } from './schemas.js';

/** The time, as the running engine sees it (wall clock on AWS, a scaled virtual clock locally). */
export interface Clock {
  now(): Date;
  /** Waits until `instant` (a short wait inside a step, e.g. for a send slot). */
  sleepUntil(instant: Date): Promise<void>;
}

/** Per-channel send rates shared by every sender (all Lambdas, all campaigns). */
export interface SendRateLimiter {
  /**
   * Reserves the first free send slot at or after `notBefore` on a channel limited to `perSecond`, up
   * to `horizonSeconds` ahead; null when every slot up to then is taken.
   */
  reserve(channel: Channel, perSecond: number, notBefore: Date, horizonSeconds: number): Promise<Date | null>;
}

export interface TouchKey {
  campaignId: string;
  customerId: string;
  touch: number;
}

/** An address's entry on the suppression list: kept by a hash of the address, so it holds no address. */
export interface SuppressionEntry {
  channel: Channel;
  /** How the opt-out came: `reply:sms`, `reply:email`, `unsubscribe-link`. */
  source: string;
  /** When the address first opted out. */
  at: string;
}

/** Everything one campaign keeps about one customer (data subject requests). */
export interface CustomerRecordsInCampaign {
  campaignId: string;
  /** The customer's row as imported (contact and purchase data). */
  customer: Customer | null;
  lifecycle: LifecycleRecord | null;
  /** With their replies (and each touch's entry in the address index). */
  touches: TouchRecord[];
  /** Every inbound answer matched to the customer. */
  replies: ReplyRecord[];
  escalations: EscalationRecord[];
  tickets: TicketRecord[];
}

/** Who sent an inbound reply that matched no touch: kept as a hash of the address, so that erasing the sender finds it. */
export interface ReplySender {
  channel: Channel;
  address: string;
}

/** Where campaigns, customers, lifecycles, touches, replies and escalations are kept. */
export interface CampaignRepository {
  putCampaign(record: CampaignRecord): Promise<void>;
  /** Deletes every record of a campaign (not the suppression list, which belongs to all campaigns). */
  deleteCampaign(campaignId: string): Promise<number>;
  /** The campaign's record; may be a few seconds old (settings are read by every step). */
  getCampaign(campaignId: string): Promise<CampaignRecord | null>;
  /** The campaign's status and when its settings last changed, read now (strongly consistent): before a send. */
  getCampaignStatus(campaignId: string): Promise<Pick<CampaignRecord, 'status' | 'settingsUpdatedAt'> | null>;
  /** Changes a campaign's status only from one of `from`; false when it was in another one. */
  setCampaignStatus(
    campaignId: string,
    from: readonly CampaignRecord['status'][],
    to: CampaignRecord['status'],
    reason: string | null,
    at: string,
  ): Promise<boolean>;
  /**
   * Changes a campaign's settings or launch record, only while its status is one of `onlyIn` (when given):
   * false when it was in another one (or does not exist).
   */
  updateCampaign(
    campaignId: string,
    changes: Partial<Pick<CampaignRecord, 'campaign' | 'launch' | 'settingsUpdatedAt'>>,
    onlyIn?: readonly CampaignRecord['status'][],
  ): Promise<boolean>;
  putCustomers(campaignId: string, customers: readonly Customer[]): Promise<void>;
  getCustomer(campaignId: string, customerId: string): Promise<Customer | null>;
  /** A page of a campaign's customer ids; with `launchDay`, only those whose lifecycles start that day. */
  listCustomerIds(
    campaignId: string,
    cursor: string | null,
    limit: number,
    launchDay?: string,
  ): Promise<{ ids: string[]; nextCursor: string | null }>;

  getLifecycle(campaignId: string, customerId: string): Promise<LifecycleRecord | null>;
  /** Creates the lifecycle record once; a re-run of Plan keeps the first plan. Returns the stored one. */
  createLifecycle(record: LifecycleRecord): Promise<LifecycleRecord>;
  updateLifecycle(campaignId: string, customerId: string, changes: Partial<LifecycleRecord>): Promise<void>;

  /** Claims a touch with a conditional write (or re-claims a released one); `claimed: false` when it was claimed before. */
  claimTouch(record: TouchRecord): Promise<{ claimed: true } | { claimed: false; existing: TouchRecord }>;
  /** Gives a claim back after the provider refused the send (nothing went out), so a retry may send. */
  releaseTouch(key: TouchKey, reason: string): Promise<void>;
  markTouchSent(key: TouchKey, sent: { messageId: string; sentAt: string; replyDeadline: string }): Promise<void>;
  getTouch(key: TouchKey): Promise<TouchRecord | null>;
  /** The newest touches sent to an address on a channel (any campaign), newest first. */
  recentTouchesTo(channel: Channel, address: string, limit: number): Promise<TouchRecord[]>;
  markTouchUnanswered(key: TouchKey): Promise<void>;
  /**
   * Records the first reply on a touch (conditional on no earlier reply). Returns the touch as it was
   * after the write (with the task token, if the lifecycle is waiting), or null when it had a reply already.
   */
  recordTouchReply(key: TouchKey, reply: NonNullable<TouchRecord['reply']>, repliedAt: string): Promise<TouchRecord | null>;

  /**
   * Stores an inbound reply once per replyId; false when that reply was stored before. `from`, for a reply
   * that matched no touch, is kept only as a hash of the address (`unmatchedRepliesFrom` finds it by it).
   */
  putReply(record: ReplyRecord, from?: ReplySender): Promise<boolean>;
  /**
   * Adds the rest of a survey (NPS, dimensions, answers, comment) to a touch's one-click reply, once:
   * false when the touch's reply is another one or already has its follow-up.
   */
  addReplyFollowUp(
    key: TouchKey,
    replyId: string,
    followUp: Partial<Pick<TouchReply, 'nps' | 'comment' | 'dimensions' | 'answers'>> & { followUpAt: string },
  ): Promise<boolean>;
  listReplies(campaignId: string): Promise<ReplyRecord[]>;

  /** Claims an escalation once (or re-claims a released one); false when it was claimed before. */
  claimEscalation(record: EscalationRecord): Promise<boolean>;
  /** Gives a claim back after the provider refused the e-mail (nothing went out), so a retry may send. */
  releaseEscalation(campaignId: string, customerId: string, touch: number, reason: string): Promise<void>;
  markEscalationSent(campaignId: string, customerId: string, touch: number, messageId: string): Promise<void>;

  isSuppressed(channel: Channel, address: string): Promise<boolean>;
  /** Puts an address on the suppression list; an address already on it keeps its first entry. */
  suppress(channel: Channel, address: string, source: string, at: string): Promise<void>;
  getSuppression(channel: Channel, address: string): Promise<SuppressionEntry | null>;

  /** The id of every campaign in the table (data subject requests look through all of them). */
  listCampaignIds(): Promise<string[]>;
  /** Everything one campaign keeps about one customer: their row, lifecycle, touches, replies, escalations, tickets. */
  customerRecordsIn(campaignId: string, customerId: string): Promise<CustomerRecordsInCampaign>;
  /**
   * Deletes everything `customerRecordsIn` finds (a touch with its address index entry); returns how many
   * records went. The suppression list is not touched.
   */
  deleteCustomerRecordsIn(campaignId: string, customerId: string): Promise<number>;
  /** Replies that matched no touch, sent from `address` on `channel`. */
  unmatchedRepliesFrom(channel: Channel, address: string): Promise<ReplyRecord[]>;
  /** Deletes the replies `unmatchedRepliesFrom` finds; returns how many. */
  deleteUnmatchedRepliesFrom(channel: Channel, address: string): Promise<number>;

  listLifecycles(campaignId: string): Promise<LifecycleRecord[]>;
  listTouches(campaignId: string): Promise<TouchRecord[]>;
  listEscalations(campaignId: string): Promise<EscalationRecord[]>;
  /** Opens a ticket once: false when the touch's ticket exists already. */
  createTicket(record: TicketRecord): Promise<boolean>;
  getTicket(key: TouchKey): Promise<TicketRecord | null>;
  /**
   * Changes a ticket only while it is in one of `from` (and, when given, still at `level`): the guard that
   * makes every ticket step happen once. Returns the ticket after the change, or null when the guard failed.
   */
  updateTicket(
    key: TouchKey,
    guard: { from: readonly TicketRecord['status'][]; level?: number },
    changes: Partial<TicketRecord>,
  ): Promise<TicketRecord | null>;
  listTickets(campaignId: string): Promise<TicketRecord[]>;
}

export interface MessageReference extends TouchKey {
  template: string;
  timeZone: string;
  /** 'touch' for a customer message; 'escalation' or 'account-manager-task' for a manager's. */
  kind: 'touch' | 'escalation' | 'account-manager-task' | 'report';
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

/** Resumes a lifecycle waiting on a task token (SendTaskSuccess). */
export interface WorkflowCallback {
  /** 'expired' when the waiting task timed out or the execution ended: the reply is then a late one. */
  succeed(taskToken: string, output: unknown): Promise<'resumed' | 'expired'>;
}

/** How an execution stands (DescribeExecution). */
export interface ExecutionState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;
  startedAt: string | null;
  stoppedAt: string | null;
  /** Why it failed, when it did. */
  error: string | null;
  cause: string | null;
}

/** Stops and describes executions: Step Functions StopExecution/DescribeExecution, or the local engine's. */
/** Starts a customer's lifecycle execution, named after campaign and customer so that none starts twice. */
export interface LifecycleStarter {
  /** 'existing' when an execution of that name had already ended (a page started again). */
  startLifecycle(campaignId: string, customerId: string): Promise<'started' | 'existing'>;
}

export interface WorkflowControl {
  stopLifecycle(campaignId: string, customerId: string, cause: string): Promise<void>;
  /** Stops any execution by its ARN (the campaign's launch); one that has ended needs no stopping. */
  stopExecution(executionArn: string, cause: string): Promise<void>;
  /** null when no such execution exists. */
  describeExecution(executionArn: string): Promise<ExecutionState | null>;
}

/** The secret key that signs customer links. */
export interface LinkKeyProvider {
  linkKey(): Promise<string>;
}
