import { beforeEach, describe, expect, it } from 'vitest';
import { sendCampaignReport } from '../../../functions/report/send-report.js';
import { FixedClock, InMemoryCampaignRepository, RecordingEmailSender } from '../../support/fakes/index.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';

let repo: InMemoryCampaignRepository;
let email: RecordingEmailSender;
const deps = () => ({ repo, clock: new FixedClock(NOW), email });

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  email = new RecordingEmailSender();
  await seedCampaign(repo, { campaign: campaignOf({ owner: 'ops@example.com' }) });
  await repo.createLifecycle(lifecycleOf({ status: 'replied', outcome: 'replied', csat: 5 }));
  await seedSentTouch(repo);
});

describe('sendCampaignReport (the report Lambda)', () => {
  it("e-mails the campaign's owner the KPI table, with report.html and the CSV exports attached", async () => {
    // Act
    const result = await sendCampaignReport(deps(), { campaignId: CAMPAIGN_ID });

    // Assess
    expect(result.sentTo).toBe('ops@example.com');
    const sent = email.sent[0];
    expect(sent).toMatchObject({ to: 'ops@example.com', reference: { kind: 'report', campaignId: CAMPAIGN_ID } });
    expect(sent?.subject).toContain('CSAT 100.0%');
    expect(sent?.html).toContain('Achievement 达成率');
    expect(sent?.attachments?.map((a) => a.fileName)).toEqual([
      'report.html',
      'report-by-tier.csv',
      'report-by-segment.csv',
      'report-by-channel.csv',
      'report-kpis.csv',
      'report-tickets.csv',
    ]);
    expect(sent?.attachments?.[0]?.content).toContain('<svg');
  });

  it('builds the report but sends nothing when the campaign names no owner', async () => {
    await seedCampaign(repo, { campaign: campaignOf({ owner: null }) });

    const result = await sendCampaignReport(deps(), { campaignId: CAMPAIGN_ID });

    expect(result.sentTo).toBeNull();
    expect(result.kpis.find((k) => k.key === 'csat')?.current).toBe(1);
    expect(email.sent).toEqual([]);
  });
});
