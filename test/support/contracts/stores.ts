import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type * as ports from '../../../functions/core/ports/index.js';
import {
  type CampaignRecord,
  type EscalationRecord,
  type ReplyRecord,
  type TicketRecord,
  ticketRecordSchema,
} from '../../../functions/core/records.js';
import { CUTOFFS, campaignOf, customerOf, lifecycleOf, NOW, sentTouchOf } from '../fixtures.js';

/**
 * What every implementation of a store port must do, written once and run against the in-memory fake
 * (test/unit/core/ports/store-contracts.test.ts) and the DynamoDB stores on DynamoDB Local
 * (test/workflows/store-contracts.test.ts): the fake the unit tests trust cannot drift from the table.
 * Each test uses ids of its own, so one store (one table) serves them all.
 */
export type MakeStore<Port> = () => Port;

/** A touch whose record's table key the state machine is handed. */
const STORED_KEY = { campaignId: 'spring-2027', customerId: 'C0001', touch: 2 };

/** A campaign id no other test uses. */
const freshId = (what = 'campaign') => `${what}-${randomUUID().slice(0, 8)}`;

function campaignRecordOf(campaignId: string, status: CampaignRecord['status'] = 'running'): CampaignRecord {
  return { campaignId, campaign: campaignOf({ id: campaignId }), cutoffs: CUTOFFS, status, createdAt: NOW, customerCount: 1 };
}

function escalationOf(campaignId: string, overrides: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    campaignId,
    customerId: 'C0001',
    touch: 1,
    kind: 'escalation',
    owner: 'manager@example.com',
    reason: 'a detractor',
    status: 'claimed',
    messageId: null,
    createdAt: NOW,
    ...overrides,
  };
}

function ticketOf(campaignId: string, overrides: Partial<TicketRecord> = {}): TicketRecord {
  const chain = ['manager@example.com', 'head@example.com'];
  const [owner = ''] = chain;
  const raised = { severity: 'B', category: 'service', reason: 'late delivery', createdAt: NOW, respondBy: NOW };
  return ticketRecordSchema.parse({
    campaignId,
    customerId: 'C0001',
    touch: 1,
    ...raised,
    owner,
    chain,
    level: 0,
    status: 'open',
    ...overrides,
  });
}

function replyOf(campaignId: string | null, overrides: Partial<ReplyRecord> = {}): ReplyRecord {
  return {
    campaignId,
    customerId: campaignId === null ? null : 'C0001',
    replyId: freshId('reply'),
    channel: 'sms',
    receivedAt: NOW,
    kind: 'score',
    value: 5,
    touch: campaignId === null ? null : 1,
    late: false,
    duplicate: false,
    resumed: false,
    ...overrides,
  };
}

export function describeCampaignStoreContract(makeStore: MakeStore<ports.CampaignStore & ports.CustomerStore>) {
  describe('CampaignStore contract', () => {
    it('changes a status only from one of the statuses named', async () => {
      const store = makeStore();
      const id = freshId();
      await store.putCampaign(campaignRecordOf(id, 'running'));

      const refused = await store.setCampaignStatus(id, ['paused'], 'running', null, NOW);
      const paused = await store.setCampaignStatus(id, ['running'], 'paused', 'holiday', NOW);

      expect(refused).toBe(false);
      expect(paused).toBe(true);
      expect((await store.getCampaignStatus(id))?.status).toBe('paused');
      expect(await store.setCampaignStatus(freshId(), ['running'], 'paused', null, NOW)).toBe(false);
    });

    it('updates settings only while the campaign is in one of the statuses allowed, and never a missing campaign', async () => {
      const store = makeStore();
      const id = freshId();
      await store.putCampaign(campaignRecordOf(id, 'running'));

      expect(await store.updateCampaign(id, { settingsUpdatedAt: NOW }, ['paused'])).toBe(false);
      expect(await store.updateCampaign(id, { settingsUpdatedAt: NOW }, ['running'])).toBe(true);
      expect((await store.getCampaign(id))?.settingsUpdatedAt).toBe(NOW);
      expect(await store.updateCampaign(freshId(), { settingsUpdatedAt: NOW })).toBe(false);
    });

    it('lists the campaign among all, and deletes its records with it', async () => {
      const store = makeStore();
      const id = freshId();
      await store.putCampaign(campaignRecordOf(id));
      await store.putCustomers(id, [customerOf({ id: 'C0001' }), customerOf({ id: 'C0002' })]);

      expect(await store.listCampaignIds()).toContain(id);
      expect(await store.deleteCampaign(id)).toBe(3);
      expect(await store.getCampaign(id)).toBeNull();
      expect(await store.getCustomer(id, 'C0001')).toBeNull();
      expect(await store.listCampaignIds()).not.toContain(id);
    });
  });
}

