import { stringify } from 'csv-stringify/sync';
import { csatOf, npsOf, share } from './measures.js';
import {
  COMPLAINT_CATEGORIES,
  type ComplaintCategory,
  type EscalationRecord,
  type LifecycleRecord,
  type ReplyRecord,
  SEVERITIES,
  type Severity,
  TICKET_STATUSES,
  type TicketRecord,
  type TouchRecord,
} from './records.js';
import { type Campaign, CHANNELS, type Channel, type Kpis, SEGMENTS, type Segment, TIERS, type Tier } from './schemas.js';

/** The campaign report of rulebook section 6: what `report.json` holds. Shares are 0-1, NPS -100..100. */
export interface CampaignReport {
  campaign: { id: string; name: string };
  generatedAt: string;
  totals: GroupMetrics;
  byTier: GroupRow<Tier>[];
  bySegment: GroupRow<Segment>[];
  /** By the channel of the customer's first touch; `none` for customers never touched. */
  byChannel: GroupRow<Channel | 'none'>[];
  tickets: TicketSummary;
  kpis: KpiRow[];
  /** Lifecycles that ended without an answer (outcome `no-response`). */
  noResponse: { total: number; byTier: Record<Tier, number> };
  /** Escalation e-mails sent about replies. */
  escalations: number;
  /** Call/visit tasks e-mailed to account managers with the first touch. */
  accountManagerTasks: number;
  /** How the figures were measured, and what they cannot show. */
  notes: string[];
}

export interface GroupMetrics {
  /** Customers with a lifecycle. */
  planned: number;
  /** Customers with a touch sent (or claimed: possibly sent). */
  contacted: number;
  /** contacted / planned */
  followUpRate: number | null;
  /** Contacted customers with a message id from the provider. */
  reached: number;
  /** reached / contacted */
  reachRate: number | null;
  /** Contacted customers who replied to a touch before its reply deadline (48 h). */
  responded: number;
  /** responded / contacted */
  responseRate: number | null;
  /** Share of CSAT answers that are 4 or 5. */
  csat: number | null;
  csatAnswers: number;
  /** %promoters (9-10) - %detractors (0-6), one decimal. */
  nps: number | null;
  npsAnswers: number;
  /** Opt-out replies, duplicates left out. */
  optOuts: number;
  /** optOuts / contacted */
  optOutRate: number | null;
}

export type GroupRow<K extends string> = { key: K } & GroupMetrics;

export interface TicketCounts {
  raised: number;
  /** open, acknowledged or reopened */
  open: number;
  /** resolved or closed */
  resolved: number;
  /** Missed an SLA deadline. */
  breached: number;
}

export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketSummary extends TicketCounts {
  /** resolved / raised */
  resolutionRate: number | null;
  /** breached / raised */
  slaBreachRate: number | null;
  byCategory: Record<ComplaintCategory | 'uncategorised', number>;
  bySeverity: Record<Severity, TicketCounts & { byStatus: Record<TicketStatus, number> }>;
}

export type KpiKey = keyof Kpis;

export interface KpiRow {
  key: KpiKey;
  label: string;
  labelZh: string;
  baseline: number | null;
  target: number;
  current: number | null;
  /** See `achievementOf`. */
  achievement: number | null;
  better: 'higher' | 'lower';
}

export interface ReportInput {
  campaign: Campaign;
  lifecycles: LifecycleRecord[];
  touches: TouchRecord[];
  replies: ReplyRecord[];
  escalations: EscalationRecord[];
  tickets: TicketRecord[];
  generatedAt: Date;
}

