import { beforeEach, describe, expect, it } from 'vitest';
import type { TouchRecord } from '../../../../functions/core/records.js';
import { evaluate } from '../../../../functions/core/use-cases/evaluate.js';
import { FixedClock, InMemoryCampaignRepository } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../../support/fixtures.js';

const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const FINISHED = '2026-12-17T03:00:00.000Z';

let repo: InMemoryCampaignRepository;
let clock: FixedClock;

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(FINISHED);
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  await seedSentTouch(repo);
});

async function replyWith(reply: NonNullable<TouchRecord['reply']>): Promise<void> {
  await repo.recordTouchReply(key, reply, NOW);
}

describe('evaluate', () => {
  it('records no response and marks the touch unanswered', async () => {
    // Act
    const result = await evaluate({ repo, clock }, { ...key, noResponse: true });

    // Assess
    expect(result).toMatchObject({ outcome: 'no-response', csat: null, escalate: false, followUp: null });
    expect((await repo.getTouch(key))?.status).toBe('unanswered');
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'no-response',
      outcome: 'no-response',
      finishedAt: FINISHED,
    });
  });

  it('scores a survey answer with its NPS and comment', async () => {
    // Prepare
    await replyWith({ kind: 'survey', value: 5, replyId: 'web-1', nps: 9, comment: '服务很好' });

    // Act
    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    // Assess
    expect(result).toMatchObject({ outcome: 'replied', csat: 5, escalate: false, reason: null });
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'replied',
      outcome: 'replied',
      csat: 5,
      nps: 9,
      sentiment: 'positive',
      finishedAt: FINISHED,
    });
  });

  it('escalates a low SMS score to the account manager', async () => {
    await replyWith({ kind: 'score', value: 1, replyId: 'sms-1' });

    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    expect(result).toMatchObject({ outcome: 'replied', csat: 1, escalate: true, reason: 'low CSAT (1/5)' });
  });

  it.each([
    [9, false, null],
    [6, true, 'detractor (NPS 6/10)'],
  ])('reads an SMS digit %i as the NPS when the SMS asked for it (escalate: %s)', async (nps, escalate, reason) => {
    // Prepare
    repo = new InMemoryCampaignRepository();
    await seedCampaign(repo);
    await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
    await seedSentTouch(repo, { asks: 'nps' });
    await replyWith({ kind: 'score', value: nps, replyId: 'sms-1' });

    // Act
    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    // Assess
    expect(result).toMatchObject({ outcome: 'replied', csat: null, escalate, reason });
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({ csat: null, nps });
  });

  it('escalates a complaint in free text', async () => {
    await replyWith({ kind: 'text', value: '快递太慢了，我要投诉', replyId: 'sms-1' });

    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    expect(result).toMatchObject({
      outcome: 'replied',
      csat: null,
      escalate: true,
      severity: 'B',
      reason: 'complaint: logistics',
    });
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      sentiment: 'negative',
      category: 'logistics',
      severity: 'B',
    });
  });

  it('escalates a good score with a negative comment', async () => {
    await replyWith({ kind: 'survey', value: 4, replyId: 'web-1', comment: 'The parcel arrived broken' });

    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    expect(result).toMatchObject({ csat: 4, escalate: true, severity: 'B', reason: 'complaint: logistics' });
  });

  it("escalates at the campaign's own CSAT threshold", async () => {
    await seedCampaign(repo, { campaign: campaignOf({ escalateAtOrBelowCsat: 3 }) });
    await replyWith({ kind: 'score', value: 3, replyId: 'sms-1' });

    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    expect(result.escalate).toBe(true);
  });

  it('records an opt-out reply as opted out', async () => {
    await replyWith({ kind: 'optout', value: 'TD', replyId: 'sms-1' });

    const result = await evaluate({ repo, clock }, { ...key, noResponse: false });

    expect(result).toMatchObject({ outcome: 'opted-out', csat: null, escalate: false, reason: null });
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.status).toBe('opted-out');
  });

  it('keeps a replied touch replied when no response is recorded after all', async () => {
    await replyWith({ kind: 'score', value: 5, replyId: 'sms-1' });

    await evaluate({ repo, clock }, { ...key, noResponse: true });

    expect((await repo.getTouch(key))?.status).toBe('replied');
  });
});
