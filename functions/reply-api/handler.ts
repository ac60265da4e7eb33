import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { RouteNotFoundError, refusalResponses } from './errors.js';
import { refuseLargeBodies } from './request.js';
import type { Response } from './responses.js';
import { replyApiRoutes, type WebDeps } from './routes.js';

export { MAX_BODY_BYTES } from './request.js';

/**
 * The public HTTP API: survey pages, their answers, one-click e-mail answers and unsubscribes.
 * Every refusal is a clear page or JSON message (errors.ts lists them); anything else is a 500.
 */
export const buildReplyApiHandler = (deps: WebDeps) =>
  middy<APIGatewayProxyEventV2, Response, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .use(refuseLargeBodies())
    .use(httpErrorHandler({ logger: (error) => logger.error('request failed', error as Error) }))
    .use(refusalResponses())
    .handler(
      httpRouterHandler<APIGatewayProxyEventV2, Response>({
        routes: replyApiRoutes(deps),
        notFoundResponse: ({ method, path }) => {
          throw new RouteNotFoundError(`no route for ${method} ${path}`);
        },
      }),
    );
