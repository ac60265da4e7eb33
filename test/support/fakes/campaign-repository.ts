import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import { launchDayOf } from '../../../functions/core/campaign-phases.js';
import type {
  CampaignRepository,
  CustomerRecordsInCampaign,
  ReplySender,
  SuppressionEntry,
  TouchKey,
} from '../../../functions/core/ports/index.js';
import {
  type CampaignRecord,
  campaignRecordSchema,
  type EscalationRecord,
  escalationRecordSchema,
  type LifecycleRecord,
  lifecycleRecordSchema,
  type ReplyRecord,
  replyRecordSchema,
  type TicketRecord,
  type TouchRecord,
  type TouchReply,
  ticketRecordSchema,
  touchRecordSchema,
} from '../../../functions/core/records.js';
import { type Channel, type Customer, customerSchema } from '../../../functions/core/schemas.js';

/**
 * In-memory CampaignRepository for unit tests of the core. It keeps the conditional-write semantics of
 * the DynamoDB adapter (claim once, re-claim a released touch, first reply wins, one reply per replyId)
 * and parses every record with its schema when it is read, as the adapter does.
 */
export class InMemoryCampaignRepository implements CampaignRepository {
  readonly campaigns = new Map<string, CampaignRecord>();
  readonly customers = new Map<string, Map<string, Customer>>();
  readonly lifecycles = new Map<string, LifecycleRecord>();
  readonly touches = new Map<string, TouchRecord>();
  readonly replies = new Map<string, ReplyRecord>();
  readonly escalations = new Map<string, EscalationRecord>();
  readonly tickets = new Map<string, TicketRecord>();
  readonly suppressions = new Map<string, SuppressionEntry>();
  /** Who sent each unmatched reply (by reply id), kept as the adapter keeps it: normalised like the hashed keys. */
  readonly replySenders = new Map<string, string>();
  /** The address index (gsi1): written once, when a touch is first claimed, sorted by that claim time. */
  private readonly addressIndex = new Map<string, { address: string; sortKey: string }>();

  private static touchId(key: TouchKey): string {
    return `${key.campaignId}#${key.customerId}#${key.touch}`;
  }

  /** Addresses compare as the adapter's hashed keys do: trimmed, case-insensitive. */
  private static suppressionId(channel: Channel, address: string): string {
    return `${channel}#${address.trim().toLowerCase()}`;
  }

  async putCampaign(record: CampaignRecord): Promise<void> {
    this.campaigns.set(record.campaignId, structuredClone(record));
  }

  async deleteCampaign(campaignId: string): Promise<number> {
    let deleted = this.customers.get(campaignId)?.size ?? 0;
    this.customers.delete(campaignId);
    for (const store of [this.lifecycles, this.touches, this.replies, this.escalations, this.tickets] as Map<
      string,
      { campaignId: string }
    >[]) {
      for (const [key, value] of store) {
        if (value.campaignId === campaignId) {
          store.delete(key);
          deleted++;
        }
      }
    }
    if (this.campaigns.delete(campaignId)) deleted++;
    return deleted;
  }

  async setCampaignStatus(
    campaignId: string,
    from: readonly CampaignRecord['status'][],
    to: CampaignRecord['status'],
    reason: string | null,
    at: string,
  ): Promise<boolean> {
    const record = this.campaigns.get(campaignId);
    if (!record || !from.includes(record.status)) return false;
    this.campaigns.set(campaignId, { ...record, status: to, statusReason: reason, statusChangedAt: at });
    return true;
  }

  async updateCampaign(
    campaignId: string,
    changes: Partial<Pick<CampaignRecord, 'campaign' | 'launch' | 'settingsUpdatedAt'>>,
    onlyIn?: readonly CampaignRecord['status'][],
  ): Promise<boolean> {
    const record = this.campaigns.get(campaignId);
    if (!record || (onlyIn && !onlyIn.includes(record.status))) return false;
    this.campaigns.set(campaignId, { ...record, ...structuredClone(changes) });
    return true;
  }

