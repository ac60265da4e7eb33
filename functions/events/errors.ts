import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A `POST /events` body that is not JSON. */
export class EventsNotJsonError extends Error {
  override name = 'EventsNotJsonError';
}

/** A `POST /events` body that is JSON but neither a list of events nor `{"events": [...]}`. */
export class EventsNotListError extends Error {
  override name = 'EventsNotListError';
}

/** More events in one request than a batch takes, or a body over the byte limit. */
export class TooManyEventsError extends Error {
  override name = 'TooManyEventsError';
}

/** Every refusal of `POST /events` by error name, with its status, in one place. */
const STATUS_OF_REFUSAL = new Map<string, number>([
  ['EventsNotJsonError', 400],
  ['EventsNotListError', 400],
  ['TooManyEventsError', 413],
]);

/**
 * Turns each refusal above into a JSON `{"error": "..."}` with its status. Attached after
 * http-error-handler so that it runs before it (middy runs onError last-attached first): anything else is
 * left to it, a 500 (the caller retries: nothing of the batch was refused).
 */
export const refusalResponses = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: (request) => {
    const error = request.error;
    const status = error ? STATUS_OF_REFUSAL.get(error.name) : undefined;
    if (!error || status === undefined) return;
    return {
      statusCode: status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: error.message }),
    };
  },
});
