import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Locale } from '../core/schemas.js';
import { ALREADY_ANSWERED } from '../core/use-cases/web-answers.js';
import { logger } from '../shared/logger.js';
import { messagePage } from './pages.js';
import { html, json, type Response } from './responses.js';

/** A request body that is JSON but not an object of fields: a 400 naming what was expected. */
export class BodyNotObjectError extends Error {
  override name = 'BodyNotObjectError';
}

/** A request body over the limit, refused before it is read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** A method and path the API does not serve. */
export class RouteNotFoundError extends Error {
  override name = 'RouteNotFoundError';
}

/** Every refusal of the reply API by error name, with its status, in one place. */
const STATUS_OF_REFUSAL = new Map<string, number>([
  ['InvalidLinkError', 410],
  ['SyntaxError', 400], // JSON.parse of a body that is not JSON
  ['BodyNotObjectError', 400],
  ['BodyTooLargeError', 413],
  ['RouteNotFoundError', 404],
]);

/** The language of the link being answered, once known: a refusal page after that speaks it. */
const pageLocales = new WeakMap<APIGatewayProxyEventV2, Locale>();
export function answerIn(event: APIGatewayProxyEventV2, locale: Locale): Locale {
  pageLocales.set(event, locale);
  return locale;
}

/** What the caller is shown: a page where a person followed a link, JSON where a client posted. */
function refusal(status: number, error: Error, event: APIGatewayProxyEventV2): Response {
  switch (error.name) {
    case 'InvalidLinkError':
      logger.info('link refused', { reason: error.message });
      return routeOf(event).startsWith('POST /replies')
        ? json(status, { error: error.message })
        : html(
            status,
            messagePage(pageLocales.get(event) ?? 'zh-CN', error.message === ALREADY_ANSWERED ? 'answered' : 'invalid'),
          );
    case 'SyntaxError':
      return json(status, { error: 'body is not valid JSON' });
    case 'RouteNotFoundError':
      return json(status, { error: 'no such route' });
    default:
      return json(status, { error: error.message });
  }
}

const routeOf = (event: APIGatewayProxyEventV2): string =>
  event.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}`;

/**
 * Turns each refusal above into its page or JSON message. Attached after http-error-handler so that it runs
 * before it (middy runs onError last-attached first): what is not listed here is left to it, a 500.
 */
export const refusalResponses = (): middy.MiddlewareObj<APIGatewayProxyEventV2, Response> => ({
  onError: (request) => {
    const error = request.error;
    const status = error ? STATUS_OF_REFUSAL.get(error.name) : undefined;
    if (!error || status === undefined) return;
    return refusal(status, error, request.event);
  },
});
