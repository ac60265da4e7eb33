import { beforeEach, describe, expect, it } from 'vitest';
import type { ProgramTouchClaim } from '../../../../functions/core/ports/index.js';
import { profileFromCustomer } from '../../../../functions/core/profiles.js';
import type { EscalationRecord, TicketRecord } from '../../../../functions/core/records.js';
import { segmentationSchema } from '../../../../functions/core/schemas.js';
import { eraseCustomer, exportCustomer } from '../../../../functions/core/use-cases/customer-data.js';
import { recordReply } from '../../../../functions/core/use-cases/record-reply.js';
import {
  FixedClock,
  InMemoryCampaignRepository,
  InMemoryProfileStore,
  InMemoryProgramStore,
  RecordingCallback,
  RecordingControl,
} from '../../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  CUTOFFS,
  campaignOf,
  customerOf,
  HOUR_MS,
  lifecycleOf,
  NOW,
  seedCampaign,
  seedSentTouch,
} from '../../../support/fixtures.js';

// Data subject requests on the in-memory repository: what an export holds, what an erasure leaves.
const LATER = 'autumn-2027';
const WANG = customerOf();
const ETHAN = customerOf({ id: 'C0002', name: 'Ethan Brown', phone: '+12065550123', email: 'ethan@example.com' });
const AT = new Date(Date.parse(NOW) + 2 * HOUR_MS).toISOString();

function ticketOf(customerId: string, overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId,
    touch: 1,
    severity: 'B',
    category: 'logistics',
    reason: 'CSAT 1/5',
    owner: 'li.na@example.com',
    chain: ['li.na@example.com'],
    level: 0,
    status: 'closed',
    createdAt: NOW,
    respondBy: NOW,
    acknowledgedAt: NOW,
    resolvedAt: NOW,
    closedAt: NOW,
    breached: false,
    climbs: [],
    confirmation: 'solved',
    reopened: 0,
    replyText: `${customerId}: 物流太慢了`,
    score: 'CSAT 1/5',
    taskToken: `ticket-token-${customerId}`,
    ...overrides,
  };
}

function programClaimOf(customerId: string): ProgramTouchClaim {
  const key = 'cadence:gold:month:1:0';
  return {
    programId: 'always-on',
    customerId,
    key,
    day: '2027-01-05',
    waveId: 'always-on-2027-01-05',
    touch: { program: 'always-on', trigger: 'cadence', key, template: 'default', tier: 'gold', notAfter: NOW, skip: null },
    sendAt: NOW,
    channel: 'sms',
    claimedAt: NOW,
  };
}

function escalationOf(customerId: string): EscalationRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId,
    touch: 1,
    kind: 'escalation',
    owner: 'li.na@example.com',
    reason: 'CSAT 1/5',
    status: 'sent',
    messageId: `ses-escalation-${customerId}`,
    createdAt: NOW,
  };
}

let repo: InMemoryCampaignRepository;
let control: RecordingControl;
let profileStore: InMemoryProfileStore;
let programs: InMemoryProgramStore;
let stores: { profiles: InMemoryProfileStore; events: InMemoryProfileStore; programs: InMemoryProgramStore };
const clock = new FixedClock(NOW);

