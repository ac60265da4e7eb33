import { ProviderThrottledError, TransientError } from '../errors.js';
import type { EscalationStore } from '../ports/index.js';
import type { EscalationRecord, LifecycleRecord } from '../records.js';
import type { Campaign, Customer } from '../schemas.js';
import { renderManagerTask } from '../templates.js';
import type { Deps } from './deps.js';

/**
 * E-mails a manager exactly once per record: claim it with a conditional write, `send` (which returns the
 * provider's message id), record the message id. When the provider refuses (throttling, 5xx: nothing went
 * out) the claim is released so that the state machine's retry sends it. Returns false when it had been
 * sent (or claimed) before.
 */
export async function sendManagerMailOnce(
  deps: Pick<Deps<EscalationStore>, 'repo'>,
  record: EscalationRecord,
  send: () => Promise<string>,
): Promise<boolean> {
  if (!(await deps.repo.claimEscalation(record))) return false;
  let messageId: string;
  try {
    messageId = await send();
  } catch (error) {
    if (error instanceof ProviderThrottledError || error instanceof TransientError) {
      await deps.repo.releaseEscalation(record.campaignId, record.customerId, record.touch, error.name);
    }
    throw error;
  }
  await deps.repo.markEscalationSent(record.campaignId, record.customerId, record.touch, messageId);
  return true;
}

/**
 * The account manager's call/visit task for one customer, e-mailed once: with the first touch of a core or
 * churn-warning customer (touch 0), or when a diamond customer did not answer (the touch it followed).
 */
export function sendAccountManagerTask(
  deps: Pick<Deps<EscalationStore>, 'repo' | 'email'>,
  task: {
    campaignId: string;
    customerId: string;
    campaign: Campaign;
    customer: Customer;
    lifecycle: Pick<LifecycleRecord, 'tier' | 'segment'>;
    touch: number;
    reason: string;
    /** ISO instant: shown to the minute. */
    deadline: string;
    now: Date;
  },
): Promise<boolean> {
  const { campaign, customer, lifecycle } = task;
  const record: EscalationRecord = {
    campaignId: task.campaignId,
    customerId: task.customerId,
    touch: task.touch,
    kind: 'account-manager-task',
    owner: customer.accountManager ?? campaign.defaultAccountManager,
    reason: task.reason,
    status: 'claimed',
    messageId: null,
    createdAt: task.now.toISOString(),
  };
  const email = renderManagerTask(campaign, customer.locale, {
    campaignName: campaign.name,
    customerName: customer.name,
    customerId: customer.id,
    tier: lifecycle.tier,
    segment: lifecycle.segment,
    deadline: task.deadline.slice(0, 16).replace('T', ' '),
  });
  return sendManagerMailOnce(deps, record, async () => {
    const { messageId } = await deps.email.sendEmail({
      to: record.owner,
      ...email,
      unsubscribeUrl: null,
      reference: {
        campaignId: record.campaignId,
        customerId: record.customerId,
        touch: record.touch,
        template: `manager-task/${customer.locale}`,
        timeZone: campaign.defaultTimeZone,
        kind: record.kind,
      },
    });
    return messageId;
  });
}
