import { z } from 'zod';
import type { EscalationStore } from '../ports/index.js';
import { SEVERITIES } from '../records.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadCustomer, loadLifecycle } from './load.js';
import { sendAccountManagerTask, sendManagerMailOnce } from './manager-mail.js';
import { mailNewTicket, openTicket, type TicketStep, type TicketStores } from './tickets.js';

export const escalateInputSchema = z.object({
  campaignId: z.string().min(1),
  customerId: z.string().min(1),
  touch: z.number().int().min(1),
  /** A reply that raised an issue (a ticket), or the no-response rule's account-manager task. */
  kind: z.enum(['reply', 'no-response']).default('reply'),
  severity: z.enum(SEVERITIES).nullable().optional(),
  reason: z.string().nullable().optional(),
});
export type EscalateInput = z.input<typeof escalateInputSchema>;

type EscalateDeps = Pick<Deps<TicketStores & EscalationStore>, 'repo' | 'clock' | 'email' | 'links' | 'publicBaseUrl'>;

export interface EscalateResult {
  owner: string;
  mail: 'sent' | 'already-escalated';
  /** The ticket the state machine follows to its close (none for an account-manager task). */
  ticket: TicketStep | null;
}

/**
 * Tells a manager, once:
 * - an issue raised by a reply (rulebook section 5): open its ticket (severity, SLA deadline, owner, the
 *   chain above), claim the owner's e-mail, send it (context, reply, history, acknowledge and resolve
 *   links), mark the lifecycle escalated; the result is the ticket step the state machine follows;
 * - no response after the tier's touches (diamond): the account manager's call task.
 */
export async function escalate(deps: EscalateDeps, raw: EscalateInput): Promise<EscalateResult> {
  const input = escalateInputSchema.parse(raw);
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  const owner = customer.accountManager ?? campaign.defaultAccountManager;
  const now = deps.clock.now();
  if (input.kind === 'no-response') {
    const deadline = new Date(now.getTime() + campaign.sla.B.respondHours * 3600_000);
    const sent = await sendAccountManagerTask(deps, {
      campaignId: input.campaignId,
      customerId: input.customerId,
      campaign,
      customer,
      lifecycle,
      touch: input.touch,
      reason: input.reason ?? `no response to ${input.touch} touches`,
      deadline: deadline.toISOString(),
      now,
    });
    return { owner, mail: sent ? 'sent' : 'already-escalated', ticket: null };
  }

  const severity = input.severity ?? lifecycle.severity ?? 'B';
  const reason = input.reason ?? 'negative feedback';
  const { ticket, step } = await openTicket(deps, { ...input, severity, reason });
  const record = {
    campaignId: input.campaignId,
    customerId: input.customerId,
    touch: input.touch,
    kind: 'escalation' as const,
    owner: ticket.owner,
    reason,
    status: 'claimed' as const,
    messageId: null,
    createdAt: now.toISOString(),
  };
  if (!(await sendManagerMailOnce(deps, record, () => mailNewTicket(deps, ticket))))
    return { owner: ticket.owner, mail: 'already-escalated', ticket: step };
  await deps.repo.updateLifecycle(input.campaignId, input.customerId, { escalated: true, status: 'escalated' });
  return { owner: ticket.owner, mail: 'sent', ticket: step };
}
