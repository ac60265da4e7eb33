import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowControl } from '../../../functions/core/ports.js';
import { campaignStatus, cancelCampaign, pauseCampaign, resumeCampaign } from '../../../functions/core/use-cases/operate.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../fakes.js';
import { CAMPAIGN_ID, lifecycleOf, NOW, seedCampaign } from '../fixtures.js';

class RecordingControl implements WorkflowControl {
  readonly stopped: string[] = [];
  async stopLifecycle(_campaignId: string, customerId: string): Promise<void> {
    this.stopped.push(customerId);
  }
}

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
  it('stops the lifecycles in progress and records why; finished ones keep their outcome', async () => {
    const result = await cancelCampaign(deps(), CAMPAIGN_ID, 'wrong list');

    expect(result).toEqual({ changed: true, status: 'cancelled', lifecycles: 2 });
    expect(control.stopped.sort()).toEqual(['C0001', 'C0002']);
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'cancelled',
      failure: 'campaign cancelled: wrong list',
      finishedAt: NOW,
    });
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0003'))?.status).toBe('replied');
  });
});

describe('campaignStatus', () => {
  it('counts lifecycles by where they are', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, 'check');

    const status = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(status).toMatchObject({
      status: 'paused',
      statusReason: 'check',
      byState: { 'sent, next touch planned': 1, 'holding (paused)': 1, 'finished: replied': 1 },
      failures: [],
    });
  });
});
