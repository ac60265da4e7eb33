import { z } from 'zod';
import { campaignSchema, channelSchema, customerSchema, PRIORITIES, segmentSchema, tierSchema } from './schemas.js';

/** Records kept in the table, each parsed with its schema when read. */

export const campaignRecordSchema = z.object({
  campaignId: z.string(),
  campaign: campaignSchema,
  cutoffs: z.object({ diamondMinSpend: z.number(), goldMinSpend: z.number() }),
  status: z.enum(['importing', 'running', 'paused', 'cancelled', 'finished']),
  /** Why the campaign was paused or cancelled, and when its status last changed. */
  statusReason: z.string().nullable().optional(),
  statusChangedAt: z.string().nullable().optional(),
  createdAt: z.string(),
  customerCount: z.number().int().min(0),
  /** The execution that launched the campaign (its fan-out), for `revisit status`. */
  launch: z.object({ executionArn: z.string(), startedAt: z.string() }).nullable().optional(),
  /** When the campaign's settings (templates, windows, rates...) were last replaced by `revisit update`. */
  settingsUpdatedAt: z.string().nullable().optional(),
  /** A standing program's wave (issue 16): the program whose day of touches this campaign record runs. */
  programId: z.string().optional(),
});
export type CampaignRecord = z.infer<typeof campaignRecordSchema>;

export const plannedTouchSchema = z.object({
  touch: z.number().int().min(1),
  channel: channelSchema,
  sendAt: z.string(),
  last: z.boolean(),
});
export type PlannedTouch = z.infer<typeof plannedTouchSchema>;

export const LIFECYCLE_STATUSES = [
  'planned',
  'skipped',
  'contacted',
  'replied',
  'opted-out',
  'no-response',
  'escalated',
  'suppressed',
  'failed',
  'cancelled',
] as const;

export const lifecycleRecordSchema = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  tier: tierSchema,
  segment: segmentSchema,
  priority: z.enum(PRIORITIES),
  deadline: z.string(),
  accountManagerTask: z.boolean(),
  skip: z.string().nullable(),
  status: z.enum(LIFECYCLE_STATUSES),
  channels: z.array(channelSchema),
  next: plannedTouchSchema,
  replyTimeoutSeconds: z.number().int().min(1),
  plannedAt: z.string(),
  outcome: z.string().nullable().default(null),
  csat: z.number().nullable().default(null),
  nps: z.number().nullable().default(null),
  sentiment: z.string().nullable().default(null),
  escalated: z.boolean().default(false),
  /** The complaint category and issue severity the reply raised (rulebook section 5). */
  category: z.string().nullable().default(null),
  severity: z.enum(['A', 'B', 'C']).nullable().default(null),
  /** The tier's no-response rule when it was applied: the account-manager task, the care SMS, the downgrade or the stop. */
  noResponseRule: z.string().nullable().default(null),
  /** The tier the customer moves to for the next campaign (silver after two unanswered touches: basic). */
  downgradedTo: z.string().nullable().default(null),
  finishedAt: z.string().nullable().default(null),
  failure: z.string().optional(),
  /** The task token of a lifecycle holding before its send while the campaign is paused. */
  pausedToken: z.string().nullable().optional(),
});
export type LifecycleRecord = z.infer<typeof lifecycleRecordSchema>;

export const SERVICE_DIMENSIONS = ['attitude', 'efficiency', 'result'] as const;
export type ServiceDimension = (typeof SERVICE_DIMENSIONS)[number];
export type TouchReply = NonNullable<TouchRecord['reply']>;

export const TOUCH_STATUSES = ['claimed', 'released', 'sent', 'awaiting-reply', 'replied', 'unanswered'] as const;