export function describeCustomerStoreContract(makeStore: MakeStore<ports.CustomerStore>) {
  describe('CustomerStore contract', () => {
    it('pages through every customer id once, and by launch day only that day’s', async () => {
      const store = makeStore();
      const id = freshId();
      const day = (sendAt: string) => ({ channel: 'sms' as const, sendAt });
      const customers = Array.from({ length: 5 }, (_, i) =>
        customerOf({
          id: `C000${i}`,
          plannedFirstTouch: day(i < 3 ? '2026-12-16T10:30:00+08:00' : '2026-12-18T10:30:00+08:00'),
        }),
      );
      await store.putCustomers(id, customers);

      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { ids: string[]; nextCursor: string | null } = await store.listCustomerIds(id, cursor, 2);
        ids.push(...page.ids);
        cursor = page.nextCursor;
      } while (cursor);
      const firstDay = await store.listCustomerIds(id, null, 10, '2026-12-16');

      expect(ids.sort()).toEqual(customers.map((c) => c.id).sort());
      expect(firstDay.ids.sort()).toEqual(['C0000', 'C0001', 'C0002']);
      expect(await store.getCustomer(id, 'C0003')).toEqual(customers[3]);
      expect(await store.getCustomer(id, 'C9999')).toBeNull();
    });
  });
}

export function describeLifecycleStoreContract(makeStore: MakeStore<ports.LifecycleStore>) {
  describe('LifecycleStore contract', () => {
    it('keeps the first plan of a lifecycle created twice, and updates it in place', async () => {
      const store = makeStore();
      const campaignId = freshId();
      const first = lifecycleOf({ campaignId, tier: 'gold' });

      await store.createLifecycle(first);
      const again = await store.createLifecycle(lifecycleOf({ campaignId, tier: 'basic' }));
      await store.updateLifecycle(campaignId, 'C0001', { status: 'contacted' });

      expect(again.tier).toBe('gold');
      expect(await store.getLifecycle(campaignId, 'C0001')).toMatchObject({ tier: 'gold', status: 'contacted' });
      expect(await store.listLifecycles(campaignId)).toHaveLength(1);
    });

    it('refuses to update a lifecycle that does not exist', async () => {
      const store = makeStore();

      await expect(store.updateLifecycle(freshId(), 'C0001', { status: 'contacted' })).rejects.toThrow();
    });
  });
}