  async getCampaignStatus(campaignId: string): Promise<Pick<CampaignRecord, 'status' | 'settingsUpdatedAt'> | null> {
    const record = this.campaigns.get(campaignId);
    return record ? { status: record.status, settingsUpdatedAt: record.settingsUpdatedAt ?? null } : null;
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | null> {
    const record = this.campaigns.get(campaignId);
    return record ? campaignRecordSchema.parse(structuredClone(record)) : null;
  }

  async putCustomers(campaignId: string, customers: readonly Customer[]): Promise<void> {
    const stored = this.customers.get(campaignId) ?? new Map<string, Customer>();
    for (const customer of customers) stored.set(customer.id, structuredClone(customer));
    this.customers.set(campaignId, stored);
  }

  async getCustomer(campaignId: string, customerId: string): Promise<Customer | null> {
    const customer = this.customers.get(campaignId)?.get(customerId);
    return customer ? customerSchema.parse(structuredClone(customer)) : null;
  }

  /** Sorted by id, as DynamoDB sorts the CUSTOMER# sort keys; the cursor is the last id returned. */
  async listCustomerIds(campaignId: string, cursor: string | null, limit: number, launchDay?: string) {
    const all = [...(this.customers.get(campaignId)?.values() ?? [])]
      .filter((c) => launchDay === undefined || launchDayOf(c.plannedFirstTouch?.sendAt) === launchDay)
      .map((c) => c.id)
      .sort();
    const from = cursor === null ? 0 : all.indexOf(cursor) + 1;
    const ids = all.slice(from, from + limit);
    const last = ids.at(-1);
    return { ids, nextCursor: from + limit < all.length && last !== undefined ? last : null };
  }

  async getLifecycle(campaignId: string, customerId: string): Promise<LifecycleRecord | null> {
    const record = this.lifecycles.get(`${campaignId}#${customerId}`);
    return record ? lifecycleRecordSchema.parse(structuredClone(record)) : null;
  }

  async createLifecycle(record: LifecycleRecord): Promise<LifecycleRecord> {
    const id = `${record.campaignId}#${record.customerId}`;
    const existing = this.lifecycles.get(id);
    if (existing) return lifecycleRecordSchema.parse(structuredClone(existing));
    this.lifecycles.set(id, structuredClone(record));
    return record;
  }

  async updateLifecycle(campaignId: string, customerId: string, changes: Partial<LifecycleRecord>): Promise<void> {
    const id = `${campaignId}#${customerId}`;
    const existing = this.lifecycles.get(id);
    if (!existing) throw conditionFailure(`no lifecycle ${id}`);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    this.lifecycles.set(id, { ...existing, ...structuredClone(defined) });
  }

  async claimTouch(record: TouchRecord): Promise<{ claimed: true } | { claimed: false; existing: TouchRecord }> {
    const id = InMemoryCampaignRepository.touchId(record);
    const existing = this.touches.get(id);
    if (!existing) {
      this.touches.set(id, structuredClone(record));
      this.addressIndex.set(id, {
        address: InMemoryCampaignRepository.suppressionId(record.channel, record.address),
        sortKey: `${record.claimedAt}#TOUCH#${record.customerId}#${record.touch}`,
      });
      return { claimed: true };
    }
    if (existing.status === 'released') {
      this.touches.set(id, { ...existing, status: 'claimed', claimedAt: record.claimedAt, attempts: existing.attempts + 1 });
      return { claimed: true };
    }
    return { claimed: false, existing: touchRecordSchema.parse(structuredClone(existing)) };
  }

  async releaseTouch(key: TouchKey, reason: string): Promise<void> {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (existing?.status !== 'claimed') throw conditionFailure(`touch ${id} is not claimed`);
    this.touches.set(id, { ...existing, status: 'released', lastError: reason });
  }

  async markTouchSent(key: TouchKey, sent: { messageId: string; sentAt: string; replyDeadline: string }): Promise<void> {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (!existing) throw conditionFailure(`no touch ${id}`);
    const status = existing.status === 'claimed' ? 'sent' : existing.status;
    this.touches.set(id, { ...existing, ...sent, status });
  }

  /** The table's own key: the state machine parks task tokens on the real record by it. */
  touchRecordKey(key: TouchKey) {
    return keys.touch(key.campaignId, key.customerId, key.touch);
  }

  ticketRecordKey(key: TouchKey) {
    return keys.ticket(key.campaignId, key.customerId, key.touch);
  }

  async getTouch(key: TouchKey): Promise<TouchRecord | null> {
    const record = this.touches.get(InMemoryCampaignRepository.touchId(key));
    return record ? touchRecordSchema.parse(structuredClone(record)) : null;
  }

  async recentTouchesTo(channel: Channel, address: string, limit: number): Promise<TouchRecord[]> {
    const wanted = InMemoryCampaignRepository.suppressionId(channel, address);
    return [...this.addressIndex.entries()]
      .filter(([, entry]) => entry.address === wanted)
      .sort(([, a], [, b]) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0))
      .flatMap(([id]) => {
        // A deleted touch takes its index entry with it, as in the table.
        const touch = this.touches.get(id);
        return touch ? [touchRecordSchema.parse(structuredClone(touch))] : [];
      })
      .slice(0, limit);
  }

