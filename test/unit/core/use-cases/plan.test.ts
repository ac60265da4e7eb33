import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { isInsideWindow } from '../../../../functions/core/contact-window.js';
import { NoSendWindowError, NotFoundError } from '../../../../functions/core/errors.js';
import { DEFAULT_TIERS } from '../../../../functions/core/schemas.js';
import { plan, planFirstTouch, planRecontact, rescheduleTouch } from '../../../../functions/core/use-cases/plan.js';
import { openTicket, planConfirmation } from '../../../../functions/core/use-cases/tickets.js';
import { FixedClock, InMemoryCampaignRepository } from '../../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  HOUR_MS,
  lifecycleOf,
  must,
  NOW,
  seedCampaign,
  seedSentTouch,
} from '../../../support/fixtures.js';

const input = { campaignId: CAMPAIGN_ID, customerId: 'C0001' };
const windowRules = {
  window: { start: '09:00', end: '20:00' },
  blackoutDates: [],
  execution: { start: '2026-12-16', end: '2027-01-20' },
};

let repo: InMemoryCampaignRepository;
let clock: FixedClock;

beforeEach(() => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
});

describe('planFirstTouch', () => {
  it('plans an active silver customer for an SMS right away, inside the window', async () => {
    // Prepare
    await seedCampaign(repo);

    // Act
    const result = await planFirstTouch({ repo, clock }, input);

    // Assess
    expect(result).toEqual({
      skip: null,
      tier: 'silver',
      segment: 'active',
      priority: 'medium',
      deadline: '2026-12-31T10:00:00+08:00',
      replyTimeoutSeconds: 48 * 3600,
      next: { touch: 1, channel: 'sms', sendAt: '2026-12-16T10:00:00+08:00', last: false },
    });
  });

  it('stores the plan on the lifecycle record', async () => {
    await seedCampaign(repo);

    await planFirstTouch({ repo, clock }, input);

    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'planned',
      channels: ['sms', 'email'],
      plannedAt: NOW,
      skip: null,
      outcome: null,
      finishedAt: null,
    });
  });

  it.each([
    ['diamond', { spend12m: 6000 }],
    ['gold', { spend12m: 3000 }],
    ['silver', { orders12m: 3 }],
    ['basic', { orders12m: 1, spend12m: 100 }],
  ] as const)('waits 48 hours for a reply from a %s customer', async (tier, overrides) => {
    await seedCampaign(repo, { customers: [customerOf(overrides)] });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result).toMatchObject({ tier, replyTimeoutSeconds: 172_800 });
  });

  it("waits as long as the campaign's tier rule says", async () => {
    const campaign = campaignOf({ tiers: { ...DEFAULT_TIERS, silver: { ...DEFAULT_TIERS.silver, replyTimeoutHours: 72 } } });
    await seedCampaign(repo, { campaign });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.replyTimeoutSeconds).toBe(72 * 3600);
  });

  it('contacts a core customer by e-mail first and flags an account-manager task', async () => {
    await seedCampaign(repo, { customers: [customerOf({ spend12m: 6000 })] });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result).toMatchObject({ segment: 'core', priority: 'high', next: { channel: 'email' } });
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.accountManagerTask).toBe(true);
  });

  it('plans a customer reached at night for the next morning', async () => {
    // Prepare: 21:00 in Shanghai
    await seedCampaign(repo);
    clock.set('2026-12-16T13:00:00Z');

    // Act
    const { next } = await planFirstTouch({ repo, clock }, input);

    // Assess
    const sendAt = DateTime.fromISO(next.sendAt, { setZone: true });
    expect(sendAt.toISODate()).toBe('2026-12-17');
    expect(sendAt.hour).toBeGreaterThanOrEqual(9);
    expect(sendAt.hour).toBeLessThan(11);
    expect(isInsideWindow(sendAt.toJSDate(), 'Asia/Shanghai', windowRules)).toBe(true);
  });

  it.each([
    [
      'no consent on either channel',
      { smsConsent: false, emailConsent: false },
      'not reachable: no sms consent, no email consent',
    ],
    ['no address at all', { phone: null, email: null }, 'not reachable: no sms address, no email address'],
  ])('skips a customer with %s, saying why', async (_why, overrides, skip) => {
    await seedCampaign(repo, { customers: [customerOf(overrides)] });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.skip).toBe(skip);
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'skipped',
      outcome: 'skipped',
      finishedAt: NOW,
    });
  });

  it('leaves out a channel the customer opted out of', async () => {
    await seedCampaign(repo);
    await repo.suppress('sms', '+8613800138000', 'reply:sms', NOW);

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.next.channel).toBe('email');
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.channels).toEqual(['email']);
  });

  it('skips a customer when the campaign has no contact window left', async () => {
    await seedCampaign(repo);
    clock.set('2027-01-21T02:00:00Z');

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.skip).toBe('no contact window left in the campaign');
  });

  it('marks the first touch as the last when the campaign allows one touch', async () => {
    await seedCampaign(repo, { campaign: campaignOf({ maxTouches: 1 }) });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.next.last).toBe(true);
  });

  it('keeps the first plan when Plan runs again', async () => {
    // Prepare
    await seedCampaign(repo);
    const first = await planFirstTouch({ repo, clock }, input);
    clock.set('2026-12-20T13:00:00Z');
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ openComplaints: 3 })]);

    // Act
    const second = await planFirstTouch({ repo, clock }, input);

    // Assess
    expect(second).toEqual(first);
    expect(repo.lifecycles.size).toBe(1);
  });

  it('goes on from the touch a resumed run had reached', async () => {
    await seedCampaign(repo);
    await planFirstTouch({ repo, clock }, input);
    const next = { touch: 2, channel: 'email' as const, sendAt: '2026-12-18T02:00:00Z', last: true };
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { next, status: 'contacted' });

    expect((await planFirstTouch({ repo, clock }, input)).next).toEqual(next);
  });

  it('goes on with the ticket of a lifecycle whose contact phase ended before a resumed run', async () => {
    await seedCampaign(repo);
    await planFirstTouch({ repo, clock }, input);
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { status: 'escalated', escalated: true, finishedAt: NOW });
    await openTicket({ repo, clock }, { ...input, touch: 1, severity: 'B', reason: 'low CSAT (1/5)' });

    const resumed = await planFirstTouch({ repo, clock }, input);

    expect(resumed.skip).toBeNull();
    expect(resumed.ticket).toMatchObject({ touch: 1, status: 'open', key: { sk: 'TICKET#C0001#1' } });
  });

  it('plans a held-up "is it solved?" question for the next window, not for now, so that it is not refused again and again', async () => {
    // Prepare: a resolved ticket; its question (touch 2) was claimed, then released (throttled), and the
    // retry came after 20:00 in Shanghai
    await seedCampaign(repo);
    await planFirstTouch({ repo, clock }, input);
    await seedSentTouch(repo, { touch: 1 });
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { status: 'escalated', escalated: true, finishedAt: NOW });
    const { ticket } = await openTicket({ repo, clock }, { ...input, touch: 1, severity: 'B', reason: 'low CSAT (1/5)' });
    await repo.updateTicket(ticket, { from: ['open'] }, { status: 'resolved', resolvedAt: NOW });
    await seedSentTouch(repo, { touch: 2, asks: 'confirm', status: 'released', claimedAt: NOW, sentAt: null });
    const next = must(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).next;
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { next: { ...next, touch: 2 } });
    clock.set('2026-12-16T14:40:00.000Z');

    // Act
    const planned = await planConfirmation({ repo, clock }, { ...input, touch: 1 });

    // Assess: the same question, the next morning
    expect(planned).toMatchObject({ skip: null, touch: 2, sendAt: expect.stringMatching(/^2026-12-17T09:\d\d/) });
  });

  it('escalates again when an earlier run stopped between Evaluate and Escalate', async () => {
    await seedCampaign(repo);
    await planFirstTouch({ repo, clock }, input);
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { status: 'replied', severity: 'B', finishedAt: NOW });

    const resumed = await planFirstTouch({ repo, clock }, input);

    expect(resumed).toMatchObject({ skip: null, reescalate: { severity: 'B', reason: 'B issue' } });
  });

  it('skips a lifecycle that ended in an earlier run, naming how it ended', async () => {
    await seedCampaign(repo);
    await planFirstTouch({ repo, clock }, input);
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { status: 'replied', outcome: 'replied', finishedAt: NOW });

    expect((await planFirstTouch({ repo, clock }, input)).skip).toBe('finished before (replied)');
  });

  it.each([
    ['campaign', { campaignId: 'no-such-campaign', customerId: 'C0001' }],
    ['customer', { campaignId: CAMPAIGN_ID, customerId: 'C9999' }],
  ])('fails with NotFoundError for an unknown %s', async (_what, unknown) => {
    await seedCampaign(repo);

    await expect(planFirstTouch({ repo, clock }, unknown)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('planRecontact', () => {
  beforeEach(async () => {
    await seedCampaign(repo);
    await repo.createLifecycle(lifecycleOf());
    await seedSentTouch(repo);
    clock.set(new Date(Date.parse(NOW) + 48 * HOUR_MS));
  });

  it('re-contacts on the other channel, as the last touch', async () => {
    // Act
    const next = await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });

    // Assess
    expect(next).toEqual({ touch: 2, channel: 'email', sendAt: '2026-12-18T10:00:00+08:00', last: true });
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.next).toEqual(next);
  });

  it('marks the unanswered touch', async () => {
    await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });

    expect((await repo.getTouch({ ...input, touch: 1 }))?.status).toBe('unanswered');
  });

  it('keeps the only channel a customer can be reached on', async () => {
    await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { channels: ['sms'] });

    const next = await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });

    expect(next.channel).toBe('sms');
  });

  it('is not the last touch when the campaign and the tier allow three', async () => {
    await seedCampaign(repo, { campaign: campaignOf({ maxTouches: 3, tiers: { silver: { unansweredTouches: 3 } } }) });

    const next = await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });

    expect(next).toMatchObject({ touch: 2, last: false });
  });

  it('returns the touch already planned when it runs again', async () => {
    // Prepare
    const first = await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });
    clock.advance(24 * HOUR_MS);

    // Act
    const second = await planRecontact({ repo, clock }, { ...input, afterTouch: 1 });

    // Assess
    expect(second).toEqual(first);
  });

  it('fails with NoSendWindowError when the campaign is over, and leaves the plan alone', async () => {
    clock.set('2027-01-20T13:00:00Z');

    await expect(planRecontact({ repo, clock }, { ...input, afterTouch: 1 })).rejects.toBeInstanceOf(NoSendWindowError);
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.next.touch).toBe(1);
  });
});

