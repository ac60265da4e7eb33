import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidLinkError } from '../../../../functions/core/errors.js';
import { type LinkClaims, signLink } from '../../../../functions/core/links.js';
import { surveySchema } from '../../../../functions/core/schemas.js';
import {
  ALREADY_ANSWERED,
  answerSurvey,
  localeOfLink,
  openSurvey,
  surveyAnswerSchema,
  surveyAnswerSchemaFor,
  unsubscribe,
} from '../../../../functions/core/use-cases/web-answers.js';
import { FixedClock, FixedLinkKey, InMemoryCampaignRepository, RecordingCallback } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, customerOf, LINK_KEY, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../../support/fixtures.js';

const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const claims: LinkClaims = { p: 'survey', c: CAMPAIGN_ID, u: 'C0001', t: 1, e: Math.floor(Date.parse(NOW) / 1000) + 3600 };
const surveyToken = signLink(claims, LINK_KEY);
const unsubscribeToken = signLink({ ...claims, p: 'unsubscribe' }, LINK_KEY);

let repo: InMemoryCampaignRepository;
let callback: RecordingCallback;
let deps: Parameters<typeof answerSurvey>[0];

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  callback = new RecordingCallback();
  deps = { repo, callback, clock: new FixedClock(NOW), links: new FixedLinkKey(LINK_KEY) };
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  await seedSentTouch(repo, { channel: 'email', address: 'wang.fang@example.cn', messageId: 'ses-1' });
  repo.parkTaskToken(key, 'task-token-1');
});

describe('answerSurvey', () => {
  it('records the answer on the touch the link names and resumes the lifecycle', async () => {
    // Act
    const reply = await answerSurvey(deps, surveyToken, { score: 4, nps: 9, comment: '不错' });

    // Assess
    expect(reply).toMatchObject({ kind: 'survey', value: 4, touch: 1, resumed: true, late: false, duplicate: false });
    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'survey', value: 4, nps: 9, comment: '不错' });
    expect(callback.calls).toHaveLength(1);
  });

  it.each([
    ['a forged link', () => signLink(claims, 'not-the-key')],
    ['an expired link', () => signLink({ ...claims, e: Math.floor(Date.parse(NOW) / 1000) - 1 }, LINK_KEY)],
    ['an unsubscribe link', () => unsubscribeToken],
  ])('refuses %s and records nothing', async (_what, tokenOf) => {
    await expect(answerSurvey(deps, tokenOf(), { score: 5 })).rejects.toBeInstanceOf(InvalidLinkError);

    expect((await repo.getTouch(key))?.reply).toBeUndefined();
    expect(repo.replies.size).toBe(0);
    expect(callback.calls).toEqual([]);
  });

  it('refuses a link that was used already and keeps the first answer', async () => {
    // Prepare
    await answerSurvey(deps, surveyToken, { score: 5 });

    // Act
    const again = answerSurvey(deps, surveyToken, { score: 1 });

    // Assess
    await expect(again).rejects.toThrow(new InvalidLinkError('this survey was already answered'));
    expect((await repo.getTouch(key))?.reply?.value).toBe(5);
    expect(repo.replies.size).toBe(1);
  });

  it('adds the rest of the survey sent after a one-click score to that reply, keeping the first score', async () => {
    // Prepare
    await answerSurvey(deps, surveyToken, { score: 2 });

    // Act
    const followUp = await answerSurvey(deps, surveyToken, {
      score: 5,
      nps: 4,
      comment: '太慢了',
      attitude: 1,
      answers: { delivery: 2 },
    });

    // Assess
    expect(followUp).toMatchObject({ kind: 'text', value: '太慢了', touch: 1, late: false, resumed: false, matched: true });
    expect(followUp.replyId).toMatch(/^web-[0-9a-f]{32}-more$/);
    expect((await repo.getTouch(key))?.reply).toEqual({
      kind: 'survey',
      value: 2,
      replyId: expect.stringMatching(/^web-/),
      nps: 4,
      comment: '太慢了',
      dimensions: { attitude: 1 },
      answers: { delivery: 2 },
      followUpAt: NOW,
    });
    expect(repo.replies.size).toBe(2);
    expect(callback.calls).toHaveLength(1);
  });

  it('keeps a follow-up without a comment (ratings only) as a survey reply', async () => {
    await answerSurvey(deps, surveyToken, { score: 3 });

    const followUp = await answerSurvey(deps, surveyToken, { score: 3, efficiency: 2 });

    expect(followUp).toMatchObject({ kind: 'survey', value: 3 });
    expect((await repo.getTouch(key))?.reply?.dimensions).toEqual({ efficiency: 2 });
  });

  it.each([
    ['a second follow-up', { score: 2, comment: 'again' }],
    ['a follow-up with nothing to add', { score: 4 }],
  ])('refuses %s after a score-only answer', async (_what, answer) => {
    await answerSurvey(deps, surveyToken, { score: 2 });
    await answerSurvey(deps, surveyToken, { score: 2, comment: 'first' });

    await expect(answerSurvey(deps, surveyToken, answer)).rejects.toThrow(new InvalidLinkError(ALREADY_ANSWERED));
    expect(repo.replies.size).toBe(2);
  });

  it('refuses a follow-up when the first answer already had a comment', async () => {
    await answerSurvey(deps, surveyToken, { score: 2, comment: 'first' });

    await expect(answerSurvey(deps, surveyToken, { score: 2, comment: 'more' })).rejects.toBeInstanceOf(InvalidLinkError);
    expect(repo.replies.size).toBe(1);
  });

  it('refuses a survey answer to a touch the customer already answered by SMS', async () => {
    await repo.recordTouchReply(key, { kind: 'score', value: 2, replyId: 'sms-1' }, NOW);

    await expect(answerSurvey(deps, surveyToken, { score: 5 })).rejects.toBeInstanceOf(InvalidLinkError);
    expect((await repo.getTouch(key))?.reply?.value).toBe(2);
  });
});