  async markTouchUnanswered(key: TouchKey): Promise<void> {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (existing && existing.repliedAt === undefined) this.touches.set(id, { ...existing, status: 'unanswered' });
  }

  async recordTouchReply(key: TouchKey, reply: NonNullable<TouchRecord['reply']>, repliedAt: string) {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (!existing || existing.repliedAt !== undefined) return null;
    const updated: TouchRecord = { ...existing, reply: structuredClone(reply), repliedAt, status: 'replied' };
    this.touches.set(id, updated);
    return touchRecordSchema.parse(structuredClone(updated));
  }

  async addReplyFollowUp(
    key: TouchKey,
    replyId: string,
    followUp: Partial<Pick<TouchReply, 'nps' | 'comment' | 'dimensions' | 'answers'>> & { followUpAt: string },
  ): Promise<boolean> {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (!existing?.reply || existing.reply.replyId !== replyId || existing.reply.followUpAt !== undefined) return false;
    this.touches.set(id, { ...existing, reply: { ...existing.reply, ...structuredClone(followUp) } });
    return true;
  }

  async createTicket(record: TicketRecord): Promise<boolean> {
    const id = InMemoryCampaignRepository.touchId(record);
    if (this.tickets.has(id)) return false;
    this.tickets.set(id, ticketRecordSchema.parse(structuredClone(record)));
    return true;
  }

  async getTicket(key: TouchKey): Promise<TicketRecord | null> {
    const ticket = this.tickets.get(InMemoryCampaignRepository.touchId(key));
    return ticket ? structuredClone(ticket) : null;
  }

  async updateTicket(
    key: TouchKey,
    guard: { from: readonly TicketRecord['status'][]; level?: number },
    changes: Partial<TicketRecord>,
  ): Promise<TicketRecord | null> {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.tickets.get(id);
    if (!existing || !guard.from.includes(existing.status)) return null;
    if (guard.level !== undefined && existing.level !== guard.level) return null;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const updated = ticketRecordSchema.parse({ ...existing, ...structuredClone(defined) });
    this.tickets.set(id, updated);
    return structuredClone(updated);
  }

  async listTickets(campaignId: string): Promise<TicketRecord[]> {
    return [...this.tickets.values()].filter((t) => t.campaignId === campaignId).map((t) => structuredClone(t));
  }

  async putReply(record: ReplyRecord, from?: ReplySender): Promise<boolean> {
    const id = `${record.campaignId ?? 'UNMATCHED'}#${record.replyId}`;
    if (this.replies.has(id)) return false;
    this.replies.set(id, replyRecordSchema.parse(structuredClone(record)));
    if (from) this.replySenders.set(id, InMemoryCampaignRepository.suppressionId(from.channel, from.address));
    return true;
  }

  async listReplies(campaignId: string): Promise<ReplyRecord[]> {
    return [...this.replies.values()].filter((r) => r.campaignId === campaignId).map((r) => structuredClone(r));
  }

  async claimEscalation(record: EscalationRecord): Promise<boolean> {
    const id = InMemoryCampaignRepository.touchId(record);
    const existing = this.escalations.get(id);
    if (existing && existing.status !== 'released') return false;
    this.escalations.set(id, escalationRecordSchema.parse(structuredClone(record)));
    return true;
  }

  async releaseEscalation(campaignId: string, customerId: string, touch: number, reason: string): Promise<void> {
    const id = InMemoryCampaignRepository.touchId({ campaignId, customerId, touch });
    const existing = this.escalations.get(id);
    if (existing?.status !== 'claimed') throw conditionFailure(`escalation ${id} is not claimed`);
    this.escalations.set(id, { ...existing, status: 'released', lastError: reason });
  }

