import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { BodyNotObjectError, BodyTooLargeError } from './errors.js';
import type { SurveyValues } from './pages.js';

/** Far above the longest answer the form allows (2000 characters, about 18 KB URL-encoded in Chinese). */
export const MAX_BODY_BYTES = 64 * 1024;

export const tokenSchema = z.object({ token: z.string().min(1).max(2000) });

function bodyOf(event: APIGatewayProxyEventV2): string {
  const raw = typeof event.body === 'string' ? event.body : '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** Refuses a body over MAX_BODY_BYTES on any route, before anything reads it. */
export const refuseLargeBodies = (): middy.MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => {
    if (Buffer.byteLength(bodyOf(request.event)) > MAX_BODY_BYTES)
      throw new BodyTooLargeError(`request body too large: at most ${MAX_BODY_BYTES / 1024} KB`);
  },
});

/** The fields of a form post or of a JSON object body (media types are case-insensitive: Application/JSON is JSON). */
export function formOrJson(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const body = bodyOf(event);
  const type = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (!type.toLowerCase().includes('application/json')) return Object.fromEntries(new URLSearchParams(body));
  const value: unknown = JSON.parse(body || '{}');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyNotObjectError('the JSON body must be an object of fields, like {"token": "...", "score": 5}');
  }
  return value as Record<string, unknown>;
}

/** The `?score=N` of a one-click rating link in the e-mail, if it is a CSAT score. */
export function oneClickScore(raw: string | undefined): number | null {
  const score = Number(raw);
  return raw !== undefined && Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}

/** What a refused form carried, to show it again rather than make the customer start over. */
export function valuesOf(form: Record<string, unknown>): SurveyValues {
  const rating = (name: string, min: number, max: number): number | undefined => {
    const raw = form[name];
    const value = Number(raw);
    return (typeof raw === 'string' || typeof raw === 'number') &&
      raw !== '' &&
      Number.isInteger(value) &&
      value >= min &&
      value <= max
      ? value
      : undefined;
  };
  const comment = typeof form.comment === 'string' ? form.comment.slice(0, 2000) : undefined;
  const extra = Object.fromEntries(
    Object.entries(form)
      .filter(([name, value]) => name.startsWith('q-') && typeof value === 'string')
      .map(([name, value]) => [name, String(value).slice(0, 2000)]),
  );
  return {
    extra,
    score: rating('score', 1, 5),
    nps: rating('nps', 0, 10),
    attitude: rating('attitude', 1, 5),
    efficiency: rating('efficiency', 1, 5),
    result: rating('result', 1, 5),
    comment,
  };
}
