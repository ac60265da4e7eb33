import 'aws-sdk-client-mock-vitest/extend';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StaticLinkKey } from '../../../functions/adapters/clients.js';
import { SfnWorkflowCallback } from '../../../functions/adapters/sfn-workflow-callback.js';
import { signLink } from '../../../functions/core/links.js';
import type { ExtraQuestionInput } from '../../../functions/core/schemas.js';
import { buildReplyApiHandler } from '../../../functions/reply-api/handler.js';
import { FixedClock, InMemoryCampaignRepository } from '../../support/fakes.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  LINK_KEY,
  lifecycleOf,
  NOW,
  seedCampaign,
  seedSentTouch,
} from '../../support/fixtures.js';
import { type HttpRequest, httpEvent, lambdaContext, silenceLogs } from '../../support/handlers.js';

const sfn = mockClient(SFNClient);
const context = lambdaContext('reply-api');
const EXPIRES = Math.floor(Date.parse(NOW) / 1000) + 30 * 24 * 3600;
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const customers = [
  customerOf(),
  customerOf({ id: 'C0002', name: 'Ethan Brown', locale: 'en-US', timeZone: 'America/New_York', email: 'ethan@example.com' }),
];
const addressOf: Record<string, string> = { C0001: 'wang.fang@example.cn', C0002: 'ethan@example.com' };

function surveyToken(customerId = 'C0001', key = LINK_KEY): string {
  return signLink({ p: 'survey', c: CAMPAIGN_ID, u: customerId, t: 1, e: EXPIRES }, key);
}

function unsubscribeToken(customerId = 'C0001', key = LINK_KEY): string {
  return signLink({ p: 'unsubscribe', c: CAMPAIGN_ID, u: customerId, t: 1, e: EXPIRES }, key);
}

let repo: InMemoryCampaignRepository;
let handler: ReturnType<typeof buildReplyApiHandler>;

async function call(request: HttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
  return handler(httpEvent(request), context);
}

function jsonOf(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? '');
}

beforeAll(() => {
  silenceLogs();
});

beforeEach(async () => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  repo = new InMemoryCampaignRepository();
  handler = buildReplyApiHandler({
    repo,
    callback: new SfnWorkflowCallback(new SFNClient({ region: 'ap-northeast-1' })),
    clock: new FixedClock(NOW),
    links: new StaticLinkKey(LINK_KEY),
  });
  await seedCampaign(repo, { customers });
  for (const customer of customers) {
    await repo.createLifecycle(lifecycleOf({ customerId: customer.id, status: 'contacted' }));
    const key = await seedSentTouch(repo, {
      customerId: customer.id,
      channel: 'email',
      template: `email/${customer.locale}`,
      address: addressOf[customer.id] ?? '',
      messageId: `ses-${customer.id}`,
    });
    repo.parkTaskToken(key, `task-token-${customer.id}`);
  }
});

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

