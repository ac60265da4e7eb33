import { DateTime } from 'luxon';
import { z } from 'zod';
import { addressOf } from '../campaign-plan.js';
import { followUpRulesOf, nextSendTime } from '../contact-window.js';
import { signLink } from '../links.js';
import type {
  CampaignStore,
  CustomerStore,
  LifecycleStore,
  RecordKey,
  SuppressionList,
  TicketStore,
  TouchKey,
  TouchStore,
} from '../ports/index.js';
import type { Severity, TicketRecord, TouchRecord } from '../records.js';
import type { Campaign, Channel, Customer } from '../schemas.js';
import { renderEscalation } from '../templates.js';
import { analyzeText } from '../text-analysis.js';
import type { Deps } from './deps.js';
import { loadCampaign, loadCustomer, loadLifecycle } from './load.js';

const HOUR_MS = 3600_000;
/** How long the signed ticket links in a manager's e-mail stay valid. */
const TICKET_LINK_TTL_SECONDS = 60 * 24 * 3600;

/** What the ticket steps of the state machine carry from one to the next. */
export interface TicketStep {
  /** The ticket record's key: the acknowledgement and resolution waits park their task token there. */
  key: RecordKey;
  /** The touch whose reply raised it (the ticket's id within the customer's lifecycle). */
  touch: number;
  status: TicketRecord['status'];
  /** How long the current owner has to acknowledge it (at least a second). */
  ackWithinSeconds: number;
  /** How long the ticket may take to resolve before it is left open as breached. */
  resolveWithinSeconds: number;
  /** Nobody is left above the current owner. */
  exhausted: boolean;
}

/** The stores the ticket steps touch. */
export type TicketStores = CampaignStore & CustomerStore & LifecycleStore & TouchStore & TicketStore & SuppressionList;

type TicketDeps = Pick<Deps<TicketStores>, 'repo' | 'clock' | 'email' | 'links' | 'publicBaseUrl'>;

/**
 * A resumed run finds a lifecycle whose contact phase ended but whose ticket is still being followed:
 * the ticket step to go on from (null when there is none, or it is closed).
 */
export async function unfinishedTicket(
  deps: Pick<Deps<TicketStores>, 'repo' | 'clock'>,
  key: TouchKey,
): Promise<TicketStep | null> {
  for (let touch = key.touch; touch >= 1; touch--) {
    const ticket = await deps.repo.getTicket({ ...key, touch });
    if (!ticket) continue;
    if (ticket.status === 'closed') return null;
    const { campaign } = await loadCampaign(deps.repo, key.campaignId);
    return stepOf(deps.repo, ticket, campaign, deps.clock.now());
  }
  return null;
}

/** Account manager, the customer's own manager chain, department head, executive: each once, in order. */
export function chainOf(campaign: Campaign, customer: Customer): string[] {
  const steps = [
    customer.accountManager ?? campaign.defaultAccountManager,
    ...customer.managerChain,
    campaign.escalationChain.departmentHead,
    campaign.escalationChain.executive,
  ];
  return [...new Set(steps.filter((s): s is string => typeof s === 'string' && s.trim() !== ''))];
}

function stepOf(repo: Pick<TicketStore, 'ticketRecordKey'>, ticket: TicketRecord, campaign: Campaign, now: Date): TicketStep {
  const sla = campaign.sla[ticket.severity];
  return {
    key: repo.ticketRecordKey(ticket),
    touch: ticket.touch,
    status: ticket.status,
    ackWithinSeconds: Math.max(1, Math.ceil((Date.parse(ticket.respondBy) - now.getTime()) / 1000)),
    resolveWithinSeconds: Math.round(sla.resolveHours * 3600),
    exhausted: ticket.level >= ticket.chain.length - 1,
  };
}

