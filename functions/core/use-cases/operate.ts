import { CampaignNotPausedError, InvalidInputError } from '../errors.js';
import type { CampaignStore, ExecutionState, LifecycleStore, TicketStore, TouchStore, WorkflowControl } from '../ports/index.js';
import type { LifecycleRecord, TouchRecord } from '../records.js';
import { type Campaign, CHANNELS, TIERS } from '../schemas.js';
import type { Deps } from './deps.js';
import { loadCampaign } from './load.js';

type OperateStores = CampaignStore & LifecycleStore & TouchStore & TicketStore;
type OperateDeps = Pick<Deps<OperateStores>, 'repo' | 'clock' | 'callback'>;

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
 * Cancels a campaign: no more sends (Contact refuses), the launch stops starting lifecycles, every
 * lifecycle still in progress is stopped and recorded as cancelled with the reason; finished ones keep
 * their outcome. Open tickets stay open: the
 * issues they track are real whether or not the campaign goes on.
 */
export async function cancelCampaign(
  deps: OperateDeps & { control: WorkflowControl },
  campaignId: string,
  reason: string,
): Promise<OperateResult> {
  const at = deps.clock.now().toISOString();
  const record = await loadCampaign(deps.repo, campaignId);
  const changed = await deps.repo.setCampaignStatus(campaignId, ['importing', 'running', 'paused'], 'cancelled', reason, at);
  // The launch first: it would go on starting the lifecycles of the days to come.
  if (record.launch) await deps.control.stopExecution(record.launch.executionArn, `campaign cancelled: ${reason}`);
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

/**
 * Settings the Plan step reads when it plans a customer: a change reaches customers not planned yet.
 * Everything else is read when a touch is sent (templates, windows, rates, survey, SLA, escalation chain).
 */
export const PLAN_TIME_SETTINGS = [
  'tiers',
  'segments',
  'segmentation',
  'maxTouches',
  'execution',
  'frequencyCap',
  'defaultTimeZone',
  'defaultRegion',
] as const satisfies readonly (keyof Campaign)[];

export interface UpdateResult {
  /** Top-level settings that differ from the stored ones. */
  changed: (keyof Campaign)[];
  /** The changed settings that only reach customers whose lifecycle has not been planned yet. */
  planTime: (keyof Campaign)[];
}

/**
 * `revisit update`: replaces a paused campaign's settings (templates, windows, rates...), checked like a
 * new campaign. Every touch not sent yet goes out with them once the campaign resumes: Contact reads
 * the campaign at send time.
 * 1. the campaign must exist under the same id and be paused (a change must not reach half the sends);
 * 2. store the new settings with a write conditional on the status still being paused;
 * 3. report which settings changed, and which of them apply only to customers not planned yet.
 */
export async function updateCampaignSettings(
  deps: Pick<Deps<OperateStores>, 'repo' | 'clock'>,
  campaignId: string,
  campaign: Campaign,
): Promise<UpdateResult> {
  if (campaign.id !== campaignId) {
    throw new InvalidInputError(`the campaign file is for ${campaign.id}, not ${campaignId}: a campaign keeps its id`);
  }
  const record = await loadCampaign(deps.repo, campaignId);
  const notPaused = () =>
    new CampaignNotPausedError(
      `campaign ${campaignId} is ${record.status}: pause it first (revisit pause ${campaignId}), so that no send goes out half-way through the change`,
    );
  if (record.status !== 'paused') throw notPaused();
  const before = record.campaign as Record<string, unknown>;
  const after = campaign as Record<string, unknown>;
  const changed = (Object.keys(after) as (keyof Campaign)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  if (changed.length === 0) return { changed, planTime: [] };
  const stored = await deps.repo.updateCampaign(campaignId, { campaign, settingsUpdatedAt: deps.clock.now().toISOString() }, [
    'paused',
  ]);
  if (!stored) throw notPaused();
  return { changed, planTime: changed.filter((key) => (PLAN_TIME_SETTINGS as readonly string[]).includes(key)) };
}

/** Where a lifecycle is, in the order it gets there (rulebook flow: plan, contact, await, evaluate, escalate). */
export const LIFECYCLE_STATES = [
  'planned',
  'waiting for send window',
  'holding (paused)',
  'sent',
  'awaiting reply',
  'replied',
  'escalated',
  'finished',
  'failed',
  'cancelled',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** One row of the status table: a state's lifecycles, in all and by channel (of the touch in hand) and tier. */
export type StateCounts = { total: number } & Record<(typeof CHANNELS)[number] | (typeof TIERS)[number], number>;

export interface CampaignStatus {
  campaignId: string;
  status: string;
  statusReason: string | null;
  customers: number;
  /** The launch execution (the fan-out that starts every lifecycle), from DescribeExecution. */
  launch: (ExecutionState & { executionArn: string }) | null;
  /** Lifecycles by where they are, each split by channel and tier; every state is present. */
  byState: Record<LifecycleState, StateCounts>;
  /** Lifecycles not ended yet (planned and every state before finished, failed or cancelled). */
  inFlight: number;
  /** Finished lifecycles by outcome: replied, no-response, opted-out, suppressed, skipped... */
  finishedBy: Record<string, number>;
  /** Messages sent to customers, by channel. */
  sentByChannel: Record<(typeof CHANNELS)[number], number>;
  /** Lifecycles by tier. */
  byTier: Record<string, number>;
  /** Touches sent in the last minute, per second. */
  sendRatePerSecond: number;
  slaBreaches: number;
  /** Failed lifecycles grouped by reason, most frequent first, with a few of the customers. */
  failures: { reason: string; count: number; customerIds: string[] }[];
  settingsUpdatedAt: string | null;
}

const emptyCounts = (): StateCounts =>
  ({ total: 0, ...Object.fromEntries([...CHANNELS, ...TIERS].map((k) => [k, 0])) }) as StateCounts;

/** Where one lifecycle is, from its record, its newest touch and whether a ticket of its is still open. */
export function lifecycleStateOf(
  lifecycle: LifecycleRecord,
  newestTouch: TouchRecord | undefined,
  ticketOpen: boolean,
): LifecycleState {
  if (lifecycle.status === 'failed') return 'failed';
  if (lifecycle.status === 'cancelled') return 'cancelled';
  if (lifecycle.pausedToken) return 'holding (paused)';
  if (ticketOpen) return 'escalated';
  if (lifecycle.finishedAt || lifecycle.status === 'skipped' || lifecycle.status === 'suppressed') return 'finished';
  switch (newestTouch?.status) {
    case 'claimed':
    case 'sent':
      return 'sent';
    case 'awaiting-reply':
      return 'awaiting reply';
    case 'replied':
      return 'replied';
    default:
      return 'waiting for send window';
  }
}

/**
 * `revisit status`: where every lifecycle of a campaign is, read from the table (and the launch execution
 * from Step Functions): by state, channel and tier, the send rate of the last minute, SLA breaches and
 * failures by reason.
 */
export async function campaignStatus(
  deps: Pick<Deps<OperateStores>, 'repo' | 'clock'> & { control?: Pick<WorkflowControl, 'describeExecution'> },
  campaignId: string,
): Promise<CampaignStatus> {
  const record = await loadCampaign(deps.repo, campaignId);
  const [lifecycles, touches, tickets, launch] = await Promise.all([
    deps.repo.listLifecycles(campaignId),
    deps.repo.listTouches(campaignId),
    deps.repo.listTickets(campaignId),
    record.launch && deps.control ? deps.control.describeExecution(record.launch.executionArn) : Promise.resolve(null),
  ]);
  const now = deps.clock.now().getTime();
  const newest = new Map<string, TouchRecord>();
  for (const t of touches) {
    const seen = newest.get(t.customerId);
    if (!seen || t.touch > seen.touch) newest.set(t.customerId, t);
  }
  const openTickets = new Set(tickets.filter((t) => t.status !== 'closed').map((t) => t.customerId));
  const byState = Object.fromEntries(LIFECYCLE_STATES.map((s) => [s, emptyCounts()])) as Record<LifecycleState, StateCounts>;
  const finishedBy: Record<string, number> = {};
  const byTier: Record<string, number> = {};
  const failures = new Map<string, string[]>();
  for (const l of lifecycles) {
    const touch = newest.get(l.customerId);
    const state = lifecycleStateOf(l, touch, openTickets.has(l.customerId));
    const row = byState[state];
    row.total++;
    row[touch?.channel ?? l.next.channel]++;
    row[l.tier]++;
    byTier[l.tier] = (byTier[l.tier] ?? 0) + 1;
    if (state === 'finished') {
      const outcome = l.outcome ?? l.status;
      finishedBy[outcome] = (finishedBy[outcome] ?? 0) + 1;
    }
    if (state === 'failed') {
      const reason = l.failure ?? 'unknown';
      failures.set(reason, [...(failures.get(reason) ?? []), l.customerId]);
    }
  }
  // Customers the fan-out has not reached yet have no lifecycle record: they are planned.
  byState.planned.total = Math.max(0, record.customerCount - lifecycles.length);
  const sent = touches.filter((t) => t.sentAt !== null);
  const ago = (at: string) => now - Date.parse(at);
  const lastMinute = sent.filter((t) => ago(t.sentAt as string) >= 0 && ago(t.sentAt as string) <= 60_000).length;
  return {
    campaignId,
    status: record.status,
    statusReason: record.statusReason ?? null,
    customers: record.customerCount,
    launch: launch && record.launch ? { executionArn: record.launch.executionArn, ...launch } : null,
    byState,
    inFlight: LIFECYCLE_STATES.filter((s) => !['finished', 'failed', 'cancelled'].includes(s)).reduce(
      (sum, s) => sum + byState[s].total,
      0,
    ),
    finishedBy,
    sentByChannel: {
      sms: sent.filter((t) => t.channel === 'sms').length,
      email: sent.filter((t) => t.channel === 'email').length,
    },
    byTier,
    sendRatePerSecond: Math.round((lastMinute / 60) * 100) / 100,
    slaBreaches: tickets.filter((t) => t.breached).length,
    failures: [...failures]
      .map(([reason, ids]) => ({ reason, count: ids.length, customerIds: ids.slice(0, 5) }))
      .sort((a, b) => b.count - a.count),
    settingsUpdatedAt: record.settingsUpdatedAt ?? null,
  };
}
