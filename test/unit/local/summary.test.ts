import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../functions/core/report.js';
import { summarize } from '../../../local/summary.js';
import { InMemoryCampaignRepository } from '../../support/fakes/index.js';
import { CAMPAIGN_ID, lifecycleOf, seedCampaign } from '../../support/fixtures.js';
import { inputOf } from '../../support/report-dataset.js';

describe('summarize (summary.json)', () => {
  it('gives the NPS and CSAT the report gives for the same answers', async () => {
    // Prepare: 80 NPS answers, 49 of them detractors (-61.25 points), and 80 CSAT scores
    const repo = new InMemoryCampaignRepository();
    await seedCampaign(repo);
    const lifecycles = Array.from({ length: 80 }, (_, i) =>
      lifecycleOf({ customerId: `C${i}`, nps: i < 49 ? 3 : 8, csat: i % 3 === 0 ? 5 : 2 }),
    );
    for (const lifecycle of lifecycles) await repo.createLifecycle(lifecycle);

    // Act
    const summary = await summarize(repo, CAMPAIGN_ID, { customers: 80, rejectedRows: 0 });
    const report = buildReport(inputOf({ lifecycles }));

    // Assess
    expect(summary.nps).toBe(-61.3);
    expect(summary.nps).toBe(report.totals.nps);
    expect(summary.csat).toBe(report.totals.csat);
  });
});