/** Both customers answered, complained and had a ticket in the spring; Wang was asked again in the autumn. */
beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  control = new RecordingControl();
  profileStore = new InMemoryProfileStore();
  programs = new InMemoryProgramStore();
  stores = { profiles: profileStore, events: profileStore, programs };
  const callback = new RecordingCallback();
  await seedCampaign(repo, { customers: [WANG, ETHAN] });
  await seedCampaign(repo, { campaign: campaignOf({ id: LATER, name: '秋季回访 2027' }), customers: [WANG] });
  // A text from each number before anything was sent to it: it answers no touch, so it is kept unmatched.
  for (const [customer, text] of [
    [WANG, '请问我的退款到了吗'],
    [ETHAN, 'who is this?'],
  ] as const) {
    await recordReply(
      { repo, callback },
      {
        channel: 'sms',
        replyId: `stray-${customer.id}`,
        receivedAt: NOW,
        match: { channel: 'sms', from: customer.phone ?? '', messageId: null },
        content: { text },
      },
    );
  }
  for (const customer of [WANG, ETHAN]) {
    await repo.createLifecycle(lifecycleOf({ customerId: customer.id, status: 'replied', finishedAt: NOW }));
    await seedSentTouch(repo, { customerId: customer.id, address: customer.phone ?? '', messageId: `sns-${customer.id}` });
    repo.parkTaskToken({ campaignId: CAMPAIGN_ID, customerId: customer.id, touch: 1 }, `task-token-${customer.id}`);
    await recordReply(
      { repo, callback },
      {
        channel: 'sms',
        replyId: `inbound-${customer.id}`,
        receivedAt: AT,
        match: { channel: 'sms', from: customer.phone ?? '', messageId: `sns-${customer.id}` },
        content: { text: '1，物流太慢了' },
      },
    );
    await repo.claimEscalation(escalationOf(customer.id));
    await repo.createTicket(ticketOf(customer.id));
  }
  await repo.createLifecycle(lifecycleOf({ campaignId: LATER, customerId: WANG.id, status: 'contacted' }));
  await seedSentTouch(repo, { campaignId: LATER, customerId: WANG.id, channel: 'email', address: 'Wang.Fang@example.cn ' });
  // Both are in a standing program: a touch claimed each, and Wang due again in February.
  for (const customer of [WANG, ETHAN]) await programs.claimProgramTouch(programClaimOf(customer.id));
  await programs.markDue('always-on', '2027-02-05', WANG.id);
  // Wang opted out of SMS.
  await repo.suppress('sms', WANG.phone ?? '', 'reply:sms', AT);
});

describe('exportCustomer', () => {
  it('gathers every record about the customer from every campaign', async () => {
    // Act
    const exported = await exportCustomer({ repo, clock, ...stores }, WANG.id);

    // Assess
    expect(exported.customerId).toBe('C0001');
    expect(exported.exportedAt).toBe(NOW);
    expect(exported.campaigns.map((c) => [c.campaignId, c.campaignName])).toEqual([
      [LATER, '秋季回访 2027'],
      [CAMPAIGN_ID, '新春回访 2027'],
    ]);
    const spring = exported.campaigns.find((c) => c.campaignId === CAMPAIGN_ID);
    expect(spring?.customer).toEqual(WANG);
    expect(spring?.lifecycle).toMatchObject({ customerId: 'C0001', status: 'replied' });
    expect(spring?.touches).toEqual([expect.objectContaining({ touch: 1, reply: expect.objectContaining({ kind: 'score' }) })]);
    expect(spring?.replies.map((r) => r.replyId)).toEqual(['inbound-C0001']);
    expect(spring?.escalations).toEqual([escalationOf('C0001')]);
    expect(spring?.tickets).toEqual([expect.objectContaining({ replyText: 'C0001: 物流太慢了' })]);
    const autumn = exported.campaigns.find((c) => c.campaignId === LATER);
    expect(autumn?.touches).toEqual([expect.objectContaining({ channel: 'email', address: 'Wang.Fang@example.cn ' })]);
  });

  it('lists the addresses the customer was known by, with their opt-out and the replies that matched nothing', async () => {
    // Act
    const { addresses } = await exportCustomer({ repo, clock, ...stores }, WANG.id);

    // Assess: the address of the autumn e-mail touch is the same address as the row's, written otherwise
    expect(addresses).toEqual([
      {
        channel: 'sms',
        address: '+8613800138000',
        suppressed: { channel: 'sms', source: 'reply:sms', at: AT },
        unmatchedReplies: [expect.objectContaining({ replyId: 'stray-C0001', value: '请问我的退款到了吗' })],
      },
      { channel: 'email', address: 'wang.fang@example.cn', suppressed: null, unmatchedReplies: [] },
    ]);
  });

  it('holds nothing about another customer, and no task token', async () => {
    // Act
    const text = JSON.stringify(await exportCustomer({ repo, clock, ...stores }, WANG.id));

    // Assess
    for (const other of ['C0002', 'Ethan', '+12065550123', 'ethan@example.com', 'who is this?'])
      expect(text).not.toContain(other);
    expect(text).not.toContain('token');
  });

  it('holds the program touches claimed for the customer and the days they are due on', async () => {
    // Act
    const exported = await exportCustomer({ repo, clock, ...stores }, WANG.id);

    // Assess
    expect(exported.programs).toEqual({
      claims: [programClaimOf(WANG.id)],
      due: [{ programId: 'always-on', day: '2027-02-05' }],
    });
  });

  it('finds nothing about a customer no campaign knows', async () => {
    expect(await exportCustomer({ repo, clock, ...stores }, 'C9999')).toEqual({
      customerId: 'C9999',
      exportedAt: NOW,
      campaigns: [],
      profile: null,
      events: [],
      programs: { claims: [], due: [] },
      addresses: [],
    });
  });
});