export const KPI_DEFINITIONS: readonly { key: KpiKey; label: string; labelZh: string; better: 'higher' | 'lower' }[] = [
  { key: 'followUpRate', label: 'Follow-up rate', labelZh: '回访率', better: 'higher' },
  { key: 'reachRate', label: 'Reach rate', labelZh: '触达率', better: 'higher' },
  { key: 'responseRate', label: 'Response rate', labelZh: '回复率', better: 'higher' },
  { key: 'csat', label: 'CSAT', labelZh: '满意度', better: 'higher' },
  { key: 'nps', label: 'NPS', labelZh: '净推荐值', better: 'higher' },
  { key: 'resolutionRate', label: 'Resolution rate', labelZh: '问题解决率', better: 'higher' },
  { key: 'slaBreachRate', label: 'SLA breach rate', labelZh: 'SLA 超时率', better: 'lower' },
  { key: 'optOutRate', label: 'Opt-out rate', labelZh: '退订率', better: 'lower' },
];

/** The reply window when a touch has no reply deadline of its own (rulebook section 6: replies within 48 h). */
const RESPONSE_WINDOW_MS = 48 * 3600 * 1000;

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** One contacted touch (as in local/summary.ts): a message id, or still claimed and so possibly sent. */
const isContactTouch = (t: TouchRecord): boolean => t.messageId !== null || t.status === 'claimed';

/** A reply counts as a response when it came by the touch's reply deadline, else within 48 h of the send. */
function answeredOnTime(t: TouchRecord): boolean {
  if (t.repliedAt === undefined) return false;
  const deadline =
    t.replyDeadline !== null ? Date.parse(t.replyDeadline) : t.sentAt !== null ? Date.parse(t.sentAt) + RESPONSE_WINDOW_MS : NaN;
  return Date.parse(t.repliedAt) <= deadline;
}

/** What each customer did, read once from the records; every group and the totals are sums over these. */
interface CustomerFacts {
  lifecycle: LifecycleRecord;
  firstChannel: Channel | 'none';
  contacted: boolean;
  reached: boolean;
  responded: boolean;
  optOuts: number;
}

function customerFacts(input: ReportInput): CustomerFacts[] {
  // A fix's confirmation (rulebook section 5) is a touch too, but part of the closed loop, not the follow-up.
  const touchesOf = groupBy(
    input.touches.filter((t) => t.asks !== 'confirm'),
    (t) => t.customerId,
  );
  const optOutsOf = new Map<string, number>();
  for (const r of input.replies) {
    if (r.kind !== 'optout' || r.duplicate || r.customerId === null) continue;
    optOutsOf.set(r.customerId, (optOutsOf.get(r.customerId) ?? 0) + 1);
  }
  return input.lifecycles.map((lifecycle) => {
    const touches = [...(touchesOf.get(lifecycle.customerId) ?? [])].sort((a, b) => a.touch - b.touch);
    const contactTouches = touches.filter(isContactTouch);
    const contacted = contactTouches.length > 0;
    return {
      lifecycle,
      firstChannel: touches[0]?.channel ?? 'none',
      contacted,
      reached: contactTouches.some((t) => t.messageId !== null),
      responded: contacted && contactTouches.some(answeredOnTime),
      optOuts: optOutsOf.get(lifecycle.customerId) ?? 0,
    };
  });
}

/** The measures of rulebook section 6 for any set of customers: the totals and every group use this. */
function metricsOf(customers: readonly CustomerFacts[]): GroupMetrics {
  const planned = customers.length;
  const contacted = customers.filter((c) => c.contacted).length;
  const reached = customers.filter((c) => c.reached).length;
  const responded = customers.filter((c) => c.responded).length;
  const csatScores = customers.map((c) => c.lifecycle.csat).filter((s): s is number => s !== null);
  const npsScores = customers.map((c) => c.lifecycle.nps).filter((s): s is number => s !== null);
  const optOuts = customers.reduce((sum, c) => sum + c.optOuts, 0);
  return {
    planned,
    contacted,
    followUpRate: share(contacted, planned),
    reached,
    reachRate: share(reached, contacted),
    responded,
    responseRate: share(responded, contacted),
    csat: csatOf(csatScores),
    csatAnswers: csatScores.length,
    nps: npsOf(npsScores),
    npsAnswers: npsScores.length,
    optOuts,
    optOutRate: share(optOuts, contacted),
  };
}

