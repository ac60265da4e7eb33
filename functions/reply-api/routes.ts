import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InvalidLinkError } from '../core/errors.js';
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
import { answerIn } from './errors.js';
import { confirmPage, messagePage, surveyPage, ticketPage } from './pages.js';
import { formOrJson, oneClickScore, tokenSchema, valuesOf } from './request.js';
import { html, json, type Response } from './responses.js';

export type WebDeps = Pick<Deps, 'repo' | 'callback' | 'clock' | 'links'>;
type RouteHandler = (event: APIGatewayProxyEventV2) => Promise<Response>;

const tokenOf = (event: APIGatewayProxyEventV2): string => event.pathParameters?.token ?? '';

/** The reply API's routes, each one step of a customer's or a manager's answer. */
export function replyApiRoutes(deps: WebDeps): Route<APIGatewayProxyEventV2, Response>[] {
  /** The customer's link in the path and its language, which the pages (and a refusal page) speak from now on. */
  const linkOf = async (event: APIGatewayProxyEventV2) => {
    const token = tokenOf(event);
    return { token, locale: answerIn(event, await localeOfLink(deps, token)) };
  };

  const postReply: RouteHandler = async (event) => {
    const body = formOrJson(event);
    const link = tokenSchema.safeParse(body);
    if (!link.success) return json(400, { error: describeIssues(link.error) });
    const { survey } = await openSurvey(deps, link.data.token);
    const parsed = surveyAnswerSchemaFor(survey).safeParse(body);
    if (!parsed.success) return json(400, { error: describeIssues(parsed.error) });
    const reply = await answerSurvey(deps, link.data.token, parsed.data);
    return json(200, { status: 'recorded', late: reply.late, resumed: reply.resumed });
  };

  const getSurvey: RouteHandler = async (event) => {
    const { token, locale } = await linkOf(event);
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
  };

  const postSurvey: RouteHandler = async (event) => {
    const { token, locale } = await linkOf(event);
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
  };

  const getConfirmation: RouteHandler = async (event) => {
    const { token, locale } = await linkOf(event);
    await confirmationClaims(deps, token);
    return html(200, confirmPage(locale, `/c/${token}`));
  };

  const postConfirmation: RouteHandler = async (event) => {
    const { token, locale } = await linkOf(event);
    const answer = formOrJson(event).answer;
    if (answer !== 'solved' && answer !== 'not-solved') return html(400, confirmPage(locale, `/c/${token}`));
    await answerConfirmation(deps, token, answer);
    return html(200, messagePage(locale, 'confirmThanks'));
  };

  const getTicket: RouteHandler = async (event) => {
    const token = tokenOf(event);
    const { ticket, locale } = await ticketOfLink(deps, token);
    return html(200, ticketPage(answerIn(event, locale), `/t/${token}`, ticketViewOf(ticket)));
  };

  const postTicket: RouteHandler = async (event) => {
    const token = tokenOf(event);
    const { ticket, locale } = await ticketOfLink(deps, token);
    answerIn(event, locale);
    const action = formOrJson(event).action;
    if (action !== 'acknowledge' && action !== 'resolve')
      return html(400, ticketPage(locale, `/t/${token}`, ticketViewOf(ticket)));
    const updated = await actOnTicket(deps, ticket, action);
    logger.info('ticket action', { action, changed: updated !== null });
    return html(200, messagePage(locale, updated === null ? 'ticketDone' : action === 'resolve' ? 'resolved' : 'acknowledged'));
  };

  const unsubscribeLink: RouteHandler = async (event) => {
    const { token, locale } = await linkOf(event);
    await unsubscribe(deps, token);
    return html(200, messagePage(locale, 'unsubscribed'));
  };

  return [
    { method: 'POST', path: '/replies', handler: postReply },
    { method: 'GET', path: '/s/{token}', handler: getSurvey },
    { method: 'POST', path: '/s/{token}', handler: postSurvey },
    { method: 'GET', path: '/c/{token}', handler: getConfirmation },
    { method: 'POST', path: '/c/{token}', handler: postConfirmation },
    { method: 'GET', path: '/t/{token}', handler: getTicket },
    { method: 'POST', path: '/t/{token}', handler: postTicket },
    { method: 'GET', path: '/u/{token}', handler: unsubscribeLink },
    { method: 'POST', path: '/u/{token}', handler: unsubscribeLink },
  ];
}