describe('openSurvey', () => {
  const progressOf = async (token: string) => (await openSurvey(deps, token)).progress;

  it('tells an unanswered link, a one-click score that the rest may follow, and a complete answer apart', async () => {
    expect(await progressOf(surveyToken)).toEqual({ stage: 'open' });

    await answerSurvey(deps, surveyToken, { score: 3 });
    expect(await progressOf(surveyToken)).toEqual({ stage: 'scored', score: 3 });

    await answerSurvey(deps, surveyToken, { score: 3, comment: 'ok' });
    expect(await progressOf(surveyToken)).toEqual({ stage: 'answered' });
  });

  it("returns the campaign's own questions", async () => {
    const { survey } = await openSurvey(deps, surveyToken);

    expect(survey).toEqual({ smsAsks: 'csat', questions: [] });
  });

  it('reports a touch answered another way (SMS) as answered', async () => {
    await repo.recordTouchReply(key, { kind: 'score', value: 2, replyId: 'sms-1' }, NOW);

    expect(await progressOf(surveyToken)).toEqual({ stage: 'answered' });
  });

  it('refuses an unsubscribe link', async () => {
    await expect(openSurvey(deps, unsubscribeToken)).rejects.toBeInstanceOf(InvalidLinkError);
  });
});

describe('unsubscribe', () => {
  it('puts the address of the touch on the suppression list and records the opt-out', async () => {
    // Act
    await unsubscribe(deps, unsubscribeToken);

    // Assess
    expect(await repo.isSuppressed('email', 'wang.fang@example.cn')).toBe(true);
    expect(await repo.listReplies(CAMPAIGN_ID)).toEqual([
      expect.objectContaining({ kind: 'optout', channel: 'email', customerId: 'C0001', touch: 1, receivedAt: NOW }),
    ]);
  });

  it.each([
    ['a survey link', () => surveyToken],
    ['a forged link', () => signLink({ ...claims, p: 'unsubscribe' }, 'not-the-key')],
    ['a link to a touch that does not exist', () => signLink({ ...claims, p: 'unsubscribe', t: 7 }, LINK_KEY)],
  ])('refuses %s and suppresses nothing', async (_what, tokenOf) => {
    await expect(unsubscribe(deps, tokenOf())).rejects.toBeInstanceOf(InvalidLinkError);

    expect(repo.suppressions.size).toBe(0);
  });
});