export function describeTouchStoreContract(makeStore: MakeStore<ports.TouchStore>) {
  describe('TouchStore contract', () => {
    it('claims a touch once, and again only after the claim was released', async () => {
      const store = makeStore();
      const touch = sentTouchOf({ campaignId: freshId(), status: 'claimed', sentAt: null, messageId: null });

      const first = await store.claimTouch(touch);
      const second = await store.claimTouch(touch);
      await store.releaseTouch(touch, 'throttled');
      const third = await store.claimTouch(touch);

      expect(first).toEqual({ claimed: true });
      expect(second).toMatchObject({ claimed: false, existing: { status: 'claimed' } });
      expect(third).toEqual({ claimed: true });
      expect(await store.getTouch(touch)).toMatchObject({ status: 'claimed', attempts: 2, lastError: 'throttled' });
    });

    it('keeps the first reply; a reply after it, or an unanswered mark, changes nothing', async () => {
      const store = makeStore();
      const touch = sentTouchOf({ campaignId: freshId(), status: 'claimed' });
      await store.claimTouch(touch);
      await store.markTouchSent(touch, { messageId: 'm-1', sentAt: NOW, replyDeadline: NOW });

      const first = await store.recordTouchReply(touch, { kind: 'score', value: 5, replyId: 'r-1' }, NOW);
      const second = await store.recordTouchReply(touch, { kind: 'score', value: 1, replyId: 'r-2' }, NOW);
      await store.markTouchUnanswered(touch);

      expect(first).toMatchObject({ status: 'replied', messageId: 'm-1', reply: { replyId: 'r-1' } });
      expect(second).toBeNull();
      expect(await store.getTouch(touch)).toMatchObject({ status: 'replied', reply: { value: 5 } });
    });

    it('records a send that a fast reply raced ahead of, keeping the reply', async () => {
      const store = makeStore();
      const touch = sentTouchOf({ campaignId: freshId(), status: 'claimed', sentAt: null, messageId: null });
      await store.claimTouch(touch);
      await store.recordTouchReply(touch, { kind: 'score', value: 4, replyId: 'r-1' }, NOW);

      await store.markTouchSent(touch, { messageId: 'm-1', sentAt: NOW, replyDeadline: NOW });

      expect(await store.getTouch(touch)).toMatchObject({ status: 'replied', messageId: 'm-1' });
    });

    it('adds a survey follow-up to its own reply once', async () => {
      const store = makeStore();
      const touch = sentTouchOf({ campaignId: freshId() });
      await store.claimTouch(touch);
      await store.recordTouchReply(touch, { kind: 'score', value: 5, replyId: 'r-1' }, NOW);

      const other = await store.addReplyFollowUp(touch, 'r-other', { nps: 3, followUpAt: NOW });
      const first = await store.addReplyFollowUp(touch, 'r-1', { nps: 9, comment: '很好', followUpAt: NOW });
      const again = await store.addReplyFollowUp(touch, 'r-1', { nps: 1, followUpAt: NOW });

      expect([other, first, again]).toEqual([false, true, false]);
      expect((await store.getTouch(touch))?.reply).toMatchObject({ nps: 9, comment: '很好', followUpAt: NOW });
    });

    it('finds the touches sent to an address, newest first, whatever its case and spaces', async () => {
      const store = makeStore();
      const address = `${freshId('user')}@example.com`;
      const older = sentTouchOf({ campaignId: freshId(), channel: 'email', address, claimedAt: '2026-12-16T01:00:00.000Z' });
      const newer = sentTouchOf({ campaignId: freshId(), channel: 'email', address, claimedAt: '2026-12-16T03:00:00.000Z' });
      await store.claimTouch(older);
      await store.claimTouch(newer);

      const found = await store.recentTouchesTo('email', `  ${address.toUpperCase()} `, 5);
      const one = await store.recentTouchesTo('email', address, 1);

      expect(found.map((t) => t.campaignId)).toEqual([newer.campaignId, older.campaignId]);
      expect(one.map((t) => t.campaignId)).toEqual([newer.campaignId]);
      expect(await store.recentTouchesTo('sms', address, 5)).toEqual([]);
    });
  });
}

