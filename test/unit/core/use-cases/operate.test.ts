import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignNotPausedError, InvalidInputError } from '../../../../functions/core/errors.js';
import {
  campaignStatus,
  cancelCampaign,
  LIFECYCLE_STATES,
  pauseCampaign,
  resumeCampaign,
  updateCampaignSettings,
} from '../../../../functions/core/use-cases/operate.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback, RecordingControl } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../../support/fixtures.js';

let repo: InMemoryCampaignRepository;
let callback: RecordingCallback;
let control: RecordingControl;
const deps = () => ({ repo, clock: new FixedClock(NOW), callback, control });

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  callback = new RecordingCallback();
  control = new RecordingControl();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ customerId: 'C0001', status: 'contacted' }));
  await repo.createLifecycle(lifecycleOf({ customerId: 'C0002', status: 'planned', pausedToken: 'token-2' }));
  await repo.createLifecycle(lifecycleOf({ customerId: 'C0003', status: 'replied', outcome: 'replied', finishedAt: NOW }));
});

describe('pause and resume', () => {
  it('pauses a running campaign once, with the reason', async () => {
    expect(await pauseCampaign(deps(), CAMPAIGN_ID, 'typo')).toMatchObject({ changed: true, status: 'paused' });
    expect(await pauseCampaign(deps(), CAMPAIGN_ID, 'again')).toMatchObject({ changed: false, status: 'paused' });
    expect(await repo.getCampaign(CAMPAIGN_ID)).toMatchObject({ statusReason: 'typo', statusChangedAt: NOW });
  });

  it('resumes and wakes every lifecycle holding while paused', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, null);

    const result = await resumeCampaign(deps(), CAMPAIGN_ID);

    expect(result).toEqual({ changed: true, status: 'running', lifecycles: 1 });
    expect(callback.calls).toEqual([{ taskToken: 'token-2', output: { resumed: true } }]);
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0002'))?.pausedToken).toBeNull();
  });
});

describe('cancel', () => {
  it('stops the launch, so that no lifecycle of a day to come starts', async () => {
    const launch = 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitCampaign:spring-2027-launch';
    await repo.updateCampaign(CAMPAIGN_ID, { launch: { executionArn: launch, startedAt: NOW } });

    await cancelCampaign(deps(), CAMPAIGN_ID, 'wrong list');

    expect(control.stoppedExecutions).toEqual([launch]);
  });

  it('stops the lifecycles in progress and records why; finished ones keep their outcome', async () => {
    const result = await cancelCampaign(deps(), CAMPAIGN_ID, 'wrong list');

    expect(result).toEqual({ changed: true, status: 'cancelled', lifecycles: 2 });
    expect(control.stopped.sort()).toEqual([`${CAMPAIGN_ID}/C0001`, `${CAMPAIGN_ID}/C0002`]);
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'cancelled',
      failure: 'campaign cancelled: wrong list',
      finishedAt: NOW,
    });
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0003'))?.status).toBe('replied');
  });
});

