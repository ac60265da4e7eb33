import { beforeEach, describe, expect, it } from 'vitest';
import { type InboundReply, recordReply } from '../../../../functions/core/use-cases/record-reply.js';
import { InMemoryCampaignRepository, RecordingCallback } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, HOUR_MS, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../../support/fixtures.js';

const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const WITHIN_TIMEOUT = new Date(Date.parse(NOW) + 2 * HOUR_MS).toISOString();
const AFTER_TIMEOUT = new Date(Date.parse(NOW) + 49 * HOUR_MS).toISOString();

let repo: InMemoryCampaignRepository;
let callback: RecordingCallback;

function smsReply(text: string, overrides: Partial<InboundReply> = {}): InboundReply {
  return {
    channel: 'sms',
    replyId: 'sms-inbound-1',
    receivedAt: WITHIN_TIMEOUT,
    match: { channel: 'sms', from: '+8613800138000', messageId: 'sns-message-1' },
    content: { text },
    ...overrides,
  };
}

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  callback = new RecordingCallback();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  await seedSentTouch(repo);
  repo.parkTaskToken(key, 'task-token-1');
});

describe('recordReply', () => {
  it('records a score on the touch it answers and resumes the waiting lifecycle', async () => {
    // Act
    const recorded = await recordReply({ repo, callback }, smsReply('５'));

    // Assess
    expect(recorded).toEqual({
      campaignId: CAMPAIGN_ID,
      customerId: 'C0001',
      replyId: 'sms-inbound-1',
      channel: 'sms',
      receivedAt: WITHIN_TIMEOUT,
      kind: 'score',
      value: 5,
      touch: 1,
      late: false,
      duplicate: false,
      resumed: true,
      matched: true,
    });
    expect(callback.calls).toEqual([{ taskToken: 'task-token-1', output: { kind: 'score', value: 5, touch: 1 } }]);
    expect(await repo.getTouch(key)).toMatchObject({
      status: 'replied',
      repliedAt: WITHIN_TIMEOUT,
      reply: { kind: 'score', value: 5, replyId: 'sms-inbound-1' },
    });
    expect(await repo.listReplies(CAMPAIGN_ID)).toHaveLength(1);
  });

  it('keeps a second, different answer to the same touch as a duplicate without resuming again', async () => {
    // Prepare
    await recordReply({ repo, callback }, smsReply('5'));

    // Act
    const second = await recordReply({ repo, callback }, smsReply('1', { replyId: 'sms-inbound-2' }));

    // Assess
    expect(second).toMatchObject({ duplicate: true, resumed: false, matched: true });
    expect(callback.calls).toHaveLength(1);
    expect((await repo.getTouch(key))?.reply).toMatchObject({ value: 5, replyId: 'sms-inbound-1' });
    expect((await repo.listReplies(CAMPAIGN_ID)).map((r) => [r.replyId, r.duplicate])).toEqual([
      ['sms-inbound-1', false],
      ['sms-inbound-2', true],
    ]);
  });

  it('stores a redelivered reply once', async () => {
    // Prepare
    await recordReply({ repo, callback }, smsReply('5'));

    // Act
    const redelivered = await recordReply({ repo, callback }, smsReply('5'));

    // Assess
    expect(redelivered.duplicate).toBe(true);
    expect(await repo.listReplies(CAMPAIGN_ID)).toHaveLength(1);
  });

  it('records a late reply on the touch without resuming the lifecycle', async () => {
    // Act
    const recorded = await recordReply({ repo, callback }, smsReply('4', { receivedAt: AFTER_TIMEOUT }));

    // Assess
    expect(recorded).toMatchObject({ late: true, resumed: false, duplicate: false, kind: 'score', value: 4 });
    expect(callback.calls).toEqual([]);
    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'score', value: 4 });
  });

  it('counts a reply as late when the waiting task has already ended', async () => {
    callback.outcome = 'expired';

    const recorded = await recordReply({ repo, callback }, smsReply('4'));

    expect(recorded).toMatchObject({ late: true, resumed: false });
  });

  it('records a reply that beat the lifecycle to the wait: no callback, and AwaitResponse will find it', async () => {
    // Prepare: a touch whose task token is not parked yet
    await seedSentTouch(repo, { touch: 2, messageId: 'sns-message-2', claimedAt: WITHIN_TIMEOUT });

    // Act
    const recorded = await recordReply(
      { repo, callback },
      smsReply('3', { match: { channel: 'sms', from: '+8613800138000', messageId: 'sns-message-2' } }),
    );

    // Assess
    expect(recorded).toMatchObject({ touch: 2, late: false, resumed: true, duplicate: false });
    expect(callback.calls).toEqual([]);
    expect((await repo.getTouch({ ...key, touch: 2 }))?.repliedAt).toBe(WITHIN_TIMEOUT);
  });

  it.each(['TD', '退订', 'STOP'])('puts the phone number on the suppression list when the customer replies %s', async (text) => {
    // Act
    const recorded = await recordReply({ repo, callback }, smsReply(text));

    // Assess
    expect(recorded.kind).toBe('optout');
    expect(await repo.isSuppressed('sms', '+8613800138000')).toBe(true);
    expect(await repo.isSuppressed('email', 'wang.fang@example.cn')).toBe(false);
    expect(callback.calls[0]?.output).toEqual({ kind: 'optout', value: text, touch: 1 });
  });

  it('suppresses the address even when the opt-out comes late', async () => {
    await recordReply({ repo, callback }, smsReply('TD', { receivedAt: AFTER_TIMEOUT }));

    expect(await repo.isSuppressed('sms', '+8613800138000')).toBe(true);
  });

  it('puts a number that texts STOP on the suppression list even when no touch to it is found', async () => {
    // Act
    const recorded = await recordReply(
      { repo, callback },
      smsReply('STOP', { match: { channel: 'sms', from: '+8613900139000', messageId: null } }),
    );

    // Assess
    expect(recorded).toMatchObject({ kind: 'optout', matched: false });
    expect(await repo.isSuppressed('sms', '+8613900139000')).toBe(true);
  });

  it.each([
    ['0', { kind: 'score', value: 0 }],
    ['10', { kind: 'score', value: 10 }],
    ['11', { kind: 'text', value: '11' }],
  ])('reads %s on the 0-10 scale when the SMS asked for the NPS', async (text, meaning) => {
    // Prepare
    repo = new InMemoryCampaignRepository();
    await seedCampaign(repo);
    await seedSentTouch(repo, { asks: 'nps' });

    // Act
    const recorded = await recordReply({ repo, callback }, smsReply(text));

    // Assess
    expect(recorded).toMatchObject(meaning);
    expect((await repo.getTouch(key))?.reply).toMatchObject(meaning);
  });

  it('reads 0 as free text when the SMS asked for the CSAT (1-5)', async () => {
    expect(await recordReply({ repo, callback }, smsReply('0'))).toMatchObject({ kind: 'text', value: '0' });
  });

  it('keeps free text as the customer wrote it', async () => {
    const recorded = await recordReply({ repo, callback }, smsReply('  Parcel arrived broken  '));

    expect(recorded).toMatchObject({ kind: 'text', value: 'Parcel arrived broken' });
  });

  it('matches a reply to the message it names, not just the newest one', async () => {
    // Prepare: a newer touch to the same number
    await seedSentTouch(repo, { touch: 2, messageId: 'sns-message-2', claimedAt: WITHIN_TIMEOUT });

    // Act
    const recorded = await recordReply({ repo, callback }, smsReply('4'));

    // Assess
    expect(recorded.touch).toBe(1);
    expect((await repo.getTouch({ ...key, touch: 2 }))?.reply).toBeUndefined();
  });

  it.each([
    ['names no message', null],
    ['names a message we do not know', 'sns-message-unknown'],
  ])('matches a reply that %s to the newest unanswered touch to that number', async (_what, messageId) => {
    // Prepare: touch 1 answered, touch 2 sent after it
    await recordReply({ repo, callback }, smsReply('5'));
    await seedSentTouch(repo, { touch: 2, messageId: 'sns-message-2', claimedAt: WITHIN_TIMEOUT });

    // Act
    const recorded = await recordReply(
      { repo, callback },
      smsReply('2', { replyId: 'sms-inbound-2', match: { channel: 'sms', from: '+8613800138000', messageId } }),
    );

    // Assess
    expect(recorded).toMatchObject({ touch: 2, matched: true, duplicate: false });
    expect((await repo.getTouch({ ...key, touch: 2 }))?.reply).toMatchObject({ value: 2 });
  });

  it.each([
    ['comes from a number we never wrote to', { channel: 'sms', from: '+8613900000000', messageId: 'sns-message-1' } as const],
    ['names nothing to match', null],
  ])('stores a reply that %s as unmatched', async (_what, match) => {
    // Act
    const recorded = await recordReply({ repo, callback }, smsReply('5', { match }));

    // Assess
    expect(recorded).toMatchObject({ campaignId: null, customerId: null, touch: null, matched: false, kind: 'score' });
    expect([...repo.replies.values()]).toEqual([expect.objectContaining({ campaignId: null, replyId: 'sms-inbound-1' })]);
    expect((await repo.getTouch(key))?.reply).toBeUndefined();
    expect(callback.calls).toEqual([]);
  });

  it('records a survey answer named by its touch, with NPS and comment', async () => {
    // Act
    const recorded = await recordReply(
      { repo, callback },
      {
        channel: 'email',
        replyId: 'web-1',
        receivedAt: WITHIN_TIMEOUT,
        match: { touch: key },
        content: { score: 4, nps: 8, comment: 'ok' },
      },
    );

    // Assess
    expect(recorded).toMatchObject({ kind: 'survey', value: 4, resumed: true });
    expect((await repo.getTouch(key))?.reply).toEqual({ kind: 'survey', value: 4, replyId: 'web-1', nps: 8, comment: 'ok' });
  });
});

describe('a late answer while the next touch waits', () => {
  it('is recorded on the waiting touch and resumes it', async () => {
    // Prepare: touch 1 (seeded, 48-hour deadline) went unanswered; touch 2 waits with its task token parked
    const second = await seedSentTouch(repo, { touch: 2, channel: 'email', address: 'wang.fang@example.cn', messageId: 'ses-2' });
    for (const [id, touch] of repo.touches) {
      if (touch.touch === 2) repo.touches.set(id, { ...touch, taskToken: 'token-2', status: 'awaiting-reply' });
    }
    const afterDeadline = new Date(Date.parse(NOW) + 50 * HOUR_MS).toISOString();

    // Act
    const recorded = await recordReply({ repo, callback }, smsReply('5', { receivedAt: afterDeadline }));

    // Assess
    expect(recorded).toMatchObject({ touch: 1, late: true, resumed: true });
    expect(callback.calls.map((c) => c.taskToken)).toEqual(['token-2']);
    expect((await repo.getTouch(second))?.reply).toMatchObject({ kind: 'score', value: 5 });
  });
});
