import { ProviderThrottledError, TransientError } from '../errors.js';
import type { EscalationStore } from '../ports/index.js';
import type { EscalationRecord } from '../records.js';
import type { RenderedEmail } from '../templates.js';
import type { Deps } from './deps.js';

/**
 * E-mails a manager exactly once per record: claim it with a conditional write, send, record the message
 * id. When the provider refuses (throttling, 5xx: nothing went out) the claim is released so that the
 * state machine's retry sends it. Returns false when it had been sent (or claimed) before.
 */
export async function sendManagerMailOnce(
  deps: Pick<Deps<EscalationStore>, 'repo' | 'email'>,
  record: EscalationRecord,
  email: RenderedEmail,
  timeZone: string,
  template: string,
): Promise<boolean> {
  if (!(await deps.repo.claimEscalation(record))) return false;
  let messageId: string;
  try {
    ({ messageId } = await deps.email.sendEmail({
      to: record.owner,
      ...email,
      unsubscribeUrl: null,
      reference: {
        campaignId: record.campaignId,
        customerId: record.customerId,
        touch: record.touch,
        template,
        timeZone,
        kind: record.kind,
      },
    }));
  } catch (error) {
    if (error instanceof ProviderThrottledError || error instanceof TransientError) {
      await deps.repo.releaseEscalation(record.campaignId, record.customerId, record.touch, error.name);
    }
    throw error;
  }
  await deps.repo.markEscalationSent(record.campaignId, record.customerId, record.touch, messageId);
  return true;
}
