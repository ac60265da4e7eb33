import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageReference, SentMessage, SentMessageLedger } from '../../../../functions/core/ports/index.js';
import { recoverClaims } from '../../../../functions/core/use-cases/recover.js';
import { InMemoryCampaignRepository } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, HOUR_MS, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../../support/fixtures.js';

/** What the provider accepted, as the local outbox keeps it. */
class Ledger implements SentMessageLedger {
  readonly sent = new Map<string, SentMessage>();
  accept(kind: string, customerId: string, touch: number, message: SentMessage): void {
    this.sent.set(`${kind}/${customerId}/${touch}`, message);
  }
  async findSent(reference: Pick<MessageReference, 'kind' | 'customerId' | 'touch'>): Promise<SentMessage[]> {
    const found = this.sent.get(`${reference.kind}/${reference.customerId}/${reference.touch}`);
    return found ? [found] : [];
  }
}

let repo: InMemoryCampaignRepository;
let ledger: Ledger;

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  ledger = new Ledger();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ customerId: 'C0001', replyTimeoutSeconds: 48 * 3600 }));
});

const claimed = { status: 'claimed' as const, sentAt: null, messageId: null, replyDeadline: null };

describe('recovering claims a crash cut short', () => {
  it('records a claimed touch the provider accepted as sent, with its message id and reply deadline', async () => {
    await seedSentTouch(repo, { customerId: 'C0001', ...claimed });
    ledger.accept('touch', 'C0001', 1, { messageId: 'local-sms-1', sentAt: '2026-12-16T10:00:05+08:00' });

    const result = await recoverClaims({ repo, ledger }, CAMPAIGN_ID);

    expect(result).toEqual({ confirmed: 1, released: 0 });
    expect(await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 })).toMatchObject({
      status: 'sent',
      messageId: 'local-sms-1',
      sentAt: '2026-12-16T02:00:05.000Z',
      replyDeadline: new Date(Date.parse('2026-12-16T02:00:05.000Z') + 48 * HOUR_MS).toISOString(),
    });
  });

  it('releases a claimed touch the provider never received, so that it is sent once', async () => {
    await seedSentTouch(repo, { customerId: 'C0001', ...claimed });

    const result = await recoverClaims({ repo, ledger }, CAMPAIGN_ID);

    expect(result).toEqual({ confirmed: 0, released: 1 });
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.status).toBe('released');
  });

  it('leaves touches that were sent, answered or released alone', async () => {
    await seedSentTouch(repo, { customerId: 'C0001', touch: 1, status: 'replied' });
    await seedSentTouch(repo, { customerId: 'C0001', touch: 2, status: 'sent' });

    expect(await recoverClaims({ repo, ledger }, CAMPAIGN_ID)).toEqual({ confirmed: 0, released: 0 });
  });

  it('settles manager e-mails the same way', async () => {
    for (const [touch, kind] of [
      [0, 'account-manager-task'],
      [1, 'escalation'],
    ] as const) {
      await repo.claimEscalation({
        campaignId: CAMPAIGN_ID,
        customerId: 'C0001',
        touch,
        kind,
        owner: 'li.na@example.com',
        reason: 'detractor',
        status: 'claimed',
        messageId: null,
        createdAt: NOW,
      });
    }
    ledger.accept('escalation', 'C0001', 1, { messageId: 'local-email-9', sentAt: NOW });

    const result = await recoverClaims({ repo, ledger }, CAMPAIGN_ID);

    expect(result).toEqual({ confirmed: 1, released: 1 });
    const escalations = await repo.listEscalations(CAMPAIGN_ID);
    expect(escalations.map((e) => [e.touch, e.status, e.messageId])).toEqual([
      [0, 'released', null],
      [1, 'sent', 'local-email-9'],
    ]);
  });
});