/** The keys the state machine parks task tokens under (its UpdateItem on the record): the table's own. */
export function describeRecordKeysContract(makeStore: MakeStore<ports.TouchStore & ports.TicketStore>) {
  it('hands out the table keys of touch and ticket records for the state machine’s waits', () => {
    const store = makeStore();

    expect(store.touchRecordKey(STORED_KEY)).toEqual({ pk: 'CAMPAIGN#spring-2027', sk: 'TOUCH#C0001#2' });
    expect(store.ticketRecordKey(STORED_KEY)).toEqual({ pk: 'CAMPAIGN#spring-2027', sk: 'TICKET#C0001#2' });
  });
}

export function describeReplyStoreContract(makeStore: MakeStore<ports.ReplyStore>) {
  describe('ReplyStore contract', () => {
    it('stores a reply once per reply id', async () => {
      const store = makeStore();
      const campaignId = freshId();
      const reply = replyOf(campaignId);

      expect(await store.putReply(reply)).toBe(true);
      expect(await store.putReply({ ...reply, value: 1 })).toBe(false);
      expect(await store.listReplies(campaignId)).toEqual([reply]);
    });

    it('finds and deletes the unmatched replies of one sender only', async () => {
      const store = makeStore();
      const address = `+86138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const mine = replyOf(null);
      const theirs = replyOf(null);
      await store.putReply(mine, { channel: 'sms', address });
      await store.putReply(theirs, { channel: 'sms', address: `${address}9` });

      expect(await store.unmatchedRepliesFrom('sms', ` ${address}`)).toEqual([mine]);
      expect(await store.deleteUnmatchedRepliesFrom('sms', address)).toBe(1);
      expect(await store.unmatchedRepliesFrom('sms', address)).toEqual([]);
      expect(await store.unmatchedRepliesFrom('sms', `${address}9`)).toEqual([theirs]);
    });
  });
}

export function describeEscalationStoreContract(makeStore: MakeStore<ports.EscalationStore>) {
  describe('EscalationStore contract', () => {
    it('claims an escalation once, again after a release, and records its send', async () => {
      const store = makeStore();
      const escalation = escalationOf(freshId());
      const { campaignId } = escalation;

      const first = await store.claimEscalation(escalation);
      const second = await store.claimEscalation(escalation);
      await store.releaseEscalation(campaignId, 'C0001', 1, 'throttled');
      const third = await store.claimEscalation(escalation);
      await store.markEscalationSent(campaignId, 'C0001', 1, 'ses-1');

      expect([first, second, third]).toEqual([true, false, true]);
      expect(await store.listEscalations(campaignId)).toMatchObject([{ status: 'sent', messageId: 'ses-1' }]);
    });

    it('refuses to release an escalation that is not claimed', async () => {
      const store = makeStore();
      const campaignId = freshId();
      await store.claimEscalation(escalationOf(campaignId));
      await store.markEscalationSent(campaignId, 'C0001', 1, 'ses-1');

      await expect(store.releaseEscalation(campaignId, 'C0001', 1, 'late')).rejects.toThrow();
    });
  });
}

export function describeTicketStoreContract(makeStore: MakeStore<ports.TicketStore>) {
  describe('TicketStore contract', () => {
    it('opens a ticket once per touch', async () => {
      const store = makeStore();
      const ticket = ticketOf(freshId());

      expect(await store.createTicket(ticket)).toBe(true);
      expect(await store.createTicket({ ...ticket, reason: 'again' })).toBe(false);
      expect(await store.getTicket(ticket)).toEqual(ticket);
      expect(await store.listTickets(ticket.campaignId)).toEqual([ticket]);
    });

    it('changes a ticket only while its status and level are the ones guarded', async () => {
      const store = makeStore();
      const ticket = ticketOf(freshId());
      await store.createTicket(ticket);

      const wrongStatus = await store.updateTicket(ticket, { from: ['acknowledged'] }, { status: 'resolved' });
      const wrongLevel = await store.updateTicket(ticket, { from: ['open'], level: 1 }, { level: 2 });
      const climbed = await store.updateTicket(ticket, { from: ['open'], level: 0 }, { level: 1, owner: 'head@example.com' });
      const missing = await store.updateTicket({ ...ticket, campaignId: freshId() }, { from: ['open'] }, { level: 1 });

      expect(wrongStatus).toBeNull();
      expect(wrongLevel).toBeNull();
      expect(climbed).toMatchObject({ level: 1, owner: 'head@example.com', status: 'open' });
      expect(missing).toBeNull();
    });
  });
}

export function describeSuppressionListContract(makeStore: MakeStore<ports.SuppressionList>) {
  describe('SuppressionList contract', () => {
    it('keeps an address’s first opt-out, whatever its case and spaces', async () => {
      const store = makeStore();
      const address = `${freshId('user')}@Example.com`;

      await store.suppress('email', address, 'reply:email', NOW);
      await store.suppress('email', ` ${address.toLowerCase()} `, 'unsubscribe-link', '2026-12-17T00:00:00.000Z');

      expect(await store.isSuppressed('email', address.toUpperCase())).toBe(true);
      expect(await store.isSuppressed('sms', address)).toBe(false);
      expect(await store.getSuppression('email', address)).toEqual({ channel: 'email', source: 'reply:email', at: NOW });
      expect(await store.getSuppression('email', `other-${address}`)).toBeNull();
    });
  });
}

type CustomerRecordStores = ports.CustomerRecords &
  ports.CustomerStore &
  ports.LifecycleStore &
  ports.TouchStore &
  ports.ReplyStore &
  ports.EscalationStore &
  ports.TicketStore;

export function describeCustomerRecordsContract(makeStore: MakeStore<CustomerRecordStores>) {
  describe('CustomerRecords contract', () => {
    it('finds and deletes a customer’s records, and never those of a customer whose id starts with theirs', async () => {
      const store = makeStore();
      const campaignId = freshId();
      for (const customerId of ['A', 'A#1']) {
        await store.putCustomers(campaignId, [customerOf({ id: customerId })]);
        await store.createLifecycle(lifecycleOf({ campaignId, customerId }));
        await store.claimTouch(sentTouchOf({ campaignId, customerId }));
        await store.putReply(replyOf(campaignId, { customerId }));
        await store.claimEscalation(escalationOf(campaignId, { customerId }));
        await store.createTicket(ticketOf(campaignId, { customerId }));
      }

      const found = await store.customerRecordsIn(campaignId, 'A');
      const deleted = await store.deleteCustomerRecordsIn(campaignId, 'A');

      expect(found.customer?.id).toBe('A');
      expect(found.lifecycle?.customerId).toBe('A');
      for (const records of [found.touches, found.replies, found.escalations, found.tickets])
        expect(records.map((r) => r.customerId)).toEqual(['A']);
      expect(deleted).toBe(6);
      expect(await store.customerRecordsIn(campaignId, 'A')).toEqual({
        campaignId,
        customer: null,
        lifecycle: null,
        touches: [],
        replies: [],
        escalations: [],
        tickets: [],
      });
      expect((await store.customerRecordsIn(campaignId, 'A#1')).touches).toHaveLength(1);
      expect(await store.recentTouchesTo('sms', sentTouchOf().address, 50)).not.toContainEqual(
        expect.objectContaining({ campaignId, customerId: 'A' }),
      );
    });
  });
}

/** Every store contract, against one implementation of them all. */
export function describeStoreContracts(
  makeStores: MakeStore<ports.CampaignStore & CustomerRecordStores & ports.SuppressionList>,
) {
  describeCampaignStoreContract(makeStores);
  describeCustomerStoreContract(makeStores);
  describeLifecycleStoreContract(makeStores);
  describeTouchStoreContract(makeStores);
  describeReplyStoreContract(makeStores);
  describeEscalationStoreContract(makeStores);
  describeTicketStoreContract(makeStores);
  describeRecordKeysContract(makeStores);
  describeSuppressionListContract(makeStores);
  describeCustomerRecordsContract(makeStores);
}
