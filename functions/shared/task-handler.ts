import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { logger } from './logger.js';

/** Turns zod issues into a message naming fields, never values (values may be personal data). */
export function describeIssues(error: z.ZodError): string {
  return describe(error.issues, []);
}

function describe(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): string {
  return issues
    .map((issue) => {
      const path = [...prefix, ...issue.path];
      // A union names no field itself: say what each alternative found wrong.
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        return `one of: ${issue.errors.map((alternative) => `(${describe(alternative, path)})`).join(' or ')}`;
      }
      const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
      return `${path.map(String).join('.') || '(input)'}: ${issue.message}${keys}`;
    })
    .join('; ');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidInputError(`invalid input: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * A Step Functions task handler: validates the task input with zod, runs the use case, returns its
 * result. Errors keep their class name, which is the `Error` the state machine's Retry/Catch matches.
 */
export function taskHandler<S extends z.ZodType, R>(name: string, schema: S, useCase: (input: z.infer<S>) => Promise<R>) {
  return middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => {
      logger.addContext(request.context);
    })
    .after((request) => {
      logger.debug('step done', { step: name, ...idsOf(request.event) });
    })
    .onError((request) => {
      logger.warn('step failed', { step: name, error: request.error?.name, ...idsOf(request.event) });
    })
    .handler(async (event) => useCase(parseWith(schema, event)));
}

/** What a log entry may say of a task: which campaign, customer and touch (ids, never contact data). */
function idsOf(event: unknown): Record<string, unknown> {
  if (typeof event !== 'object' || event === null) return {};
  const { campaignId, customerId, touch } = event as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({ campaignId, customerId, touch }).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  );
}
