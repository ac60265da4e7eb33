import type { CampaignStore } from './campaigns.js';
import type { CustomerRecords } from './customer-records.js';
import type { CustomerStore } from './customers.js';
import type { EscalationStore } from './escalations.js';
import type { LifecycleStore } from './lifecycles.js';
import type { ReplyStore } from './replies.js';
import type { SuppressionList } from './suppression.js';
import type { TicketStore } from './tickets.js';
import type { TouchStore } from './touches.js';

export type { CampaignStore } from './campaigns.js';
export type { Clock } from './clock.js';
export type { CouponAssignment, CouponStore } from './coupons.js';
export type { CustomerRecords, CustomerRecordsInCampaign } from './customer-records.js';
export type { CustomerStore } from './customers.js';
export type { EscalationStore } from './escalations.js';
export type { LifecycleStore } from './lifecycles.js';
export type {
  EmailSender,
  LinkKeyProvider,
  MessageReference,
  OutboundEmail,
  OutboundSms,
  SendRateLimiter,
  SentMessage,
  SentMessageLedger,
  SmsSender,
} from './messaging.js';
export type { EventStore, ProfileStore } from './profiles.js';
export type { ProgramRecord, ProgramStore, ProgramTouchClaim, ProgramWave } from './programs.js';
export type { RecordKey } from './record-key.js';
export type { ReplySender, ReplyStore } from './replies.js';
export type { SuppressionEntry, SuppressionList } from './suppression.js';
export type { TicketStore } from './tickets.js';
export type { TouchKey, TouchStore } from './touches.js';
export type { ExecutionState, LifecycleStarter, WorkflowCallback, WorkflowControl } from './workflow.js';

/**
 * Every store on the one table: what the entry points wire (one adapter object serves them all). Use
 * cases ask for the narrow stores they touch, never for this.
 */
export type CampaignRepository = CampaignStore &
  CustomerStore &
  LifecycleStore &
  TouchStore &
  ReplyStore &
  EscalationStore &
  TicketStore &
  SuppressionList &
  CustomerRecords;