export const touchRecordSchema = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  touch: z.number().int().min(1),
  channel: channelSchema,
  template: z.string(),
  status: z.enum(TOUCH_STATUSES),
  claimedAt: z.string(),
  sentAt: z.string().nullable().default(null),
  messageId: z.string().nullable().default(null),
  replyDeadline: z.string().nullable().default(null),
  taskToken: z.string().optional(),
  address: z.string(),
  /** What an SMS reply's digit answers: the CSAT (1-5), the NPS (0-10) or a fix's confirmation (1 solved, 2 not). */
  asks: z.enum(['csat', 'nps', 'confirm']).default('csat'),
  attempts: z.number().int().min(1).default(1),
  lastError: z.string().optional(),
  repliedAt: z.string().optional(),
  reply: z
    .object({
      kind: z.enum(['score', 'optout', 'text', 'survey']),
      value: z.union([z.string(), z.number()]),
      replyId: z.string(),
      nps: z.number().int().min(0).max(10).optional(),
      comment: z.string().optional(),
      /** The service dimensions of rulebook section 3, each 1-5. */
      dimensions: z.partialRecord(z.enum(SERVICE_DIMENSIONS), z.number().int().min(1).max(5)).optional(),
      /** Answers to the campaign's own questions, by question id. */
      answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      /** When a comment (and the rest of the survey) followed a one-click score. */
      followUpAt: z.string().optional(),
    })
    .optional(),
});
export type TouchRecord = z.infer<typeof touchRecordSchema>;

export const replyRecordSchema = z.object({
  campaignId: z.string().nullable(),
  customerId: z.string().nullable(),
  replyId: z.string(),
  channel: channelSchema,
  receivedAt: z.string(),
  kind: z.enum(['score', 'optout', 'text', 'survey']),
  value: z.union([z.string(), z.number()]),
  touch: z.number().int().nullable(),
  late: z.boolean(),
  duplicate: z.boolean(),
  resumed: z.boolean(),
});
export type ReplyRecord = z.infer<typeof replyRecordSchema>;

export const escalationRecordSchema = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  /** The touch it follows; 0 for the account-manager task that goes out with the first touch. */
  touch: z.number().int(),
  /** An escalation about a reply, or the call/visit task for a core or churn-warning customer. */
  kind: z.enum(['escalation', 'account-manager-task']).default('escalation'),
  owner: z.string(),
  reason: z.string(),
  status: z.enum(['claimed', 'released', 'sent']),
  messageId: z.string().nullable(),
  lastError: z.string().optional(),
  createdAt: z.string(),
});
export type EscalationRecord = z.infer<typeof escalationRecordSchema>;

export const storedCustomerSchema = z.object({ campaignId: z.string(), customer: customerSchema });

export const SEVERITIES = ['A', 'B', 'C'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const COMPLAINT_CATEGORIES = ['product-quality', 'service', 'price', 'contract-dispute', 'logistics'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const TICKET_STATUSES = ['open', 'acknowledged', 'resolved', 'closed', 'reopened'] as const;

/**
 * An issue raised by a reply (rulebook section 5): followed from the escalation to its close. The owner
 * must acknowledge it within its severity's SLA, else it climbs the chain (account manager, department
 * head, executive); a resolved ticket is confirmed with the customer, whose answer closes or reopens it.
 */
export const ticketRecordSchema = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  /** The touch whose reply raised it. */
  touch: z.number().int(),
  severity: z.enum(SEVERITIES),
  category: z.enum(COMPLAINT_CATEGORIES).nullable(),
  reason: z.string(),
  /** Who must act now: chain[level]. */
  owner: z.string(),
  /** Account manager, department head, executive (as configured; empty steps left out). */
  chain: z.array(z.string()).min(1),
  level: z.number().int().min(0),
  status: z.enum(TICKET_STATUSES),
  createdAt: z.string(),
  /** When the current owner must acknowledge it by (the SLA deadline). */
  respondBy: z.string(),
  acknowledgedAt: z.string().nullable().default(null),
  resolvedAt: z.string().nullable().default(null),
  closedAt: z.string().nullable().default(null),
  /** Whether any SLA deadline of this ticket was missed. */
  breached: z.boolean().default(false),
  /** Each step up the chain: the level reached, who was e-mailed, when. */
  climbs: z.array(z.object({ level: z.number().int(), to: z.string(), at: z.string() })).default([]),
  /** The customer's answer to the confirmation after the fix. */
  confirmation: z.enum(['solved', 'not-solved', 'no-answer']).nullable().default(null),
  reopened: z.number().int().min(0).default(0),
  /** What the customer wrote (personal data: encrypted at rest with the table, never logged). */
  replyText: z.string().nullable().default(null),
  score: z.string().nullable().default(null),
  /** The task token of the ticket step that waits (acknowledgement or resolution), parked by the state machine. */
  taskToken: z.string().optional(),
});
export type TicketRecord = z.infer<typeof ticketRecordSchema>;