describe('campaignStatus', () => {
  it('counts lifecycles by where they are, every state present', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, 'check');

    const status = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(Object.keys(status.byState)).toEqual([...LIFECYCLE_STATES]);
    expect(status).toMatchObject({ status: 'paused', statusReason: 'check', failures: [], finishedBy: { replied: 1 } });
    const totals = Object.fromEntries(Object.entries(status.byState).map(([state, row]) => [state, row.total]));
    expect(totals).toMatchObject({ 'waiting for send window': 1, 'holding (paused)': 1, finished: 1, escalated: 0 });
  });

  it('tells sent, awaiting reply and replied apart by the newest touch, and splits each state by channel and tier', async () => {
    await repo.createLifecycle(lifecycleOf({ customerId: 'C0004', tier: 'gold', status: 'contacted' }));
    await repo.createLifecycle(lifecycleOf({ customerId: 'C0005', tier: 'diamond', status: 'contacted' }));
    await seedSentTouch(repo, { customerId: 'C0001', touch: 1, status: 'unanswered' });
    await seedSentTouch(repo, { customerId: 'C0001', touch: 2, channel: 'email', status: 'awaiting-reply' });
    await seedSentTouch(repo, { customerId: 'C0004', status: 'replied' });
    await seedSentTouch(repo, { customerId: 'C0005', status: 'claimed', sentAt: null });

    const { byState } = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(byState['awaiting reply']).toMatchObject({ total: 1, email: 1, sms: 0, silver: 1 });
    expect(byState.replied).toMatchObject({ total: 1, sms: 1, gold: 1 });
    expect(byState.sent).toMatchObject({ total: 1, diamond: 1 });
  });

  it('counts customers the fan-out has not reached as planned', async () => {
    const record = await repo.getCampaign(CAMPAIGN_ID);
    await repo.putCampaign({ ...(record as NonNullable<typeof record>), customerCount: 10 });

    const { byState } = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(byState.planned.total).toBe(7);
  });

  it('groups failures by reason, the most frequent first', async () => {
    for (const [id, reason] of [
      ['F1', 'States.Timeout'],
      ['F2', 'NoSendWindowError: no window left'],
      ['F3', 'NoSendWindowError: no window left'],
    ] as const) {
      await repo.createLifecycle(lifecycleOf({ customerId: id, status: 'failed', failure: reason }));
    }

    const { failures, byState } = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(failures).toEqual([
      { reason: 'NoSendWindowError: no window left', count: 2, customerIds: ['F2', 'F3'] },
      { reason: 'States.Timeout', count: 1, customerIds: ['F1'] },
    ]);
    expect(byState.failed.total).toBe(3);
  });

  it('describes the launch execution when the campaign records one', async () => {
    const arn = 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitCampaign:spring-2027-launch';
    await repo.updateCampaign(CAMPAIGN_ID, { launch: { executionArn: arn, startedAt: NOW } });

    const status = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(control.described).toEqual([arn]);
    expect(status.launch).toMatchObject({ executionArn: arn, status: 'SUCCEEDED' });
  });

  it('reports the send rate of the last minute', async () => {
    for (let i = 0; i < 30; i++) {
      const sentAt = new Date(Date.parse(NOW) - i * 1000).toISOString();
      await seedSentTouch(repo, { customerId: `R${i}`, sentAt, claimedAt: sentAt });
    }
    await seedSentTouch(repo, { customerId: 'old', sentAt: '2026-12-16T01:00:00.000Z' });

    expect((await campaignStatus(deps(), CAMPAIGN_ID)).sendRatePerSecond).toBe(0.5);
  });
});

describe('updateCampaignSettings', () => {
  const newSms = {
    'zh-CN': '【新春】{{name}}您好，请回复1-5为本次服务打分，退订回TD',
    'en-US': 'Hi {{name}}, rate us 1-5. STOP to opt out',
  };

  it('replaces the settings of a paused campaign and says which changed', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, 'fix the SMS');

    const result = await updateCampaignSettings(deps(), CAMPAIGN_ID, campaignOf({ templates: { sms: newSms }, maxTouches: 3 }));

    expect(result).toEqual({ changed: ['maxTouches', 'templates'], planTime: ['maxTouches'] });
    const stored = await repo.getCampaign(CAMPAIGN_ID);
    expect(stored?.campaign.templates?.sms).toEqual(newSms);
    expect(stored?.settingsUpdatedAt).toBe(NOW);
    expect(stored?.status).toBe('paused');
  });

  it('refuses a running campaign: pause it first', async () => {
    await expect(updateCampaignSettings(deps(), CAMPAIGN_ID, campaignOf({ maxTouches: 3 }))).rejects.toBeInstanceOf(
      CampaignNotPausedError,
    );
    expect((await repo.getCampaign(CAMPAIGN_ID))?.campaign.maxTouches).toBe(2);
  });

  it('refuses a file for another campaign', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, null);

    await expect(updateCampaignSettings(deps(), CAMPAIGN_ID, campaignOf({ id: 'another-one' }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it('changes nothing when nothing differs', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, null);

    expect(await updateCampaignSettings(deps(), CAMPAIGN_ID, campaignOf())).toEqual({ changed: [], planTime: [] });
    expect((await repo.getCampaign(CAMPAIGN_ID))?.settingsUpdatedAt).toBeUndefined();
  });
});
