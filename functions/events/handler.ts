import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, EventBridgeEvent } from 'aws-lambda';
import type { SegmentationRules } from '../core/schemas.js';
import type { ProgramDeps } from '../core/use-cases/programs.js';
import { MAX_EVENTS_PER_BATCH, type TakenEvent, takeEvents } from '../core/use-cases/take-events.js';
import { logger } from '../shared/logger.js';
import { EventsNotJsonError, EventsNotListError, refusalResponses, TooManyEventsError } from './errors.js';

export { CUSTOMER_EVENT_DETAIL_TYPE, DEFAULT_EVENT_SOURCE } from './contract.js';

/** Far over 100 events of the longest kind (a complaint of 4,000 characters): refused before it is parsed. */
export const MAX_EVENTS_BODY_BYTES = 1024 * 1024;

/** What a batch came to: counts, and each event's outcome by its place (never its contents: personal data). */
export interface EventsSummary {
  taken: number;
  duplicate: number;
  rejected: number;
  results: TakenEvent[];
}

export interface EventsConfig {
  /** How events recompute tiers and segments: the rulebook's defaults on AWS (functions/events/index.ts). */
  rules: SegmentationRules;
}

function summaryOf(results: TakenEvent[]): EventsSummary {
  const count = (outcome: TakenEvent['outcome']) => results.filter((r) => r.outcome === outcome).length;
  return { taken: count('taken'), duplicate: count('duplicate'), rejected: count('rejected'), results };
}

/** The events of a `POST /events` body: a JSON list, or `{"events": [...]}`; at most MAX_EVENTS_PER_BATCH. */
export function eventsOfBody(event: APIGatewayProxyEventV2): unknown[] {
  const raw = typeof event.body === 'string' ? event.body : '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(body) > MAX_EVENTS_BODY_BYTES) {
    throw new TooManyEventsError(`request body too large: at most ${MAX_EVENTS_BODY_BYTES / 1024} KB`);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new EventsNotJsonError('the body is not valid JSON: send a JSON list of events, or {"events": [...]}');
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as { events?: unknown }).events)
      ? (value as { events: unknown[] }).events
      : null;
  if (list === null) throw new EventsNotListError('the body must be a JSON list of events, or {"events": [...]}');
  if (list.length > MAX_EVENTS_PER_BATCH) {
    throw new TooManyEventsError(
      `${list.length} events in one request: at most ${MAX_EVENTS_PER_BATCH}, send the rest in further requests`,
    );
  }
  return list;
}

/** Why events were refused, by id and place: the reasons name fields, never values. */
function logRejected(results: readonly TakenEvent[], via: string): void {
  for (const { index, id, reason } of results.filter((r) => r.outcome === 'rejected')) {
    logger.warn('customer event rejected', { via, index, eventId: id, reason });
  }
}

/**
 * `POST /events` (IAM-authorized): a batch of up to 100 events, each taken, a duplicate or rejected with its
 * reason, answered 200 with the summary: a rejected event never stops the valid ones. A body that is no
 * batch is a 400 or a 413; a failure of the table is a 500 and the caller sends the batch again (events
 * are idempotent on their ids).
 */
export const buildHttpEventsHandler = (deps: ProgramDeps, config: EventsConfig) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .use(
      httpErrorHandler({
        logger: (error) => logger.error('events request failed', error as Error),
        fallbackMessage: JSON.stringify({ error: 'the events could not be stored: send the batch again' }),
      }),
    )
    .use(refusalResponses())
    .handler(async (event) => {
      const results = await takeEvents(deps, eventsOfBody(event), config.rules, deps.clock.now().toISOString());
      logRejected(results, 'http');
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(summaryOf(results)) };
    });

/**
 * The EventBridge rule's target: `detail` is one event. A rejected event is logged with its reason and the
 * invocation succeeds (retrying cannot mend it); a failure of the table throws, so that EventBridge retries
 * and, after its retries, keeps the event in the target's dead-letter queue.
 */
export const buildBusEventsHandler = (deps: ProgramDeps, config: EventsConfig) =>
  middy<EventBridgeEvent<string, unknown>, EventsSummary, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .handler(async (event) => {
      const results = await takeEvents(deps, [event.detail], config.rules, deps.clock.now().toISOString());
      logRejected(results, 'eventbridge');
      return summaryOf(results);
    });

/** An HTTP API request (payload 2.0) rather than an EventBridge event. */
const isHttpRequest = (event: unknown): event is APIGatewayProxyEventV2 =>
  typeof event === 'object' && event !== null && 'requestContext' in event && 'routeKey' in event;

/** One function for both ways in: the route's requests and the rule's events. */
export function buildEventsHandler(deps: ProgramDeps, config: EventsConfig) {
  const http = buildHttpEventsHandler(deps, config);
  const bus = buildBusEventsHandler(deps, config);
  return (event: APIGatewayProxyEventV2 | EventBridgeEvent<string, unknown>, context: Context) =>
    isHttpRequest(event) ? http(event, context) : bus(event, context);
}