describe('rescheduleTouch', () => {
  beforeEach(async () => {
    await seedCampaign(repo);
    await repo.createLifecycle(lifecycleOf({ next: { touch: 2, channel: 'email', sendAt: NOW, last: true } }));
  });

  it('moves a touch that missed its window to the next window, same touch and channel', async () => {
    // Prepare: 20:30 in Shanghai
    clock.set('2026-12-16T12:30:00Z');

    // Act
    const next = await rescheduleTouch({ repo, clock }, { ...input, rescheduleTouch: 2 });

    // Assess
    expect(next).toMatchObject({ touch: 2, channel: 'email', last: true });
    expect(DateTime.fromISO(next.sendAt, { setZone: true }).toISODate()).toBe('2026-12-17');
    expect(isInsideWindow(new Date(next.sendAt), 'Asia/Shanghai', windowRules)).toBe(true);
  });

  it('fails with NoSendWindowError when the campaign has no window left', async () => {
    clock.set('2027-01-20T12:30:00Z');

    await expect(rescheduleTouch({ repo, clock }, { ...input, rescheduleTouch: 2 })).rejects.toBeInstanceOf(NoSendWindowError);
  });
});

describe('plan', () => {
  it('routes each kind of task input to its use case', async () => {
    // Prepare
    await seedCampaign(repo);
    const first = await plan({ repo, clock }, input);
    await seedSentTouch(repo);

    // Act
    const recontact = await plan({ repo, clock }, { ...input, afterTouch: 1 });
    const rescheduled = await plan({ repo, clock }, { ...input, rescheduleTouch: 2 });

    // Assess
    expect(first).toHaveProperty('tier', 'silver');
    expect(recontact).toMatchObject({ touch: 2, channel: 'email' });
    expect(rescheduled).toMatchObject({ touch: 2, channel: 'email' });
  });
});

describe('planFirstTouch with the campaign plan and the frequency cap', () => {
  it('keeps the rate slot the campaign plan booked for the first touch', async () => {
    await seedCampaign(repo, {
      customers: [customerOf({ plannedFirstTouch: { channel: 'email', sendAt: '2026-12-16T15:42:07+08:00' } })],
    });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(result.next).toMatchObject({ channel: 'email', sendAt: '2026-12-16T15:42:07+08:00' });
  });

  it('waits out the 48-hour cap after a touch another campaign sent the same number', async () => {
    await seedCampaign(repo);
    await seedSentTouch(repo, {
      campaignId: 'other-campaign',
      sentAt: '2026-12-16T09:30:00+08:00',
      claimedAt: '2026-12-16T09:30:00+08:00',
    });

    const result = await planFirstTouch({ repo, clock }, input);

    expect(Date.parse(result.next.sendAt)).toBeGreaterThanOrEqual(Date.parse('2026-12-18T09:30:00+08:00'));
    expect(isInsideWindow(new Date(result.next.sendAt), 'Asia/Shanghai', windowRules)).toBe(true);
  });
});