describe('eraseCustomer', () => {
  it('deletes every record about the customer in every campaign, and the replies from their address that matched nothing', async () => {
    // Act
    const result = await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(result).toMatchObject({ customerId: 'C0001', campaigns: [LATER, CAMPAIGN_ID] });
    // spring: row, lifecycle, touch, reply, escalation, ticket; autumn: row, lifecycle, touch; one unmatched
    // reply; the program's claim and due entry
    expect(result.deleted).toBe(12);
    expect(await exportCustomer({ repo, clock, ...stores }, WANG.id)).toMatchObject({ campaigns: [], addresses: [] });
    expect(await repo.unmatchedRepliesFrom('sms', WANG.phone ?? '')).toEqual([]);
    const everything = JSON.stringify([
      [...repo.customers.values()].map((customers) => [...customers.values()]),
      [...repo.lifecycles.values()],
      [...repo.touches.values()],
      [...repo.replies.values()],
      [...repo.replySenders.values()],
      [...repo.escalations.values()],
      [...repo.tickets.values()],
      [...repo.suppressions.values()],
    ]);
    for (const trace of ['C0001', '王芳', '+8613800138000', 'wang.fang@example.cn', '请问我的退款到了吗']) {
      expect(everything.toLowerCase()).not.toContain(trace.toLowerCase());
    }
  });

  it("deletes the customer's program touches and due entries, and no one else's", async () => {
    // Act
    await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(await programs.programRecordsOf(WANG.id)).toEqual({ claims: [], due: [] });
    expect(await programs.listDue('always-on', '2027-02-05', null, 10)).toEqual({ customerIds: [], nextCursor: null });
    expect(await programs.claimedTouchesOf('always-on', ETHAN.id)).toEqual([programClaimOf(ETHAN.id)]);
  });

  it('takes their touches out of the address index, so no later reply or frequency cap finds them', async () => {
    // Act
    await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(await repo.recentTouchesTo('sms', WANG.phone ?? '', 10)).toEqual([]);
    expect(await repo.recentTouchesTo('email', WANG.email ?? '', 10)).toEqual([]);
  });

  it('leaves every other customer as they were', async () => {
    // Prepare
    const before = await exportCustomer({ repo, clock, ...stores }, ETHAN.id);

    // Act
    await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(await exportCustomer({ repo, clock, ...stores }, ETHAN.id)).toEqual(before);
    expect(before.campaigns).toHaveLength(1);
    expect(before.addresses[0]?.unmatchedReplies).toHaveLength(1);
  });

  it('keeps the opt-out of an erased customer on the suppression list, without their address', async () => {
    // Act
    const result = await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(result.keptOptOuts).toEqual(['sms']);
    expect(await repo.isSuppressed('sms', '+8613800138000')).toBe(true);
    expect(await repo.isSuppressed('email', 'wang.fang@example.cn')).toBe(false);
    expect([...repo.suppressions.values()]).toEqual([{ channel: 'sms', source: 'reply:sms', at: AT }]);
  });

  it('stops the lifecycles still in progress or following an open ticket, and leaves finished ones alone', async () => {
    // Prepare: spring finished with a closed ticket, autumn still contacting; Ethan's ticket still open
    await repo.updateTicket(
      { campaignId: CAMPAIGN_ID, customerId: ETHAN.id, touch: 1 },
      { from: ['closed'] },
      { status: 'open' },
    );

    // Act
    const wang = await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);
    const ethan = await eraseCustomer({ repo, clock, control, ...stores }, ETHAN.id);

    // Assess
    expect(control.stopped).toEqual([`${LATER}/C0001`, `${CAMPAIGN_ID}/C0002`]);
    expect([wang.stopped, ethan.stopped]).toEqual([1, 1]);
  });

  it('stops a customer imported but not planned yet, whose lifecycle may be starting', async () => {
    // Prepare
    await repo.putCustomers(LATER, [ETHAN]);

    // Act
    await eraseCustomer({ repo, clock, control, ...stores }, ETHAN.id);

    // Assess
    expect(control.stopped).toContain(`${LATER}/C0002`);
  });

  it('erases nothing, and says so, for a customer no campaign knows', async () => {
    expect(await eraseCustomer({ repo, clock, control, ...stores }, 'C9999')).toEqual({
      customerId: 'C9999',
      campaigns: [],
      deleted: 0,
      stopped: 0,
      keptOptOuts: [],
    });
  });
});