describe('GET /s/{token}', () => {
  it.each([
    ['C0001', 'zh-CN', '满意度调查'],
    ['C0002', 'en-US', 'Satisfaction survey'],
  ])("shows the survey page to customer %s in the customer's language, %s", async (customerId, lang, title) => {
    // Act
    const response = await call({ routeKey: 'GET /s/{token}', token: surveyToken(customerId) });

    // Assess
    const page = response.body ?? '';
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    expect(page).toContain(`<html lang="${lang}">`);
    expect(page).toContain(`<title>${title}</title>`);
    expect(page).toContain(`action="/s/${surveyToken(customerId)}"`);
  });

  it.each(['C0001', 'C0002'])('labels every input of the page shown to customer %s', async (customerId) => {
    // Act
    const page = (await call({ routeKey: 'GET /s/{token}', token: surveyToken(customerId) })).body ?? '';

    // Assess: each input is named by its label, each radio group by a fieldset legend
    const ids = [...page.matchAll(/<(?:input|textarea)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(page.match(/<(?:input|textarea)\b/g)).toHaveLength(ids.length);
    expect(ids).toHaveLength(5 + 11 + 3 * 5 + 1);
    for (const id of ids) {
      expect(page).toMatch(new RegExp(`<label[^>]*\\bfor="${id}"[^>]*>(?:<input[^>]*>)?\\s*[^<\\s][^<]*</label>`));
    }
    const groups = [...page.matchAll(/<fieldset[^>]*><legend>[^<]+<\/legend>(.*?)<\/fieldset>/g)];
    expect(groups.map((g) => [...new Set([...(g[1] ?? '').matchAll(/name="(\w+)"/g)].map((m) => m[1]))])).toEqual([
      ['score'],
      ['nps'],
      ['attitude'],
      ['efficiency'],
      ['result'],
    ]);
    expect(page).toContain('<input type="radio" id="score-1" name="score" value="1" required>');
  });

  it.each([
    ['C0001', ['5 - 非常满意', '服务态度', '效率', '结果', '推荐']],
    ['C0002', ['5 - Very satisfied', 'Service attitude', 'Efficiency', 'Result', 'recommend']],
  ])('asks customer %s every question of the survey in their language', async (customerId, phrases) => {
    const page = (await call({ routeKey: 'GET /s/{token}', token: surveyToken(customerId) })).body ?? '';

    for (const phrase of phrases) expect(page).toContain(phrase);
    expect(page).toContain('<textarea id="comment" name="comment" maxlength="2000">');
    expect(page).not.toMatch(/<(?:link|script|img)\b|https?:\/\//);
  });

  it.each([
    ['C0001', '您的评分已记录'],
    ['C0002', 'your score is recorded'],
  ])('records a one-click score of customer %s and shows the survey with it chosen: %s', async (customerId, note) => {
    // Act
    const response = await call({ routeKey: 'GET /s/{token}', token: surveyToken(customerId), query: { score: '4' } });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(note);
    expect(response.body).toContain('<input type="radio" id="score-4" name="score" value="4" checked required>');
    expect(response.body?.match(/ checked/g)).toHaveLength(1);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId, touch: 1 }))?.reply).toMatchObject({ value: 4 });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('keeps the first score when a rating link is clicked again', async () => {
    // Prepare
    await call({ routeKey: 'GET /s/{token}', token: surveyToken(), query: { score: '2' } });

    // Act
    const again = await call({ routeKey: 'GET /s/{token}', token: surveyToken(), query: { score: '5' } });

    // Assess
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('id="score-2" name="score" value="2" checked');
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply?.value).toBe(2);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('adds the comment sent after a one-click score to that answer and refuses a third answer', async () => {
    // Prepare
    const token = surveyToken();
    await call({ routeKey: 'GET /s/{token}', token, query: { score: '2' } });
    const form = new URLSearchParams({ score: '2', nps: '3', comment: '客服态度不好' }).toString();

    // Act
    const followUp = await call({ routeKey: 'POST /s/{token}', token, body: form, contentType: FORM_TYPE });
    const third = await call({ routeKey: 'POST /s/{token}', token, body: form, contentType: FORM_TYPE });

    // Assess
    expect(followUp.statusCode).toBe(200);
    expect(followUp.body).toContain('感谢您的反馈');
    const replies = await repo.listReplies(CAMPAIGN_ID);
    const score = replies.find((r) => r.kind === 'survey');
    expect(replies).toEqual([
      expect.objectContaining({ kind: 'survey', value: 2, resumed: true }),
      expect.objectContaining({
        replyId: `${score?.replyId}-more`,
        customerId: 'C0001',
        touch: 1,
        kind: 'text',
        value: '客服态度不好',
        resumed: false,
      }),
    ]);
    expect(third.statusCode).toBe(410);
    expect(third.body).toContain('此问卷已经回答过了');
    expect(await repo.listReplies(CAMPAIGN_ID)).toHaveLength(2);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply).toMatchObject({
      value: 2,
      nps: 3,
      comment: '客服态度不好',
    });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it("answers a link whose survey is complete with a 410 page in the customer's language", async () => {
    // Prepare
    const body = new URLSearchParams({ score: '5', comment: 'Great' }).toString();
    await call({ routeKey: 'POST /s/{token}', token: surveyToken('C0002'), body, contentType: FORM_TYPE });

    // Act
    const response = await call({ routeKey: 'GET /s/{token}', token: surveyToken('C0002'), query: { score: '1' } });

    // Assess
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('<html lang="en-US">');
    expect(response.body).toContain('already answered');
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0002', touch: 1 }))?.reply?.value).toBe(5);
  });

  it.each([
    ['a forged link of an en-US customer, in zh-CN', () => surveyToken('C0002', 'a-guessed-key'), 'zh-CN', '此链接无效或已过期'],
    ['a garbled link, in zh-CN', () => 'not-a-token', 'zh-CN', '此链接无效或已过期'],
    [
      'an expired link of an en-US customer, in English',
      () => signLink({ p: 'survey', c: CAMPAIGN_ID, u: 'C0002', t: 1, e: Math.floor(Date.parse(NOW) / 1000) - 1 }, LINK_KEY),
      'en-US',
      'invalid or has expired',
    ],
  ])('answers %s with a 410 page and records nothing', async (_what, tokenOf, lang, text) => {
    for (const request of [
      { routeKey: 'GET /s/{token}', token: tokenOf(), query: { score: '1' } },
      { routeKey: 'POST /s/{token}', token: tokenOf(), body: 'score=1', contentType: FORM_TYPE },
    ]) {
      const response = await call(request);

      expect(response.statusCode).toBe(410);
      expect(response.body).toContain(`<html lang="${lang}">`);
      expect(response.body).toContain(text);
    }
    expect(repo.replies.size).toBe(0);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });
});

describe('POST /s/{token}', () => {
  it('records the answer from the survey form', async () => {
    const body = new URLSearchParams({ score: '2', comment: '客服态度不好' }).toString();

    const response = await call({ routeKey: 'POST /s/{token}', token: surveyToken(), body, contentType: FORM_TYPE });

    expect(response.statusCode).toBe(200);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply).toMatchObject({
      value: 2,
      comment: '客服态度不好',
    });
  });

  it('shows the form again, with what was typed, when no score was chosen', async () => {
    const body = new URLSearchParams({ nps: '8', comment: '<很好>' }).toString();

    const response = await call({ routeKey: 'POST /s/{token}', token: surveyToken(), body, contentType: FORM_TYPE });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="error" role="alert">请先为我们的服务选择一个 1 到 5 的评分。</p>');
    expect(response.body).toContain('id="nps-8" name="nps" value="8" checked');
    expect(response.body).toContain('>&#60;很好&#62;</textarea>');
    expect(repo.replies.size).toBe(0);
  });

  it('accepts the longest comment the form allows, 2000 Chinese characters', async () => {
    // Prepare: the textarea and the schema allow 2000 characters; URL-encoded, each takes 9 bytes
    const body = new URLSearchParams({ score: '1', comment: '差'.repeat(2000) }).toString();

    // Act
    const response = await call({ routeKey: 'POST /s/{token}', token: surveyToken(), body, contentType: FORM_TYPE });

    // Assess
    expect(response.statusCode).toBe(200);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply?.comment).toHaveLength(2000);
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

describe("the campaign's own survey questions", () => {
  const questions: ExtraQuestionInput[] = [
    { id: 'delivery', type: 'rating', label: { 'zh-CN': '配送速度', 'en-US': 'Delivery speed' }, required: true },
    { id: 'again', type: 'yes-no', label: { 'zh-CN': '还会再来购买吗？' } },
    {
      id: 'store',
      type: 'choice',
      label: { 'zh-CN': '您在哪里购买？', 'en-US': 'Where did you buy?' },
      options: [
        { 'zh-CN': '门店', 'en-US': 'In a store' },
        { 'zh-CN': '网店', 'en-US': 'Online' },
      ],
    },
    { id: 'wish', type: 'text', label: { 'en-US': 'One wish for next year' }, maxLength: 50 },
  ];

  beforeEach(async () => {
    await seedCampaign(repo, {
      customers,
      campaign: campaignOf({ survey: { questions } }),
    });
  });

  it.each([
    ['C0001', ['配送速度 *', '还会再来购买吗？（选填）', '您在哪里购买？（选填）', '网店', 'One wish for next year（选填）']],
    ['C0002', ['Delivery speed *', '还会再来购买吗？ (optional)', 'Where did you buy? (optional)', 'Online']],
  ])('asks customer %s the questions in their language, falling back to the other one', async (customerId, texts) => {
    const page = await call({ routeKey: 'GET /s/{token}', token: surveyToken(customerId) });

    for (const text of texts) expect(page.body).toContain(text);
    expect(page.body).toContain('<textarea id="q-wish" name="q-wish" maxlength="50">');
    expect(page.body).toContain('name="q-delivery" value="5" required');
  });

  it('stores the answers on the touch', async () => {
    const form = new URLSearchParams({ score: '4', 'q-delivery': '2', 'q-again': 'yes', 'q-store': '2', 'q-wish': '更快' });

    const response = await call({
      routeKey: 'POST /s/{token}',
      token: surveyToken(),
      body: form.toString(),
      contentType: FORM_TYPE,
    });

    expect(response.statusCode).toBe(200);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply?.answers).toEqual({
      delivery: 2,
      again: true,
      store: 2,
      wish: '更快',
    });
  });

  it('shows the form again with what was typed when a required question is missing, and records nothing', async () => {
    const form = new URLSearchParams({ score: '4', 'q-store': '1', 'q-wish': '<b>快</b>' });

    const response = await call({
      routeKey: 'POST /s/{token}',
      token: surveyToken(),
      body: form.toString(),
      contentType: FORM_TYPE,
    });

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="q-store-1" name="q-store" value="1" checked');
    expect(response.body).toContain('&#60;b&#62;快&#60;/b&#62;</textarea>');
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.reply).toBeUndefined();
  });
});
