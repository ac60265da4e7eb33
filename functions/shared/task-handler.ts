import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { logger } from './logger.js';

/** Turns zod issues into a message naming fields, never values (values may be personal data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ');
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
    .onError((request) => {
      logger.warn('step failed', { step: name, error: request.error?.name });
    })
    .handler(async (event) => useCase(parseWith(schema, event)));
}
