import type { CampaignStore, EscalationStore, LifecycleStore, SentMessageLedger, TouchStore } from '../ports/index.js';
import type { Deps } from './deps.js';
import { loadCampaign } from './load.js';

export interface RecoveryResult {
  /** Claims the provider had accepted: their message id and send time are now recorded. */
  confirmed: number;
  /** Claims the provider never received: given back, so that the resumed lifecycle sends them (once). */
  released: number;
}

/**
 * After a crash, before any lifecycle goes on: settles every claim that the crash cut short between the
 * conditional write and the record of the provider's answer, by asking the provider's ledger.
 * 1. for every touch still `claimed`: the ledger holds its message: record it as sent (message id, send
 *    time, reply deadline); it does not: release the claim, so that Contact claims and sends it again;
 * 2. the same for every manager e-mail (escalation, account-manager task) still `claimed`.
 * No lifecycle runs meanwhile, so no send is in flight: a claim without a message is one that never went out.
 */
export async function recoverClaims(
  deps: Pick<Deps<CampaignStore & LifecycleStore & TouchStore & EscalationStore>, 'repo'> & { ledger: SentMessageLedger },
  campaignId: string,
): Promise<RecoveryResult> {
  const { campaign } = await loadCampaign(deps.repo, campaignId);
  const result: RecoveryResult = { confirmed: 0, released: 0 };
  const lifecycles = new Map((await deps.repo.listLifecycles(campaignId)).map((l) => [l.customerId, l]));
  for (const touch of await deps.repo.listTouches(campaignId)) {
    if (touch.status !== 'claimed') continue;
    const key = { campaignId, customerId: touch.customerId, touch: touch.touch };
    const [sent] = await deps.ledger.findSent({ kind: 'touch', ...key });
    if (sent) {
      const timeoutSeconds =
        touch.asks === 'confirm'
          ? campaign.confirmWithinDays * 24 * 3600
          : (lifecycles.get(touch.customerId)?.replyTimeoutSeconds ?? 48 * 3600);
      const sentAt = Date.parse(sent.sentAt);
      await deps.repo.markTouchSent(key, {
        messageId: sent.messageId,
        sentAt: new Date(sentAt).toISOString(),
        replyDeadline: new Date(sentAt + timeoutSeconds * 1000).toISOString(),
      });
      result.confirmed++;
    } else {
      await deps.repo.releaseTouch(key, 'RecoveredUnsent');
      result.released++;
    }
  }
  for (const escalation of await deps.repo.listEscalations(campaignId)) {
    if (escalation.status !== 'claimed') continue;
    const [sent] = await deps.ledger.findSent({
      kind: escalation.kind,
      campaignId,
      customerId: escalation.customerId,
      touch: escalation.touch,
    });
    if (sent) {
      await deps.repo.markEscalationSent(campaignId, escalation.customerId, escalation.touch, sent.messageId);
      result.confirmed++;
    } else {
      await deps.repo.releaseEscalation(campaignId, escalation.customerId, escalation.touch, 'RecoveredUnsent');
      result.released++;
    }
  }
  return result;
}