describe('the profile and events of a customer (issue 16)', () => {
  const purchase = (id: string, customerId: string) =>
    ({ id, customerId, type: 'purchase', orderId: `O-${id}`, amount: 88, at: '2027-01-05T10:00:00+08:00' }) as const;

  async function seedProfiles() {
    const rules = segmentationSchema.parse({});
    for (const customer of [WANG, ETHAN]) {
      await profileStore.putProfile(profileFromCustomer({ ...customer, phone: customer.phone }, CUTOFFS, rules, NOW));
    }
    await profileStore.recordEvent(purchase('E1', WANG.id), NOW);
    await profileStore.recordEvent(purchase('E2', ETHAN.id), NOW);
  }

  it('exports the profile and the events with the rest, and nothing of another customer', async () => {
    // Prepare
    await seedProfiles();

    // Act
    const exported = await exportCustomer({ repo, clock, ...stores }, WANG.id);

    // Assess
    expect(exported.profile).toMatchObject({ customerId: WANG.id, contact: { phone: WANG.phone } });
    expect(exported.events.map((e) => e.event.id)).toEqual(['E1']);
    expect(JSON.stringify(exported)).not.toContain(ETHAN.phone ?? '-');
  });

  it("erases the profile and the events, leaving the other customer's", async () => {
    // Prepare
    await seedProfiles();

    // Act
    await eraseCustomer({ repo, clock, control, ...stores }, WANG.id);

    // Assess
    expect(await profileStore.getProfile(WANG.id)).toBeNull();
    expect(await profileStore.listEvents(WANG.id)).toEqual([]);
    expect(await profileStore.getProfile(ETHAN.id)).not.toBeNull();
    expect((await profileStore.listEvents(ETHAN.id)).map((e) => e.event.id)).toEqual(['E2']);
    expect(await exportCustomer({ repo, clock, ...stores }, WANG.id)).toMatchObject({ profile: null, events: [] });
  });

  it("erases what a customer known only by a profile left: the replies from the profile's number", async () => {
    // Prepare: a customer in no campaign, with a profile, who texted the number once
    const only = customerOf({ id: 'C0077', phone: '+8613900139000', email: null });
    await profileStore.putProfile(profileFromCustomer(only, CUTOFFS, segmentationSchema.parse({}), NOW));
    const before = await exportCustomer({ repo, clock, ...stores }, only.id);

    // Act
    const result = await eraseCustomer({ repo, clock, control, ...stores }, only.id);

    // Assess
    expect(before.addresses.map((a) => a.address)).toEqual(['+8613900139000']);
    expect(result).toMatchObject({ campaigns: [], deleted: 1 });
    expect(await profileStore.getProfile(only.id)).toBeNull();
  });
});
