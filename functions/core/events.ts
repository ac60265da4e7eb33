import { z } from 'zod';

/**
 * Customer events (issue 16): what happens to a customer between follow-ups. Each is stored once
 * (idempotent on its `id`), updates the customer's profile and may start follow-ups (a program's
 * triggers). The same schema for `revisit events ingest FILE` (JSON lines), the simulator, the
 * EventBridge rule and `POST /events` on AWS. Unknown fields are refused, so a misspelt `amonut` never
 * turns a purchase into one of 0.
 */
export const EVENT_TYPES = ['purchase', 'delivery', 'complaint', 'contract-end'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const common = {
  /** The sender's id of the event: a re-delivered event with the same id changes nothing. */
  id: z.string().trim().min(1, 'an event needs an id').max(200, 'id: at most 200 characters'),
  customerId: z.string().trim().min(1, 'an event needs a customerId').max(100, 'customerId: at most 100 characters'),
  /** When it happened, ISO 8601 with an offset (2026-12-20T10:30:00+08:00). */
  at: z.iso.datetime({ offset: true, error: 'at: an ISO 8601 time with an offset, like 2026-12-20T10:30:00+08:00' }),
};

const orderId = z.string().trim().min(1, 'orderId: required').max(200, 'orderId: at most 200 characters');

export const purchaseEventSchema = z.strictObject({
  ...common,
  type: z.literal('purchase'),
  orderId,
  /** The order's value in the shop's currency (the customer file's spend columns use the same). */
  amount: z.number({ error: 'amount: a number' }).finite().nonnegative('amount: 0 or more').max(1e12, 'amount: too large'),
});

export const deliveryEventSchema = z.strictObject({ ...common, type: z.literal('delivery'), orderId });

export const complaintEventSchema = z.strictObject({
  ...common,
  type: z.literal('complaint'),
  /** What the customer said (personal data: never logged). */
  text: z.string().trim().min(1, 'text: the complaint itself').max(4000, 'text: at most 4,000 characters'),
});

export const contractEndEventSchema = z.strictObject({ ...common, type: z.literal('contract-end') });

export const customerEventSchema = z.discriminatedUnion(
  'type',
  [purchaseEventSchema, deliveryEventSchema, complaintEventSchema, contractEndEventSchema],
  { error: `type: one of ${EVENT_TYPES.join(', ')}` },
);

export type PurchaseEvent = z.infer<typeof purchaseEventSchema>;
export type DeliveryEvent = z.infer<typeof deliveryEventSchema>;
export type ComplaintEvent = z.infer<typeof complaintEventSchema>;
export type ContractEndEvent = z.infer<typeof contractEndEventSchema>;
export type CustomerEvent = z.infer<typeof customerEventSchema>;

/** One event read: the event, or why it was refused (field and reason), for the per-event error report. */
export type ParsedEvent = { ok: true; event: CustomerEvent } | { ok: false; reason: string };

/** Validates one event; every problem of it in one reason, never a value (events carry personal data). */
export function parseEvent(raw: unknown): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'an event is a JSON object' };
  const parsed = customerEventSchema.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const reasons = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    const field = issue.path.join('.');
    if (issue.path.length === 1 && !(field in raw)) return `${field}: required`;
    return issue.message.startsWith(`${field}:`) || field === '' ? issue.message : `${field}: ${issue.message}`;
  });
  return { ok: false, reason: [...new Set(reasons)].join('; ') };
}
