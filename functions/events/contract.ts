/**
 * How other systems send customer events (docs/programs.md, "On AWS"): shared by the events function, the
 * CDK rule and the docs' examples. No imports, so that the CDK app can read it without the handler's.
 */

/** The `detail-type` of a customer event on EventBridge; its `detail` is one event (functions/core/events.ts). */
export const CUSTOMER_EVENT_DETAIL_TYPE = 'Customer Event';
/** The `source` the stack's rule matches unless configured otherwise (context key `eventSource`). */
export const DEFAULT_EVENT_SOURCE = 'revisit.customers';
