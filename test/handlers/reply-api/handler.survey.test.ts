import 'aws-sdk-client-mock-vitest/extend';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { signLink } from '../../../functions/core/links.js';
import type { ExtraQuestionInput } from '../../../functions/core/schemas.js';
import { CAMPAIGN_ID, campaignOf, LINK_KEY, NOW, seedCampaign } from '../../support/fixtures.js';
import { call, customers, FORM_TYPE, repo, sfn, surveyToken, useReplyApi } from '../../support/reply-api.js';

useReplyApi();

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
