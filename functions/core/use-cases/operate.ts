import type { WorkflowControl } from '../ports.js';
import type { LifecycleRecord } from '../records.js';
import type { Deps } from './deps.js';
import { loadCampaign } from './load.js';

type OperateDeps = Pick<Deps, 'repo' | 'clock' | 'callback'>;

export type OperateResult = { changed: boolean; status: string; lifecycles: number };

/**
 * Pauses a campaign: Contact checks the campaign's status before every send (and again after waiting for
 * its send slot), so no new message goes out from now on; lifecycles hold before their next send.
 * Replies are still recorded, tickets still followed, managers still e-mailed.
 */
export async function pauseCampaign(deps: OperateDeps, campaignId: string, reason: string | null): Promise<OperateResult> {
  await loadCampaign(deps.repo, campaignId);
  const changed = await deps.repo.setCampaignStatus(campaignId, ['running'], 'paused', reason, deps.clock.now().toISOString());
  return { changed, status: (await loadCampaign(deps.repo, campaignId)).status, lifecycles: 0 };
}

/**
 * Resumes a paused campaign: the status goes back to running and every lifecycle holding before its send
 * is woken (SendTaskSuccess on its parked token); each then sends its touch once, inside its window.
 * Templates and settings changed while paused apply to every touch not sent yet.
 */
export async function resumeCampaign(deps: OperateDeps, campaignId: string): Promise<OperateResult> {
  await loadCampaign(deps.repo, campaignId);
  const changed = await deps.repo.setCampaignStatus(campaignId, ['paused'], 'running', null, deps.clock.now().toISOString());
  let woken = 0;
  for (const lifecycle of await deps.repo.listLifecycles(campaignId)) {
    if (!lifecycle.pausedToken) continue;
    await deps.repo.updateLifecycle(campaignId, lifecycle.customerId, { pausedToken: null });
    if ((await deps.callback.succeed(lifecycle.pausedToken, { resumed: true })) === 'resumed') woken++;
  }
  return { changed, status: (await loadCampaign(deps.repo, campaignId)).status, lifecycles: woken };
}

/** A lifecycle still in progress: its execution may be running. */
export function isUnfinished(lifecycle: LifecycleRecord): boolean {
  return lifecycle.finishedAt === null && lifecycle.status !== 'failed' && lifecycle.status !== 'cancelled';
}

/**
 * Cancels a campaign: no more sends (Contact refuses), every lifecycle still in progress is stopped and
 * recorded as cancelled with the reason; finished ones keep their outcome. Open tickets stay open: the
 * issues they track are real whether or not the campaign goes on.
 */
export async function cancelCampaign(
  deps: OperateDeps & { control: WorkflowControl },
  campaignId: string,
  reason: string,
): Promise<OperateResult> {
  await loadCampaign(deps.repo, campaignId);
  const at = deps.clock.now().toISOString();
  const changed = await deps.repo.setCampaignStatus(campaignId, ['importing', 'running', 'paused'], 'cancelled', reason, at);
  let stopped = 0;
  for (const lifecycle of await deps.repo.listLifecycles(campaignId)) {
    if (!isUnfinished(lifecycle) && !lifecycle.escalated) continue;
    await deps.control.stopLifecycle(campaignId, lifecycle.customerId, `campaign cancelled: ${reason}`);
    if (isUnfinished(lifecycle)) {
      await deps.repo.updateLifecycle(campaignId, lifecycle.customerId, {
        status: 'cancelled',
        outcome: 'cancelled',
        failure: `campaign cancelled: ${reason}`,
        pausedToken: null,
        finishedAt: at,
      });
    }
    stopped++;
  }
  return { changed, status: (await loadCampaign(deps.repo, campaignId)).status, lifecycles: stopped };
}

export interface CampaignStatus {
  campaignId: string;
  status: string;
  statusReason: string | null;
  customers: number;
  /** Lifecycles by where they are: planned, holding (paused), awaiting reply, following a ticket, finished by outcome, failed. */
  byState: Record<string, number>;
  byChannel: Record<string, number>;
  byTier: Record<string, number>;
  /** Touches sent in the last minute, per second. */
  sendRatePerSecond: number;
  slaBreaches: number;
  failures: { customerId: string; reason: string }[];
}

/** `revisit status`: where every lifecycle of a campaign is, read from the table. */
export async function campaignStatus(deps: Pick<Deps, 'repo' | 'clock'>, campaignId: string): Promise<CampaignStatus> {
  const record = await loadCampaign(deps.repo, campaignId);
  const [lifecycles, touches, tickets] = await Promise.all([
    deps.repo.listLifecycles(campaignId),
    deps.repo.listTouches(campaignId),
    deps.repo.listTickets(campaignId),
  ]);
  const now = deps.clock.now().getTime();
  const awaiting = new Set(touches.filter((t) => t.status === 'awaiting-reply').map((t) => t.customerId));
  const openTickets = new Set(tickets.filter((t) => t.status !== 'closed').map((t) => t.customerId));
  const count = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  const byState: Record<string, number> = {};
  const byChannel: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  for (const l of lifecycles) {
    let state: string;
    if (l.status === 'failed' || l.status === 'cancelled' || l.status === 'skipped') state = l.status;
    else if (l.pausedToken) state = 'holding (paused)';
    else if (openTickets.has(l.customerId)) state = 'following a ticket';
    else if (l.finishedAt) state = `finished: ${l.outcome ?? l.status}`;
    else if (awaiting.has(l.customerId)) state = 'awaiting reply';
    else if (l.status === 'planned') state = 'waiting for send window';
    else state = 'sent, next touch planned';
    count(byState, state);
    count(byChannel, l.next.channel);
    count(byTier, l.tier);
  }
  const ago = (at: string) => now - Date.parse(at);
  const lastMinute = touches.filter((t) => t.sentAt !== null && ago(t.sentAt) >= 0 && ago(t.sentAt) <= 60_000).length;
  return {
    campaignId,
    status: record.status,
    statusReason: record.statusReason ?? null,
    customers: record.customerCount,
    byState,
    byChannel,
    byTier,
    sendRatePerSecond: Math.round((lastMinute / 60) * 100) / 100,
    slaBreaches: tickets.filter((t) => t.breached).length,
    failures: lifecycles
      .filter((l) => l.status === 'failed')
      .map((l) => ({ customerId: l.customerId, reason: l.failure ?? 'unknown' })),
  };
}