/** The customer's touches and answers so far, one line each, for the manager's e-mail. */
async function historyOf(deps: Pick<Deps<TicketStores>, 'repo'>, key: TouchKey, timeZone: string): Promise<string> {
  const lines: string[] = [];
  for (let touch = 1; touch <= key.touch + 5; touch++) {
    const record = await deps.repo.getTouch({ ...key, touch });
    if (!record) break;
    const at = DateTime.fromISO(record.sentAt ?? record.claimedAt)
      .setZone(timeZone)
      .toFormat('yyyy-MM-dd HH:mm');
    const reply = record.reply ? `${record.reply.kind} ${String(record.reply.value).slice(0, 200)}` : 'no reply';
    lines.push(`#${touch} ${at} ${record.channel} (${record.template}): ${reply}`);
  }
  return lines.join('\n') || '-';
}

function replyTextOf(reply: TouchRecord['reply']): string {
  if (!reply) return '';
  if (reply.kind === 'text' || reply.kind === 'optout') return String(reply.value);
  return reply.comment ? `${reply.value}: ${reply.comment}` : String(reply.value);
}

/**
 * E-mails the ticket's current owner: a new ticket, the SLA missed below them, or reopened by the
 * customer. HTML and text, severity and customer in the subject, the reply, the history, signed links to
 * acknowledge and resolve.
 */
async function mailOwner(deps: TicketDeps, ticket: TicketRecord, why: string): Promise<string> {
  const { campaign } = await loadCampaign(deps.repo, ticket.campaignId);
  const customer = await loadCustomer(deps.repo, ticket.campaignId, ticket.customerId);
  const lifecycle = await loadLifecycle(deps.repo, ticket.campaignId, ticket.customerId);
  const linkKey = await deps.links.linkKey();
  const expires = Math.floor(deps.clock.now().getTime() / 1000) + TICKET_LINK_TTL_SECONDS;
  const token = signLink({ p: 'ticket', c: ticket.campaignId, u: ticket.customerId, t: ticket.touch, e: expires }, linkKey);
  const url = `${deps.publicBaseUrl}/t/${token}`;
  const zone = campaign.defaultTimeZone;
  const email = renderEscalation(campaign, customer.locale, {
    brand: campaign.brand,
    campaignName: campaign.name,
    customerName: customer.name,
    customerId: customer.id,
    tier: lifecycle.tier,
    segment: lifecycle.segment,
    reason: ticket.reason,
    score: ticket.score ?? '-',
    replyText: ticket.replyText ?? '',
    severity: ticket.severity,
    category: ticket.category ?? '-',
    respondBy: DateTime.fromISO(ticket.respondBy).setZone(zone).toFormat('yyyy-MM-dd HH:mm ZZZZ'),
    why,
    history: await historyOf(deps, ticket, zone),
    acknowledgeUrl: `${url}?do=acknowledge`,
    resolveUrl: `${url}?do=resolve`,
  });
  const { messageId } = await deps.email.sendEmail({
    to: ticket.owner,
    ...email,
    unsubscribeUrl: null,
    reference: {
      campaignId: ticket.campaignId,
      customerId: ticket.customerId,
      touch: ticket.touch,
      template: `escalation/${customer.locale}`,
      timeZone: zone,
      kind: 'escalation',
    },
  });
  return messageId;
}

/**
 * Opens the ticket of an unhappy reply (rulebook section 5), once: the severity's SLA sets the
 * acknowledgement deadline; the owner is the customer's account manager, the chain above comes from the
 * customer file and the campaign. The owner's e-mail goes out with it (escalate.ts claims it once).
 */