  async markEscalationSent(campaignId: string, customerId: string, touch: number, messageId: string): Promise<void> {
    const id = InMemoryCampaignRepository.touchId({ campaignId, customerId, touch });
    const existing = this.escalations.get(id);
    if (!existing) throw conditionFailure(`no escalation ${id}`);
    this.escalations.set(id, { ...existing, status: 'sent', messageId });
  }

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    return this.suppressions.has(InMemoryCampaignRepository.suppressionId(channel, address));
  }

  /** The first opt-out stays, as the adapter's conditional put keeps it. */
  async suppress(channel: Channel, address: string, source: string, at: string): Promise<void> {
    const id = InMemoryCampaignRepository.suppressionId(channel, address);
    if (!this.suppressions.has(id)) this.suppressions.set(id, { channel, source, at });
  }

  async getSuppression(channel: Channel, address: string): Promise<SuppressionEntry | null> {
    const entry = this.suppressions.get(InMemoryCampaignRepository.suppressionId(channel, address));
    return entry ? structuredClone(entry) : null;
  }

  async listCampaignIds(): Promise<string[]> {
    return [...this.campaigns.keys()].sort();
  }

  async customerRecordsIn(campaignId: string, customerId: string): Promise<CustomerRecordsInCampaign> {
    const mine = <T extends { campaignId: string | null; customerId: string | null }>(store: Map<string, T>) =>
      [...store.values()]
        .filter((r) => r.campaignId === campaignId && r.customerId === customerId)
        .map((r) => structuredClone(r));
    return {
      campaignId,
      customer: await this.getCustomer(campaignId, customerId),
      lifecycle: await this.getLifecycle(campaignId, customerId),
      touches: mine(this.touches),
      replies: mine(this.replies),
      escalations: mine(this.escalations),
      tickets: mine(this.tickets),
    };
  }

  /** Deletes a touch with its address index entry, as deleting the item does in DynamoDB. */
  async deleteCustomerRecordsIn(campaignId: string, customerId: string): Promise<number> {
    let deleted = this.customers.get(campaignId)?.delete(customerId) ? 1 : 0;
    for (const store of [this.lifecycles, this.touches, this.replies, this.escalations, this.tickets] as Map<
      string,
      { campaignId: string | null; customerId: string | null }
    >[]) {
      for (const [id, record] of store) {
        if (record.campaignId !== campaignId || record.customerId !== customerId) continue;
        store.delete(id);
        if (store === this.touches) this.addressIndex.delete(id);
        deleted++;
      }
    }
    return deleted;
  }

  async unmatchedRepliesFrom(channel: Channel, address: string): Promise<ReplyRecord[]> {
    const sender = InMemoryCampaignRepository.suppressionId(channel, address);
    return [...this.replies.entries()]
      .filter(([id, reply]) => reply.campaignId === null && this.replySenders.get(id) === sender)
      .map(([, reply]) => structuredClone(reply));
  }

  async deleteUnmatchedRepliesFrom(channel: Channel, address: string): Promise<number> {
    const sender = InMemoryCampaignRepository.suppressionId(channel, address);
    let deleted = 0;
    for (const [id, reply] of this.replies) {
      if (reply.campaignId !== null || this.replySenders.get(id) !== sender) continue;
      this.replies.delete(id);
      this.replySenders.delete(id);
      deleted++;
    }
    return deleted;
  }

  async listLifecycles(campaignId: string): Promise<LifecycleRecord[]> {
    return [...this.lifecycles.values()].filter((l) => l.campaignId === campaignId).map((l) => structuredClone(l));
  }

  async listTouches(campaignId: string): Promise<TouchRecord[]> {
    return [...this.touches.values()].filter((t) => t.campaignId === campaignId).map((t) => structuredClone(t));
  }

  async listEscalations(campaignId: string): Promise<EscalationRecord[]> {
    return [...this.escalations.values()].filter((e) => e.campaignId === campaignId).map((e) => structuredClone(e));
  }

  /** What the AwaitResponse state does in DynamoDB: parks the task token on the touch, unless a reply won the race. */
  parkTaskToken(key: TouchKey, taskToken: string): void {
    const id = InMemoryCampaignRepository.touchId(key);
    const existing = this.touches.get(id);
    if (!existing || existing.repliedAt !== undefined) throw conditionFailure(`cannot park a token on ${id}`);
    this.touches.set(id, { ...existing, taskToken, status: 'awaiting-reply' });
  }
}

function conditionFailure(message: string): Error {
  const error = new Error(message);
  error.name = 'ConditionalCheckFailedException';
  return error;
}
