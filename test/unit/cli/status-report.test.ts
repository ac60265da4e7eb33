import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../cli/status-report.js';
import { campaignStatus } from '../../../functions/core/use-cases/operate.js';
import { FixedClock, InMemoryCampaignRepository } from '../../support/fakes/index.js';
import { CAMPAIGN_ID, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';

describe('revisit status, printed', () => {
  it('shows a row per state with channel and tier columns, failures by reason, and the launch', async () => {
    // Prepare
    const repo = new InMemoryCampaignRepository();
    await seedCampaign(repo);
    await repo.createLifecycle(lifecycleOf({ customerId: 'C0001', tier: 'gold', status: 'contacted' }));
    await seedSentTouch(repo, { customerId: 'C0001', status: 'awaiting-reply' });
    await repo.createLifecycle(lifecycleOf({ customerId: 'C0002', status: 'failed', failure: 'States.Timeout' }));
    const status = await campaignStatus({ repo, clock: new FixedClock(NOW) }, CAMPAIGN_ID);

    // Act
    const text = formatStatus(
      {
        ...status,
        launch: { executionArn: 'arn:x', status: 'RUNNING', startedAt: NOW, stoppedAt: null, error: null, cause: null },
      },
      new Date(NOW),
    );

    // Assess
    expect(text).toContain(`Campaign ${CAMPAIGN_ID}: running`);
    expect(text).toContain('launch RUNNING  arn:x');
    expect(text).toMatch(/│ lifecycles\s+│ total │ sms │ email │ diamond │ gold │ silver │ basic │/);
    expect(text).toMatch(/│ awaiting reply\s+│\s+1 │\s+1 │\s+0 │\s+0 │\s+1 │\s+0 │\s+0 │/);
    expect(text).toContain('failed ×1: States.Timeout  (C0002)');
    expect(text).toContain('1 in flight');
    expect(text).not.toContain('\u001b[');
  });
});
