import type { EscalationRecord, LifecycleRecord, ReplyRecord, TicketRecord, TouchRecord } from '../../functions/core/records.js';
import type { ReportInput } from '../../functions/core/report.js';
import { CAMPAIGN_ID, campaignOf, HOUR_MS, lifecycleOf, NOW, sentTouchOf } from './fixtures.js';

const GENERATED_AT = new Date('2027-01-21T00:00:00.000Z');
export const at = (hoursAfterNow: number): string => new Date(Date.parse(NOW) + hoursAfterNow * HOUR_MS).toISOString();

export function inputOf(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    campaign: campaignOf(),
    lifecycles: [],
    touches: [],
    replies: [],
    escalations: [],
    tickets: [],
    generatedAt: GENERATED_AT,
    ...overrides,
  };
}

function replyOf(overrides: Partial<ReplyRecord> = {}): ReplyRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    replyId: 'r-1',
    channel: 'sms',
    receivedAt: at(1),
    kind: 'optout',
    value: 'TD',
    touch: 1,
    late: false,
    duplicate: false,
    resumed: true,
    ...overrides,
  };
}

function ticketOf(overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    severity: 'B',
    category: 'service',
    reason: 'low CSAT (2/5)',
    owner: 'li.na@example.com',
    chain: ['li.na@example.com'],
    level: 0,
    status: 'open',
    createdAt: at(2),
    respondBy: at(26),
    acknowledgedAt: null,
    resolvedAt: null,
    closedAt: null,
    breached: false,
    climbs: [],
    confirmation: null,
    reopened: 0,
    replyText: null,
    score: null,
    ...overrides,
  };
}

function escalationOf(overrides: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    kind: 'escalation',
    owner: 'li.na@example.com',
    reason: 'low CSAT (2/5)',
    status: 'sent',
    messageId: 'ses-1',
    createdAt: at(2),
    ...overrides,
  };
}

/**
 * Ten customers covering every definition:
 * - D1 diamond/core, sms, replied in time, CSAT 5, NPS 10
 * - D2 diamond/churn-warning, email then sms, replied after the deadline, CSAT 2, NPS 3
 * - G1 gold/active, sms claimed (possibly sent, no message id), no reply
 * - G2 gold/active, email, replied in time without a reply deadline (48 h rule), opted out
 * - S1 silver/potential, sms, replied exactly at the deadline, CSAT 4, NPS 8
 * - S2 silver/new, only a released touch (not contacted), skipped
 * - B1 basic/dormant, sms, no reply (no-response)
 * - B2 basic/lost, never touched
 * - B3 basic/lost, email, no reply (no-response), a duplicate opt-out
 * - S3 silver/active, email, replied 49 h after the send with no deadline
 */
export function dataset(): ReportInput {
  const lifecycles: LifecycleRecord[] = [
    lifecycleOf({ customerId: 'D1', tier: 'diamond', segment: 'core', csat: 5, nps: 10, status: 'replied', outcome: 'replied' }),
    lifecycleOf({ customerId: 'D2', tier: 'diamond', segment: 'churn-warning', csat: 2, nps: 3, status: 'escalated' }),
    lifecycleOf({ customerId: 'G1', tier: 'gold', segment: 'active', status: 'contacted' }),
    lifecycleOf({ customerId: 'G2', tier: 'gold', segment: 'active', status: 'opted-out', outcome: 'opted-out' }),
    lifecycleOf({ customerId: 'S1', tier: 'silver', segment: 'potential', csat: 4, nps: 8, status: 'replied' }),
    lifecycleOf({ customerId: 'S2', tier: 'silver', segment: 'new', status: 'skipped', skip: 'frequency cap' }),
    lifecycleOf({ customerId: 'B1', tier: 'basic', segment: 'dormant', status: 'no-response', outcome: 'no-response' }),
    lifecycleOf({ customerId: 'B2', tier: 'basic', segment: 'lost' }),
    lifecycleOf({ customerId: 'B3', tier: 'basic', segment: 'lost', status: 'no-response', outcome: 'no-response' }),
    lifecycleOf({ customerId: 'S3', tier: 'silver', segment: 'active', status: 'replied', outcome: 'replied' }),
  ];
  const touches: TouchRecord[] = [
    sentTouchOf({ customerId: 'D1', status: 'replied', repliedAt: at(3) }),
    sentTouchOf({ customerId: 'D2', touch: 2, channel: 'sms', sentAt: at(50), replyDeadline: at(98), messageId: 'm-d2-2' }),
    sentTouchOf({ customerId: 'D2', channel: 'email', status: 'replied', repliedAt: at(49), messageId: 'm-d2-1' }),
    sentTouchOf({ customerId: 'G1', status: 'claimed', sentAt: null, messageId: null, replyDeadline: null }),
    sentTouchOf({ customerId: 'G2', channel: 'email', replyDeadline: null, status: 'replied', repliedAt: at(47) }),
    sentTouchOf({ customerId: 'S1', status: 'replied', repliedAt: at(48) }),
    sentTouchOf({ customerId: 'S2', status: 'released', sentAt: null, messageId: null, replyDeadline: null }),
    sentTouchOf({ customerId: 'B1', status: 'unanswered' }),
    sentTouchOf({ customerId: 'B3', channel: 'email', status: 'unanswered' }),
    sentTouchOf({ customerId: 'S3', channel: 'email', replyDeadline: null, status: 'replied', repliedAt: at(49) }),
  ];
  const replies: ReplyRecord[] = [
    replyOf({ customerId: 'G2', replyId: 'r-g2', channel: 'email' }),
    replyOf({ customerId: 'B3', replyId: 'r-b3', duplicate: true }),
    replyOf({ customerId: 'D1', replyId: 'r-d1', kind: 'score', value: 5 }),
  ];
  const tickets: TicketRecord[] = [
    ticketOf({ customerId: 'D2', severity: 'A', category: 'contract-dispute', status: 'open', breached: true }),
    ticketOf({ customerId: 'D2', severity: 'B', category: 'logistics', status: 'resolved' }),
    ticketOf({ customerId: 'S1', severity: 'B', category: null, status: 'closed', breached: true }),
    ticketOf({ customerId: 'B1', severity: 'C', category: 'service', status: 'reopened' }),
  ];
  const escalations: EscalationRecord[] = [
    escalationOf({ customerId: 'D2' }),
    escalationOf({ customerId: 'D1', kind: 'account-manager-task', touch: 0 }),
    escalationOf({ customerId: 'S1', status: 'claimed', messageId: null }),
  ];
  return inputOf({ lifecycles, touches, replies, tickets, escalations });
}