export async function openTicket(
  deps: Pick<Deps<TicketStores>, 'repo' | 'clock'>,
  input: TouchKey & { severity: Severity; reason: string },
): Promise<{ ticket: TicketRecord; created: boolean; step: TicketStep }> {
  const { campaign } = await loadCampaign(deps.repo, input.campaignId);
  const customer = await loadCustomer(deps.repo, input.campaignId, input.customerId);
  const lifecycle = await loadLifecycle(deps.repo, input.campaignId, input.customerId);
  const touch = await deps.repo.getTouch(input);
  const now = deps.clock.now();
  const chain = chainOf(campaign, customer);
  const score = lifecycle.csat !== null ? `CSAT ${lifecycle.csat}/5` : lifecycle.nps !== null ? `NPS ${lifecycle.nps}/10` : null;
  const draft: TicketRecord = {
    campaignId: input.campaignId,
    customerId: input.customerId,
    touch: input.touch,
    severity: input.severity,
    category: (lifecycle.category as TicketRecord['category']) ?? null,
    reason: input.reason,
    owner: chain[0] ?? campaign.defaultAccountManager,
    chain: chain.length > 0 ? chain : [campaign.defaultAccountManager],
    level: 0,
    status: 'open',
    createdAt: now.toISOString(),
    respondBy: new Date(now.getTime() + campaign.sla[input.severity].respondHours * HOUR_MS).toISOString(),
    acknowledgedAt: null,
    resolvedAt: null,
    closedAt: null,
    breached: false,
    climbs: [],
    confirmation: null,
    reopened: 0,
    replyText: replyTextOf(touch?.reply) || null,
    score,
  };
  const created = await deps.repo.createTicket(draft);
  const ticket = created ? draft : ((await deps.repo.getTicket(input)) ?? draft);
  return { ticket, created, step: stepOf(deps.repo, ticket, campaign, now) };
}

export const ticketTaskSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('climb'), campaignId: z.string(), customerId: z.string(), touch: z.number().int() }),
  z.strictObject({
    action: z.literal('plan-confirmation'),
    campaignId: z.string(),
    customerId: z.string(),
    touch: z.number().int(),
  }),
  z.strictObject({
    action: z.literal('read-confirmation'),
    campaignId: z.string(),
    customerId: z.string(),
    touch: z.number().int(),
    confirmTouch: z.number().int().min(1),
  }),
  z.strictObject({
    action: z.literal('close-unconfirmed'),
    campaignId: z.string(),
    customerId: z.string(),
    touch: z.number().int(),
  }),
  z.strictObject({ action: z.literal('leave-open'), campaignId: z.string(), customerId: z.string(), touch: z.number().int() }),
]);
export type TicketTask = z.infer<typeof ticketTaskSchema>;

const keyOf = (task: TicketTask): TouchKey => ({ campaignId: task.campaignId, customerId: task.customerId, touch: task.touch });

async function loadTicket(deps: Pick<Deps<TicketStores>, 'repo'>, key: TouchKey): Promise<TicketRecord> {
  const ticket = await deps.repo.getTicket(key);
  if (!ticket) throw new Error(`ticket ${key.customerId}#${key.touch} of campaign ${key.campaignId} does not exist`);
  return ticket;
}

/**
 * The owner let the acknowledgement deadline pass: the ticket is breached and goes one step up the chain
 * (account manager -> department head -> executive), with a fresh deadline and an e-mail to the next
 * owner. The conditional update on the level makes each step happen once; at the top, nobody is left.
 */
export async function climbTicket(deps: TicketDeps, key: TouchKey): Promise<TicketStep> {
  const ticket = await loadTicket(deps, key);
  const { campaign } = await loadCampaign(deps.repo, key.campaignId);
  const now = deps.clock.now();
  if (ticket.status !== 'open' && ticket.status !== 'reopened') return stepOf(deps.repo, ticket, campaign, now);
  const next = ticket.level + 1;
  if (next >= ticket.chain.length) {
    const top = await deps.repo.updateTicket(key, { from: ['open', 'reopened'], level: ticket.level }, { breached: true });
    return { ...stepOf(deps.repo, top ?? ticket, campaign, now), exhausted: true };
  }
  const owner = ticket.chain[next] ?? ticket.owner;
  const updated = await deps.repo.updateTicket(
    key,
    { from: ['open', 'reopened'], level: ticket.level },
    {
      level: next,
      owner,
      breached: true,
      respondBy: new Date(now.getTime() + campaign.sla[ticket.severity].respondHours * HOUR_MS).toISOString(),
      climbs: [...ticket.climbs, { level: next, to: owner, at: now.toISOString() }],
    },
  );
  if (!updated) return stepOf(deps.repo, (await deps.repo.getTicket(key)) ?? ticket, campaign, now);
  const missed = ticket.chain[ticket.level] ?? ticket.owner;
  await mailOwner(
    deps,
    updated,
    `SLA missed: ${missed} did not acknowledge this ${ticket.severity} ticket in time. / ${missed} 未在时限内受理此工单。`,
  );
  return stepOf(deps.repo, updated, campaign, now);
}