function breakdown<K extends string>(
  customers: readonly CustomerFacts[],
  keys: readonly K[],
  keyOf: (c: CustomerFacts) => K,
): GroupRow<K>[] {
  const byKey = groupBy(customers, keyOf);
  return keys.map((key) => ({ key, ...metricsOf(byKey.get(key) ?? []) }));
}

function ticketCounts(tickets: readonly TicketRecord[]): TicketCounts {
  return {
    raised: tickets.length,
    open: tickets.filter((t) => t.status === 'open' || t.status === 'acknowledged' || t.status === 'reopened').length,
    resolved: tickets.filter((t) => t.status === 'resolved' || t.status === 'closed').length,
    breached: tickets.filter((t) => t.breached).length,
  };
}

export function ticketSummary(tickets: readonly TicketRecord[]): TicketSummary {
  const counts = ticketCounts(tickets);
  const byCategory = Object.fromEntries([...COMPLAINT_CATEGORIES, 'uncategorised'].map((c) => [c, 0])) as Record<
    ComplaintCategory | 'uncategorised',
    number
  >;
  for (const t of tickets) byCategory[t.category ?? 'uncategorised']++;
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => {
      const ofSeverity = tickets.filter((t) => t.severity === severity);
      const byStatus = Object.fromEntries(
        TICKET_STATUSES.map((status) => [status, ofSeverity.filter((t) => t.status === status).length]),
      ) as Record<TicketStatus, number>;
      return [severity, { ...ticketCounts(ofSeverity), byStatus }];
    }),
  ) as TicketSummary['bySeverity'];
  return {
    ...counts,
    resolutionRate: share(counts.resolved, counts.raised),
    slaBreachRate: share(counts.breached, counts.raised),
    byCategory,
    bySeverity,
  };
}

/**
 * How far a KPI is towards its target (1 = met), rounded to 4 decimals; null when it cannot be said.
 * - higher is better: current / target. A target of 0 or below gives null: a ratio to it means nothing
 *   (a negative NPS target would turn a better score into a lower achievement).
 * - lower is better: 1 when current <= target, else target / current (half the allowed breach rate
 *   exceeded twice over gives 0.5); a target of 0 that is missed gives 0.
 */
export function achievementOf(current: number | null, target: number | null, better: 'higher' | 'lower'): number | null {
  if (current === null || target === null) return null;
  if (better === 'higher') return target <= 0 ? null : round(current / target, 4);
  if (current <= target) return 1;
  return current > 0 ? round(Math.max(target, 0) / current, 4) : null;
}

/** Rulebook section 6: the campaign's results per tier, segment and channel, its tickets and its KPIs. */
export function buildReport(input: ReportInput): CampaignReport {
  const { campaign } = input;
  const customers = customerFacts(input);
  const totals = metricsOf(customers);
  const tickets = ticketSummary(input.tickets);
  const current: Record<KpiKey, number | null> = {
    followUpRate: totals.followUpRate,
    reachRate: totals.reachRate,
    responseRate: totals.responseRate,
    csat: totals.csat,
    nps: totals.nps,
    resolutionRate: tickets.resolutionRate,
    slaBreachRate: tickets.slaBreachRate,
    optOutRate: totals.optOutRate,
  };
  const kpis = KPI_DEFINITIONS.map((d): KpiRow => {
    const { baseline, target } = campaign.kpis[d.key];
    const value = current[d.key];
    return { ...d, baseline, target, current: value, achievement: achievementOf(value, target, d.better) };
  });
  const noResponseByTier = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  for (const l of input.lifecycles) if (l.outcome === 'no-response') noResponseByTier[l.tier]++;
  const known = new Set(input.lifecycles.map((l) => l.customerId));
  const unattributedOptOuts = input.replies.filter(
    (r) => r.kind === 'optout' && !r.duplicate && (r.customerId === null || !known.has(r.customerId)),
  ).length;
  return {
    campaign: { id: campaign.id, name: campaign.name },
    generatedAt: input.generatedAt.toISOString(),
    totals,
    byTier: breakdown(customers, TIERS, (c) => c.lifecycle.tier),
    bySegment: breakdown(customers, SEGMENTS, (c) => c.lifecycle.segment),
    byChannel: breakdown(customers, [...CHANNELS, 'none'], (c) => c.firstChannel),
    tickets,
    kpis,
    noResponse: { total: Object.values(noResponseByTier).reduce((a, b) => a + b, 0), byTier: noResponseByTier },
    escalations: input.escalations.filter((e) => e.kind === 'escalation' && e.status === 'sent').length,
    accountManagerTasks: input.escalations.filter((e) => e.kind === 'account-manager-task' && e.status === 'sent').length,
    notes: notesFor(unattributedOptOuts),
  };
}

