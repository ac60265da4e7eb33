import { beforeEach, describe, expect, it } from 'vitest';
import { ProviderThrottledError } from '../../../functions/core/errors.js';
import { escalate } from '../../../functions/core/use-cases/escalate.js';
import { FixedClock, InMemoryCampaignRepository, RecordingEmailSender } from '../fakes.js';
import { CAMPAIGN_ID, customerOf, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../fixtures.js';

const input = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };

let repo: InMemoryCampaignRepository;
let clock: FixedClock;
let email: RecordingEmailSender;

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
  email = new RecordingEmailSender();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ tier: 'diamond', segment: 'core', status: 'replied', csat: 1 }));
  await seedSentTouch(repo);
  await repo.recordTouchReply(input, { kind: 'text', value: '包裹破损，太失望了', replyId: 'sms-1' }, NOW);
});

describe('escalate', () => {
  it("e-mails the account manager the customer's context and words", async () => {
    // Act
    const result = await escalate({ repo, clock, email }, input);

    // Assess
    expect(result).toEqual({ owner: 'li.na@example.com', status: 'sent' });
    expect(email.sent).toHaveLength(1);
    const sent = email.sent[0];
    expect(sent).toMatchObject({
      to: 'li.na@example.com',
      unsubscribeUrl: null,
      reference: { ...input, template: 'escalation/zh-CN', kind: 'escalation' },
    });
    expect(sent?.text).toContain('包裹破损，太失望了');
    expect(sent?.text).toContain('C0001');
    expect(sent?.subject).toContain('diamond');
  });

  it('records the escalation and marks the lifecycle escalated', async () => {
    await escalate({ repo, clock, email }, input);

    expect(await repo.listEscalations(CAMPAIGN_ID)).toEqual([
      {
        ...input,
        kind: 'escalation',
        owner: 'li.na@example.com',
        reason: 'CSAT 1/5',
        status: 'sent',
        messageId: 'email-msg-1',
        createdAt: NOW,
      },
    ]);
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({ status: 'escalated', escalated: true });
  });

  it("gives the manager the customer's comment from a survey answer, not just the score", async () => {
    // Prepare: touch 2 was answered on the survey page
    await seedSentTouch(repo, { touch: 2, channel: 'email', address: 'wang.fang@example.cn', messageId: 'ses-2' });
    await repo.recordTouchReply(
      { ...input, touch: 2 },
      { kind: 'survey', value: 1, replyId: 'web-1', comment: '客服态度很差' },
      NOW,
    );

    // Act
    await escalate({ repo, clock, email }, { ...input, touch: 2 });

    // Assess
    expect(email.sent[0]?.text).toContain('客服态度很差');
  });

  it("goes to the campaign's service desk when the customer has no account manager", async () => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ accountManager: null })]);

    const result = await escalate({ repo, clock, email }, input);

    expect(result.owner).toBe('service-desk@example.com');
    expect(email.sent[0]?.to).toBe('service-desk@example.com');
  });

  it('gives negative feedback as the reason when there is no score', async () => {
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { csat: null });

    await escalate({ repo, clock, email }, input);

    expect((await repo.listEscalations(CAMPAIGN_ID))[0]?.reason).toBe('negative feedback');
  });

  it('escalates once when Escalate runs again', async () => {
    // Prepare
    await escalate({ repo, clock, email }, input);

    // Act
    const again = await escalate({ repo, clock, email }, input);

    // Assess
    expect(again).toEqual({ owner: 'li.na@example.com', status: 'already-escalated' });
    expect(email.sent).toHaveLength(1);
  });

  it('sends the escalation on the retry after the provider throttled the first attempt', async () => {
    // Prepare: the state machine retries Escalate on ProviderThrottledError
    email.failNext(new ProviderThrottledError('provider throttled: TooManyRequestsException'));
    await expect(escalate({ repo, clock, email }, input)).rejects.toBeInstanceOf(ProviderThrottledError);

    // Act
    const retry = await escalate({ repo, clock, email }, input);

    // Assess
    expect(retry.status).toBe('sent');
    expect(email.sent).toHaveLength(1);
  });
});