/** Sends the owner the new ticket's e-mail (called by escalate.ts once the e-mail is claimed). */
export function mailNewTicket(deps: TicketDeps, ticket: TicketRecord): Promise<string> {
  return mailOwner(
    deps,
    ticket,
    `New ${ticket.severity} ticket from a follow-up reply. / 回访反馈产生了新的 ${ticket.severity} 级工单。`,
  );
}

export type TicketAction = 'acknowledge' | 'resolve';

/**
 * A manager acknowledges or resolves a ticket (the signed link in their e-mail): the ticket changes once
 * and the step of the state machine that waits for it resumes. Returns null when the ticket was past
 * that point already.
 */
export async function actOnTicket(
  deps: Pick<Deps<TicketStores>, 'repo' | 'clock' | 'callback'>,
  key: TouchKey,
  action: TicketAction,
): Promise<TicketRecord | null> {
  const now = deps.clock.now().toISOString();
  const current = await deps.repo.getTicket(key);
  if (!current) return null;
  const updated =
    action === 'acknowledge'
      ? await deps.repo.updateTicket(key, { from: ['open', 'reopened'] }, { status: 'acknowledged', acknowledgedAt: now })
      : await deps.repo.updateTicket(
          key,
          { from: ['open', 'acknowledged', 'reopened'] },
          { status: 'resolved', resolvedAt: now, acknowledgedAt: current.acknowledgedAt ?? now },
        );
  if (!updated) return null;
  if (updated.taskToken) await deps.callback.succeed(updated.taskToken, { action: updated.status });
  return updated;
}

/**
 * Plans the confirmation of rulebook section 5: ask the customer whether the problem is solved within
 * `confirmWithinDays` of the fix, inside their contact window, on the channel they answered on. A
 * service message the customer waits for: the frequency cap does not hold it back.
 */
export async function planConfirmation(
  deps: Pick<Deps<TicketStores>, 'repo' | 'clock'>,
  key: TouchKey,
): Promise<{ skip: string | null; touch: number; channel: Channel; sendAt: string }> {
  const ticket = await loadTicket(deps, key);
  const { campaign } = await loadCampaign(deps.repo, key.campaignId);
  const customer = await loadCustomer(deps.repo, key.campaignId, key.customerId);
  const lifecycle = await loadLifecycle(deps.repo, key.campaignId, key.customerId);
  const answered = await deps.repo.getTouch(key);
  const now = deps.clock.now();
  const reachable: Channel[] = [];
  for (const channel of [answered?.channel ?? 'sms', ...lifecycle.channels] as Channel[]) {
    const address = addressOf(customer, channel);
    if (!address || reachable.includes(channel) || (await deps.repo.isSuppressed(channel, address))) continue;
    reachable.push(channel);
  }
  // The campaign's last day does not stop it: an issue is followed to its close.
  const at = nextSendTime(now, customer.timeZone, followUpRulesOf(campaign));
  const sendAt = at?.toISO({ suppressMilliseconds: true }) ?? now.toISOString();
  // A re-run (or a resumed local run) finds the question already asked for this fix: ask nothing twice.
  // Its Contact finds the claim (or sends a released one) in the window: at the window's next instant, not
  // now, or a question held up past the window would be planned for "now" again and again.
  const asked = await deps.repo.getTouch({ ...key, touch: lifecycle.next.touch });
  if (asked?.asks === 'confirm' && asked.repliedAt === undefined && ticket.resolvedAt && asked.claimedAt >= ticket.resolvedAt) {
    return { skip: null, touch: asked.touch, channel: asked.channel, sendAt };
  }
  const touch = lifecycle.next.touch + 1;
  const channel = reachable[0] ?? 'sms';
  const resolvedAt = Date.parse(ticket.resolvedAt ?? now.toISOString());
  const latest = resolvedAt + campaign.confirmWithinDays * 24 * HOUR_MS;
  const skip =
    reachable.length === 0
      ? 'the customer can no longer be reached'
      : at === null || at.toMillis() > latest
        ? `no contact window within ${campaign.confirmWithinDays} days of the fix`
        : null;
  if (!skip) await deps.repo.updateLifecycle(key.campaignId, key.customerId, { next: { touch, channel, sendAt, last: true } });
  return { skip, touch, channel, sendAt };
}

