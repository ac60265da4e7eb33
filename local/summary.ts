import { csatOf, npsOf, share } from '../functions/core/measures.js';
import type { CampaignRepository } from '../functions/core/ports/index.js';
import { listCampaignRecords } from '../functions/core/use-cases/load.js';

export interface CampaignSummary {
  campaignId: string;
  customers: number;
  rejectedRows: number;
  planned: number;
  skipped: number;
  contacted: number;
  messages: { sms: number; email: number; smsSegments: number };
  replied: number;
  /** replied / contacted */
  responseRate: number | null;
  /** Share of CSAT answers that are 4 or 5 (rulebook section 5). */
  csat: number | null;
  csatAnswers: number;
  /** %promoters (9-10) - %detractors (0-6), from survey answers that gave a recommendation score. */
  nps: number | null;
  npsAnswers: number;
  escalations: number;
  /** Call/visit tasks e-mailed to account managers for core and churn-warning customers. */
  accountManagerTasks: number;
  optOuts: number;
  noResponse: number;
  suppressed: number;
  failed: number;
  replies: { total: number; late: number; duplicate: number; unmatched: number };
  /** Rulebook section 5: tickets still open (open, acknowledged, reopened), resolved (resolved, closed), breached an SLA. */
  tickets: { open: number; resolved: number; breached: number };
  bySeverity: Record<'A' | 'B' | 'C', { open: number; resolved: number; breached: number }>;
  byTier: Record<string, { customers: number; contacted: number; replied: number }>;
  bySegment: Record<string, { customers: number; contacted: number; replied: number }>;
}

/** The campaign's results, read back from the table: the records are the truth, not the run's memory. */
export async function summarize(
  repo: CampaignRepository,
  campaignId: string,
  imported: { customers: number; rejectedRows: number },
  extra: { smsSegments?: number } = {},
): Promise<CampaignSummary> {
  const { lifecycles, touches, replies, escalations, tickets } = await listCampaignRecords(repo, campaignId);
  const ticketCounts = (list: typeof tickets) => ({
    open: list.filter((t) => t.status === 'open' || t.status === 'acknowledged' || t.status === 'reopened').length,
    resolved: list.filter((t) => t.status === 'resolved' || t.status === 'closed').length,
    breached: list.filter((t) => t.breached).length,
  });
  const sent = touches.filter((t) => t.messageId !== null || t.status === 'claimed');
  const contactedIds = new Set(sent.map((t) => t.customerId));
  const repliedIds = new Set(touches.filter((t) => t.repliedAt !== undefined).map((t) => t.customerId));
  const scores = lifecycles.map((l) => l.csat).filter((c): c is number => c !== null);
  const npsScores = lifecycles.map((l) => l.nps).filter((n): n is number => n !== null);
  const optOutReplies = replies.filter((r) => r.kind === 'optout' && !r.duplicate).length;
  const group = (key: 'tier' | 'segment') => {
    const out: CampaignSummary['byTier'] = {};
    for (const l of lifecycles) {
      const bucket = out[l[key]] ?? { customers: 0, contacted: 0, replied: 0 };
      out[l[key]] = bucket;
      bucket.customers++;
      if (contactedIds.has(l.customerId)) bucket.contacted++;
      if (repliedIds.has(l.customerId)) bucket.replied++;
    }
    return out;
  };
  return {
    campaignId,
    customers: imported.customers,
    rejectedRows: imported.rejectedRows,
    planned: lifecycles.length,
    skipped: lifecycles.filter((l) => l.status === 'skipped').length,
    contacted: contactedIds.size,
    messages: {
      sms: sent.filter((t) => t.channel === 'sms').length,
      email: sent.filter((t) => t.channel === 'email').length,
      smsSegments: extra.smsSegments ?? 0,
    },
    replied: repliedIds.size,
    responseRate: share(repliedIds.size, contactedIds.size),
    csat: csatOf(scores),
    csatAnswers: scores.length,
    nps: npsOf(npsScores),
    npsAnswers: npsScores.length,
    escalations: escalations.filter((e) => e.kind === 'escalation' && e.status === 'sent').length,
    accountManagerTasks: escalations.filter((e) => e.kind === 'account-manager-task' && e.status === 'sent').length,
    optOuts: optOutReplies,
    noResponse: lifecycles.filter((l) => l.outcome === 'no-response').length,
    suppressed: lifecycles.filter((l) => l.status === 'suppressed').length,
    failed: lifecycles.filter((l) => l.status === 'failed').length,
    replies: {
      total: replies.length,
      late: replies.filter((r) => r.late).length,
      duplicate: replies.filter((r) => r.duplicate).length,
      unmatched: replies.filter((r) => r.touch === null).length,
    },
    tickets: ticketCounts(tickets),
    bySeverity: {
      A: ticketCounts(tickets.filter((t) => t.severity === 'A')),
      B: ticketCounts(tickets.filter((t) => t.severity === 'B')),
      C: ticketCounts(tickets.filter((t) => t.severity === 'C')),
    },
    byTier: group('tier'),
    bySegment: group('segment'),
  };
}