describe('localeOfLink', () => {
  it.each(['zh-CN', 'en-US'] as const)('finds the locale of a %s customer', async (locale) => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ locale })]);

    expect(await localeOfLink(deps, surveyToken)).toBe(locale);
  });

  it("finds the customer's locale for an expired link, so the refusal is in their language", async () => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ locale: 'en-US' })]);
    const expired = signLink({ ...claims, e: Math.floor(Date.parse(NOW) / 1000) - 1 }, LINK_KEY);

    expect(await localeOfLink(deps, expired)).toBe('en-US');
  });

  it.each([
    ['a forged link', () => signLink(claims, 'not-the-key')],
    ['a garbled link', () => `${surveyToken}x`],
  ])('reads %s as zh-CN without looking the customer up', async (_what, tokenOf) => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ locale: 'en-US' })]);

    expect(await localeOfLink(deps, tokenOf())).toBe('zh-CN');
  });
});

describe('surveyAnswerSchema', () => {
  it('reads form fields as numbers and empty optional fields as absent', () => {
    expect(surveyAnswerSchema.parse({ score: '4', nps: '', attitude: '', comment: '' })).toEqual({ score: 4 });
  });

  it('reads the three service dimensions as 1-5 ratings', () => {
    expect(surveyAnswerSchema.parse({ score: '4', attitude: '5', efficiency: '2', result: '3', nps: '0' })).toEqual({
      score: 4,
      nps: 0,
      attitude: 5,
      efficiency: 2,
      result: 3,
    });
  });

  it.each([
    ['a score of 0', { score: 0 }, 'score'],
    ['a score of 6', { score: '6' }, 'score'],
    ['an NPS of 11', { score: 3, nps: 11 }, 'nps'],
    ['a comment over 2000 characters', { score: 3, comment: 'x'.repeat(2001) }, 'comment'],
    ['an attitude rating of 0', { score: 3, attitude: '0' }, 'attitude'],
    ['an efficiency rating of 6', { score: 3, efficiency: 6 }, 'efficiency'],
    ['a result rating of 2.5', { score: 3, result: '2.5' }, 'result'],
  ])('refuses %s', (_what, answer, field) => {
    const parsed = surveyAnswerSchema.safeParse(answer);

    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual([field]);
  });
});

describe('surveyAnswerSchemaFor', () => {
  const survey = surveySchema.parse({
    questions: [
      { id: 'delivery', type: 'rating', label: { 'zh-CN': '配送速度' }, required: true },
      { id: 'again', type: 'yes-no', label: { 'en-US': 'Would you buy again?' } },
      { id: 'channel', type: 'choice', label: { 'zh-CN': '购买渠道' }, options: [{ 'zh-CN': '门店' }, { 'zh-CN': '网店' }] },
      { id: 'wish', type: 'text', label: { 'zh-CN': '新年愿望' }, maxLength: 10 },
    ],
  });
  const schema = surveyAnswerSchemaFor(survey);

  it("reads the campaign's own questions from their q-<id> fields into answers", () => {
    const parsed = schema.parse({ score: '4', 'q-delivery': '2', 'q-again': 'no', 'q-channel': '2', 'q-wish': ' 发财 ' });

    expect(parsed).toEqual({ score: 4, answers: { delivery: 2, again: false, channel: 2, wish: '发财' } });
  });

  it('leaves optional questions left blank out of the answers', () => {
    expect(schema.parse({ score: '4', 'q-delivery': '5', 'q-again': '', 'q-wish': '' })).toEqual({
      score: 4,
      answers: { delivery: 5 },
    });
  });

  it.each([
    ['a required question left blank', { score: 3 }, 'q-delivery'],
    ['a rating of 6', { score: 3, 'q-delivery': '6' }, 'q-delivery'],
    ['an answer that is neither yes nor no', { score: 3, 'q-delivery': '3', 'q-again': 'maybe' }, 'q-again'],
    ['an option that does not exist', { score: 3, 'q-delivery': '3', 'q-channel': '3' }, 'q-channel'],
    ['a text over its length', { score: 3, 'q-delivery': '3', 'q-wish': 'x'.repeat(11) }, 'q-wish'],
  ])('refuses %s', (_what, answer, field) => {
    const parsed = schema.safeParse(answer);

    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual([field]);
  });
});
