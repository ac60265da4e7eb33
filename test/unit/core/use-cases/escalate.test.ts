import { beforeEach, describe, expect, it } from 'vitest';
import { ProviderThrottledError } from '../../../../functions/core/errors.js';
import { escalate } from '../../../../functions/core/use-cases/escalate.js';
import { FixedClock, FixedLinkKey, InMemoryCampaignRepository, RecordingEmailSender } from '../../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  customerOf,
  LINK_KEY,
  lifecycleOf,
  NOW,
  PUBLIC_BASE_URL,
  seedCampaign,
  seedSentTouch,
} from '../../../support/fixtures.js';

const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const input = { ...key, severity: 'B' as const, reason: 'low CSAT (1/5)' };

let repo: InMemoryCampaignRepository;
let clock: FixedClock;
let email: RecordingEmailSender;
let deps: Parameters<typeof escalate>[0];

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
  email = new RecordingEmailSender();
  deps = { repo, clock, email, links: new FixedLinkKey(LINK_KEY), publicBaseUrl: PUBLIC_BASE_URL };
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ tier: 'diamond', segment: 'core', status: 'replied', csat: 1 }));
  await seedSentTouch(repo);
  await repo.recordTouchReply(key, { kind: 'text', value: '包裹破损，太失望了', replyId: 'sms-1' }, NOW);
});

describe('escalate', () => {
  it("e-mails the account manager the customer's context and words", async () => {
    // Act
    const result = await escalate(deps, input);

    // Assess
    expect(result).toMatchObject({ owner: 'li.na@example.com', mail: 'sent' });
    expect(email.sent).toHaveLength(1);
    const sent = email.sent[0];
    expect(sent).toMatchObject({
      to: 'li.na@example.com',
      unsubscribeUrl: null,
      reference: { ...key, template: 'escalation/zh-CN', kind: 'escalation' },
    });
    expect(sent?.text).toContain('包裹破损，太失望了');
    expect(sent?.text).toContain('C0001');
    expect(sent?.subject).toContain('diamond');
    expect(sent?.subject).toContain('B级工单');
    expect(sent?.text).toContain(`${PUBLIC_BASE_URL}/t/`);
    expect(sent?.text).toMatch(/确认受理：\S+\?do=acknowledge/);
    expect(sent?.text).toMatch(/标记已解决：\S+\?do=resolve/);
    expect(sent?.html).toContain('<blockquote>包裹破损，太失望了</blockquote>');
  });

  it('records the escalation and marks the lifecycle escalated', async () => {
    await escalate(deps, input);

    expect(await repo.listEscalations(CAMPAIGN_ID)).toEqual([
      {
        ...key,
        kind: 'escalation',
        owner: 'li.na@example.com',
        reason: 'low CSAT (1/5)',
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
      { ...key, touch: 2 },
      { kind: 'survey', value: 1, replyId: 'web-1', comment: '客服态度很差' },
      NOW,
    );

    // Act
    await escalate(deps, { ...input, touch: 2 });

    // Assess
    expect(email.sent[0]?.text).toContain('客服态度很差');
  });

  it("goes to the campaign's service desk when the customer has no account manager", async () => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ accountManager: null })]);

    const result = await escalate(deps, input);

    expect(result.owner).toBe('service-desk@example.com');
    expect(email.sent[0]?.to).toBe('service-desk@example.com');
  });

  it('opens a ticket with the severity, the SLA deadline, the owner and the chain above', async () => {
    await escalate(deps, { ...input, severity: 'A', reason: 'business stopped' });

    expect(await repo.listTickets(CAMPAIGN_ID)).toEqual([
      expect.objectContaining({
        ...key,
        severity: 'A',
        reason: 'business stopped',
        owner: 'li.na@example.com',
        chain: ['li.na@example.com', 'service-head@example.com', 'cx-director@example.com'],
        level: 0,
        status: 'open',
        respondBy: new Date(Date.parse(NOW) + 2 * 3600_000).toISOString(),
        replyText: '包裹破损，太失望了',
        score: 'CSAT 1/5',
      }),
    ]);
  });

  it('returns the ticket step the state machine follows: acknowledge within the SLA', async () => {
    const result = await escalate(deps, input);

    expect(result.ticket).toEqual({
      key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'TICKET#C0001#1' },
      touch: 1,
      status: 'open',
      ackWithinSeconds: 24 * 3600,
      resolveWithinSeconds: 7 * 24 * 3600,
      exhausted: false,
    });
  });

  it('e-mails the account manager a call task for a customer who answered nothing, without a ticket', async () => {
    const result = await escalate(deps, { ...key, touch: 2, kind: 'no-response', reason: 'no response to 2 touches' });

    expect(result).toEqual({ owner: 'li.na@example.com', mail: 'sent', ticket: null });
    expect(email.sent[0]).toMatchObject({ to: 'li.na@example.com', reference: { kind: 'account-manager-task', touch: 2 } });
    expect(await repo.listTickets(CAMPAIGN_ID)).toEqual([]);
  });

  it('escalates once when Escalate runs again', async () => {
    // Prepare
    await escalate(deps, input);

    // Act
    const again = await escalate(deps, input);

    // Assess
    expect(again).toMatchObject({ owner: 'li.na@example.com', mail: 'already-escalated' });
    expect(email.sent).toHaveLength(1);
    expect(await repo.listTickets(CAMPAIGN_ID)).toHaveLength(1);
  });

  it('sends the escalation on the retry after the provider throttled the first attempt', async () => {
    // Prepare: the state machine retries Escalate on ProviderThrottledError
    email.failNext(new ProviderThrottledError('provider throttled: TooManyRequestsException'));
    await expect(escalate(deps, input)).rejects.toBeInstanceOf(ProviderThrottledError);

    // Act
    const retry = await escalate(deps, input);

    // Assess
    expect(retry.mail).toBe('sent');
    expect(email.sent).toHaveLength(1);
  });
});
