import 'aws-sdk-client-mock-vitest/extend';
import { SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_ID } from '../../support/fixtures.js';
import {
  addressOf,
  call,
  FORM_TYPE,
  JSON_TYPE,
  jsonOf,
  repo,
  sfn,
  surveyToken,
  unsubscribeToken,
  useReplyApi,
} from '../../support/reply-api.js';

useReplyApi();

describe('POST /replies', () => {
  it('records a valid answer and resumes the lifecycle with SendTaskSuccess', async () => {
    // Prepare
    const body = JSON.stringify({ token: surveyToken(), score: 4, nps: 9, comment: '送货很快' });

    // Act
    const response = await call({ routeKey: 'POST /replies', body, contentType: JSON_TYPE });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(jsonOf(response)).toEqual({ status: 'recorded', late: false, resumed: true });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, {
      taskToken: 'task-token-C0001',
      output: JSON.stringify({ kind: 'survey', value: 4, touch: 1 }),
    });
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply).toMatchObject({
      kind: 'survey',
      value: 4,
      nps: 9,
      comment: '送货很快',
    });
  });

  it('accepts the answer as a form post', async () => {
    const body = new URLSearchParams({ token: surveyToken(), score: '5' }).toString();

    const response = await call({ routeKey: 'POST /replies', body, contentType: FORM_TYPE });

    expect(response.statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('refuses a forged token with 410 and records nothing', async () => {
    // Prepare
    const body = JSON.stringify({ token: surveyToken('C0001', 'a-guessed-key'), score: 1 });

    // Act
    const response = await call({ routeKey: 'POST /replies', body, contentType: JSON_TYPE });

    // Assess
    expect(response.statusCode).toBe(410);
    expect(repo.replies.size).toBe(0);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('refuses a token that was used already with 410 "already answered"', async () => {
    // Prepare
    await call({ routeKey: 'POST /replies', body: JSON.stringify({ token: surveyToken(), score: 5 }), contentType: JSON_TYPE });

    // Act
    const again = await call({
      routeKey: 'POST /replies',
      body: JSON.stringify({ token: surveyToken(), score: 1 }),
      contentType: JSON_TYPE,
    });

    // Assess
    expect(again.statusCode).toBe(410);
    expect(jsonOf(again)).toEqual({ error: expect.stringContaining('already answered') });
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply?.value).toBe(5);
  });

  it('records an answer that arrives after the wait ended as late', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const response = await call({
      routeKey: 'POST /replies',
      body: JSON.stringify({ token: surveyToken(), score: 3 }),
      contentType: JSON_TYPE,
    });

    expect(response.statusCode).toBe(200);
    expect(jsonOf(response)).toEqual({ status: 'recorded', late: true, resumed: false });
  });

  it.each([
    ['a score outside 1-5', () => JSON.stringify({ token: surveyToken(), score: 9 }), 'score'],
    ['no token', () => JSON.stringify({ score: 3 }), 'token'],
  ])('refuses %s with 400 naming the field', async (_what, bodyOf, field) => {
    const response = await call({ routeKey: 'POST /replies', body: bodyOf(), contentType: JSON_TYPE });

    expect(response.statusCode).toBe(400);
    expect(jsonOf(response)).toEqual({ error: expect.stringContaining(field) });
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await call({ routeKey: 'POST /replies', body: '{"token":', contentType: JSON_TYPE });

    expect(response).toMatchObject({ statusCode: 400, body: JSON.stringify({ error: 'body is not valid JSON' }) });
  });

  it('refuses a body over 64 KiB with 413 and records nothing', async () => {
    const body = JSON.stringify({ token: surveyToken(), score: 5, comment: 'x'.repeat(65 * 1024) });

    const response = await call({ routeKey: 'POST /replies', body, contentType: JSON_TYPE });

    expect(response.statusCode).toBe(413);
    expect(repo.replies.size).toBe(0);
  });
});

describe('GET /u/{token}', () => {
  it.each([
    ['C0001', '您已退订'],
    ['C0002', 'You are unsubscribed'],
  ])('puts the address of customer %s on the suppression list and says so: %s', async (customerId, text) => {
    // Act
    const response = await call({ routeKey: 'GET /u/{token}', token: unsubscribeToken(customerId) });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(text);
    expect(await repo.isSuppressed('email', addressOf[customerId] ?? '')).toBe(true);
  });

  it('answers a forged unsubscribe link with 410 and suppresses nothing', async () => {
    const response = await call({ routeKey: 'GET /u/{token}', token: unsubscribeToken('C0001', 'a-guessed-key') });

    expect(response.statusCode).toBe(410);
    expect(repo.suppressions.size).toBe(0);
  });

  it('accepts the one-click unsubscribe POST of a mail client', async () => {
    const response = await call({
      routeKey: 'POST /u/{token}',
      token: unsubscribeToken(),
      body: 'List-Unsubscribe=One-Click',
      contentType: FORM_TYPE,
    });

    expect(response.statusCode).toBe(200);
    expect(await repo.isSuppressed('email', 'wang.fang@example.cn')).toBe(true);
  });
});

it('answers an unknown route with 404', async () => {
  const response = await call({ routeKey: 'GET /admin' });

  expect(response.statusCode).toBe(404);
});
