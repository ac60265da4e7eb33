import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { InvalidLinkError } from '../core/errors.js';
import type { Locale } from '../core/schemas.js';
import type { Deps } from '../core/use-cases/deps.js';
import { actOnTicket } from '../core/use-cases/tickets.js';
import {
  ALREADY_ANSWERED,
  answerConfirmation,
  answerSurvey,
  confirmationClaims,
  localeOfLink,
  openSurvey,
  surveyAnswerSchemaFor,
  ticketOfLink,
  ticketViewOf,
  unsubscribe,
} from '../core/use-cases/web-answers.js';
import { logger } from '../shared/logger.js';
import { describeIssues } from '../shared/task-handler.js';
import { confirmPage, messagePage, type SurveyValues, surveyPage, ticketPage } from './pages.js';

type Response = APIGatewayProxyStructuredResultV2;
type WebDeps = Pick<Deps, 'repo' | 'callback' | 'clock' | 'links'>;

/** Far above the longest answer the form allows (2000 characters, about 18 KB URL-encoded in Chinese). */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request body that is JSON but not an object of fields: a 400 naming what was expected. */
class BodyNotObjectError extends Error {
  override name = 'BodyNotObjectError';
}

const html = (statusCode: number, body: string): Response => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  },
  body,
});
const json = (statusCode: number, body: unknown): Response => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function bodyOf(event: APIGatewayProxyEventV2): string {
  const raw = typeof event.body === 'string' ? event.body : '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** The fields of a form post or of a JSON object body (media types are case-insensitive: Application/JSON is JSON). */
function formOrJson(event: APIGatewayProxyEventV2): Record<string, unknown> {
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
function oneClickScore(raw: string | undefined): number | null {
  const score = Number(raw);
  return raw !== undefined && Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}

/** What a refused form carried, to show it again rather than make the customer start over. */
function valuesOf(form: Record<string, unknown>): SurveyValues {
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

const tokenSchema = z.object({ token: z.string().min(1).max(2000) });

/**
 * The public HTTP API: survey pages, their answers, one-click e-mail answers and unsubscribes.
 * Every refusal is a clear page or JSON message; nothing here throws at the caller.
 */
export const buildReplyApiHandler = (deps: WebDeps) =>
  middy<APIGatewayProxyEventV2, Response, Error, Context>({ timeoutEarlyInMillis: 0 })
    .before((request) => logger.addContext(request.context))
    .handler(async (event): Promise<Response> => {
      const route = event.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}`;
      const token = event.pathParameters?.token ?? '';
      let locale: Locale = 'zh-CN';
      if (Buffer.byteLength(bodyOf(event)) > MAX_BODY_BYTES)
        return json(413, { error: `request body too large: at most ${MAX_BODY_BYTES / 1024} KB` });
      try {
        switch (route) {
          case 'POST /replies': {
            const body = formOrJson(event);
            const link = tokenSchema.safeParse(body);
            if (!link.success) return json(400, { error: describeIssues(link.error) });
            const { survey } = await openSurvey(deps, link.data.token);
            const parsed = surveyAnswerSchemaFor(survey).safeParse(body);
            if (!parsed.success) return json(400, { error: describeIssues(parsed.error) });
            const reply = await answerSurvey(deps, link.data.token, parsed.data);
            return json(200, { status: 'recorded', late: reply.late, resumed: reply.resumed });
          }
          case 'GET /s/{token}': {
            locale = await localeOfLink(deps, token);
            const { survey, progress } = await openSurvey(deps, token);
            const questions = survey.questions;
            if (progress.stage === 'answered') throw new InvalidLinkError(ALREADY_ANSWERED);
            const score = oneClickScore(event.queryStringParameters?.score);
            if (progress.stage === 'open' && score === null) return html(200, surveyPage(locale, `/s/${token}`, { questions }));
            // One click from the e-mail: the score is recorded at once (a second click keeps the first one),
            // and the page offers the rest of the survey.
            if (progress.stage === 'open' && score !== null) await answerSurvey(deps, token, { score });
            const recorded = progress.stage === 'scored' ? progress.score : (score ?? undefined);
            return html(200, surveyPage(locale, `/s/${token}`, { values: { score: recorded }, notice: 'scored', questions }));
          }
          case 'POST /s/{token}': {
            locale = await localeOfLink(deps, token);
            const form = formOrJson(event);
            const { survey } = await openSurvey(deps, token);
            const parsed = surveyAnswerSchemaFor(survey).safeParse(form);
            if (!parsed.success)
              return html(
                400,
                surveyPage(locale, `/s/${token}`, { values: valuesOf(form), notice: 'refused', questions: survey.questions }),
              );
            await answerSurvey(deps, token, parsed.data);
            return html(200, messagePage(locale, 'thanks'));
          }
          case 'GET /c/{token}': {
            locale = await localeOfLink(deps, token);
            await confirmationClaims(deps, token);
            return html(200, confirmPage(locale, `/c/${token}`));
          }
          case 'POST /c/{token}': {
            locale = await localeOfLink(deps, token);
            const answer = formOrJson(event).answer;
            if (answer !== 'solved' && answer !== 'not-solved') return html(400, confirmPage(locale, `/c/${token}`));
            await answerConfirmation(deps, token, answer);
            return html(200, messagePage(locale, 'confirmThanks'));
          }
          case 'GET /t/{token}': {
            const { ticket, locale: managerLocale } = await ticketOfLink(deps, token);
            locale = managerLocale;
            return html(200, ticketPage(locale, `/t/${token}`, ticketViewOf(ticket)));
          }
          case 'POST /t/{token}': {
            const { ticket, locale: managerLocale } = await ticketOfLink(deps, token);
            locale = managerLocale;
            const action = formOrJson(event).action;
            if (action !== 'acknowledge' && action !== 'resolve')
              return html(400, ticketPage(locale, `/t/${token}`, ticketViewOf(ticket)));
            const updated = await actOnTicket(deps, ticket, action);
            logger.info('ticket action', { action, changed: updated !== null });
            return html(
              200,
              messagePage(locale, updated === null ? 'ticketDone' : action === 'resolve' ? 'resolved' : 'acknowledged'),
            );
          }
          case 'GET /u/{token}':
          case 'POST /u/{token}': {
            locale = await localeOfLink(deps, token);
            await unsubscribe(deps, token);
            return html(200, messagePage(locale, 'unsubscribed'));
          }
          default:
            return json(404, { error: 'no such route' });
        }
      } catch (error) {
        if (error instanceof InvalidLinkError) {
          logger.info('link refused', { reason: error.message });
          return route.startsWith('POST /replies')
            ? json(410, { error: error.message })
            : html(410, messagePage(locale, error.message === ALREADY_ANSWERED ? 'answered' : 'invalid'));
        }
        if (error instanceof SyntaxError) return json(400, { error: 'body is not valid JSON' });
        if (error instanceof BodyNotObjectError) return json(400, { error: error.message });
        throw error;
      }
    });