function notesFor(unattributedOptOuts: number): string[] {
  const notes = [
    'Reach: there are no delivery receipts, so a contacted customer counts as reached when the provider accepted a message (it returned a message id).',
    "Contacted: a touch with a message id, or one still claimed (possibly sent); the confirmation sent after a ticket's fix does not count.",
    "Response: a reply by the touch's reply deadline, or within 48 h of the send when the touch has none.",
    "Channel: the channel of the customer's first touch; 'none' for customers never touched.",
    'CSAT: share of 4-5 answers. NPS: % promoters (9-10) minus % detractors (0-6).',
    'Rates are shares of 0-1 (shown as %), null when their denominator is 0 (n/a on the page, an empty cell in CSV). Win-backs and conversion need purchase data after the campaign and are not measured here.',
  ];
  if (unattributedOptOuts > 0) {
    notes.push(`${unattributedOptOuts} opt-out replies could not be matched to a customer of this campaign and are not counted.`);
  }
  return notes;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

const GROUP_COLUMNS = [
  'planned',
  'contacted',
  'followUpRate',
  'reached',
  'reachRate',
  'responded',
  'responseRate',
  'csat',
  'csatAnswers',
  'nps',
  'npsAnswers',
  'optOuts',
  'optOutRate',
] as const satisfies readonly (keyof GroupMetrics)[];

function groupCsv(dimension: string, rows: readonly GroupRow<string>[], totals: GroupMetrics): string {
  const all = [...rows, { key: 'total', ...totals }];
  return stringify(
    all.map((row) => [row.key, ...GROUP_COLUMNS.map((c) => row[c])]),
    { header: true, columns: [dimension, ...GROUP_COLUMNS] },
  );
}

/** The report as CSV files by name: one per breakdown, the KPIs, and tickets by severity and status. */
export function reportCsvFiles(report: CampaignReport): Record<string, string> {
  const kpiColumns = ['key', 'label', 'labelZh', 'better', 'baseline', 'target', 'current', 'achievement'] as const;
  const ticketRows = [
    ...SEVERITIES.map((severity) => ({ severity, ...report.tickets.bySeverity[severity] })),
    {
      severity: 'total',
      ...report.tickets,
      byStatus: Object.fromEntries(
        TICKET_STATUSES.map((s) => [s, SEVERITIES.reduce((sum, sev) => sum + report.tickets.bySeverity[sev].byStatus[s], 0)]),
      ) as Record<TicketStatus, number>,
    },
  ];
  return {
    'report-by-tier.csv': groupCsv('tier', report.byTier, report.totals),
    'report-by-segment.csv': groupCsv('segment', report.bySegment, report.totals),
    'report-by-channel.csv': groupCsv('channel', report.byChannel, report.totals),
    'report-kpis.csv': stringify(
      report.kpis.map((k) => kpiColumns.map((c) => k[c])),
      { header: true, columns: [...kpiColumns] },
    ),
    'report-tickets.csv': stringify(
      ticketRows.map((r) => [r.severity, r.raised, ...TICKET_STATUSES.map((s) => r.byStatus[s]), r.breached]),
      { header: true, columns: ['severity', 'raised', ...TICKET_STATUSES, 'breached'] },
    ),
  };
}