/**
 * The customer's answer to the confirmation: 1 (or a positive text) closes the ticket as solved; 2 (or
 * anything else) reopens it at the bottom of the chain with a fresh deadline and tells the owner.
 */
export async function readConfirmation(deps: TicketDeps, key: TouchKey, confirmTouch: number): Promise<TicketStep> {
  const ticket = await loadTicket(deps, key);
  const { campaign } = await loadCampaign(deps.repo, key.campaignId);
  const now = deps.clock.now();
  const reply = (await deps.repo.getTouch({ ...key, touch: confirmTouch }))?.reply;
  const solved =
    reply?.kind === 'score' || reply?.kind === 'survey'
      ? Number(reply.value) === 1
      : reply?.kind === 'text'
        ? analyzeText(String(reply.value)).sentiment === 'positive'
        : false;
  if (solved || reply?.kind === 'optout') {
    const closed = await deps.repo.updateTicket(
      key,
      { from: ['resolved'] },
      { status: 'closed', closedAt: now.toISOString(), confirmation: solved ? 'solved' : 'no-answer' },
    );
    return stepOf(deps.repo, closed ?? ticket, campaign, now);
  }
  const owner = ticket.chain[0] ?? ticket.owner;
  const reopened = await deps.repo.updateTicket(
    key,
    { from: ['resolved'] },
    {
      status: 'reopened',
      confirmation: 'not-solved',
      reopened: ticket.reopened + 1,
      level: 0,
      owner,
      resolvedAt: null,
      respondBy: new Date(now.getTime() + campaign.sla[ticket.severity].respondHours * HOUR_MS).toISOString(),
    },
  );
  if (!reopened) return stepOf(deps.repo, ticket, campaign, now);
  await mailOwner(
    deps,
    reopened,
    'The customer says the problem is not solved: the ticket is open again. / 客户反馈问题仍未解决，工单已重新打开。',
  );
  return stepOf(deps.repo, reopened, campaign, now);
}

/** Nobody answered the confirmation in time: the ticket closes as fixed but unconfirmed. */
async function closeUnconfirmed(deps: Pick<Deps<TicketStores>, 'repo' | 'clock'>, key: TouchKey): Promise<TicketStep> {
  const { campaign } = await loadCampaign(deps.repo, key.campaignId);
  const now = deps.clock.now();
  const closed = await deps.repo.updateTicket(
    key,
    { from: ['resolved'] },
    { status: 'closed', closedAt: now.toISOString(), confirmation: 'no-answer' },
  );
  return stepOf(deps.repo, closed ?? (await loadTicket(deps, key)), campaign, now);
}

/** The ticket was not resolved within its severity's resolution time: it stays open, breached, for the report. */
async function leaveOpen(deps: Pick<Deps<TicketStores>, 'repo' | 'clock'>, key: TouchKey): Promise<TicketStep> {
  const { campaign } = await loadCampaign(deps.repo, key.campaignId);
  const updated = await deps.repo.updateTicket(key, { from: ['open', 'acknowledged', 'reopened'] }, { breached: true });
  return stepOf(deps.repo, updated ?? (await loadTicket(deps, key)), campaign, deps.clock.now());
}

export async function runTicketTask(deps: TicketDeps, task: TicketTask) {
  switch (task.action) {
    case 'climb':
      return climbTicket(deps, keyOf(task));
    case 'plan-confirmation':
      return planConfirmation(deps, keyOf(task));
    case 'read-confirmation':
      return readConfirmation(deps, keyOf(task), task.confirmTouch);
    case 'close-unconfirmed':
      return closeUnconfirmed(deps, keyOf(task));
    case 'leave-open':
      return leaveOpen(deps, keyOf(task));
  }
}
