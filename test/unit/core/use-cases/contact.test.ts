import { beforeEach, describe, expect, it } from 'vitest';
import {
  OutsideContactWindowError,
  ProviderThrottledError,
  RecipientSuppressedError,
  TransientError,
} from '../../../../functions/core/errors.js';
import { verifyLink } from '../../../../functions/core/links.js';
import { contactCustomer } from '../../../../functions/core/use-cases/contact.js';
import {
  FixedClock,
  FixedLinkKey,
  InMemoryCampaignRepository,
  InMemoryRateLimiter,
  RecordingEmailSender,
  RecordingSmsSender,
} from '../../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  HOUR_MS,
  LINK_KEY,
  lifecycleOf,
  must,
  NOW,
  PUBLIC_BASE_URL,
  seedCampaign,
} from '../../../support/fixtures.js';

const smsTouch = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' } as const;
const emailTouch = { ...smsTouch, channel: 'email' } as const;

let repo: InMemoryCampaignRepository;
let clock: FixedClock;
let sms: RecordingSmsSender;
let email: RecordingEmailSender;
let deps: Parameters<typeof contactCustomer>[0];
let limiter: InMemoryRateLimiter;

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
  sms = new RecordingSmsSender();
  email = new RecordingEmailSender();
  limiter = new InMemoryRateLimiter();
  deps = { repo, clock, sms, email, links: new FixedLinkKey(LINK_KEY), publicBaseUrl: PUBLIC_BASE_URL, limiter };
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf());
});

function linkIn(text: string, kind: 's' | 'u'): string {
  const match = new RegExp(`${PUBLIC_BASE_URL}/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(text);
  return must(match?.[1], `a /${kind}/ link`);
}

describe('contactCustomer', () => {
  it('sends the SMS to the customer and records the send', async () => {
    // Act
    const result = await contactCustomer(deps, smsTouch);

    // Assess
    expect(result).toEqual({
      key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'TOUCH#C0001#1' },
      touch: 1,
      channel: 'sms',
      status: 'sent',
      replyTimeoutSeconds: 48 * 3600,
    });
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]).toMatchObject({
      to: '+8613800138000',
      reference: { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, template: 'sms/zh-CN', kind: 'touch' },
    });
    expect(await repo.getTouch(smsTouch)).toMatchObject({
      status: 'sent',
      messageId: 'sms-msg-1',
      sentAt: NOW,
      replyDeadline: new Date(Date.parse(NOW) + 48 * HOUR_MS).toISOString(),
      address: '+8613800138000',
      attempts: 1,
    });
    // The send is on the touch; the lifecycle record waits for the outcome (one write less per send).
    expect((await repo.getLifecycle(CAMPAIGN_ID, 'C0001'))?.status).toBe('planned');
  });

  it("writes to the customer in the customer's language", async () => {
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ locale: 'en-US', name: 'Ethan' })]);

    await contactCustomer(deps, smsTouch);

    expect(sms.sent[0]?.body).toContain('Ethan');
    expect(sms.sent[0]?.body).toContain('STOP');
    expect(sms.sent[0]?.reference.template).toBe('sms/en-US');
  });

  it.each([
    ['zh-CN', '请回复0-10'],
    ['en-US', 'Reply 0-10'],
  ] as const)('asks for the NPS in %s when the campaign says so, and notes it on the touch', async (locale, ask) => {
    // Prepare
    await seedCampaign(repo, { campaign: campaignOf({ survey: { smsAsks: 'nps' } }), customers: [customerOf({ locale })] });

    // Act
    await contactCustomer(deps, smsTouch);

    // Assess
    expect(sms.sent[0]?.body).toContain(ask);
    expect((await repo.getTouch(smsTouch))?.asks).toBe('nps');
  });

  it('e-mails signed survey and unsubscribe links for this very touch', async () => {
    // Act
    await contactCustomer(deps, emailTouch);

    // Assess
    const sent = must(email.sent[0], 'an e-mail');
    expect(sent.to).toBe('wang.fang@example.cn');
    const survey = verifyLink(linkIn(sent.text, 's'), LINK_KEY, clock.now());
    const unsubscribe = verifyLink(must(sent.unsubscribeUrl).slice(`${PUBLIC_BASE_URL}/u/`.length), LINK_KEY, clock.now());
    expect(survey).toMatchObject({ p: 'survey', c: CAMPAIGN_ID, u: 'C0001', t: 1 });
    expect(unsubscribe).toMatchObject({ p: 'unsubscribe', c: CAMPAIGN_ID, u: 'C0001', t: 1 });
    expect(survey.e - Math.floor(Date.parse(NOW) / 1000)).toBe(30 * 24 * 3600);
    expect(sent.text).toContain(must(sent.unsubscribeUrl));
  });

  it('sends a touch exactly once when Contact runs again', async () => {
    // Prepare
    await contactCustomer(deps, smsTouch);

    // Act
    const again = await contactCustomer(deps, smsTouch);

    // Assess
    expect(again.status).toBe('already-sent');
    expect(sms.sent).toHaveLength(1);
  });

  it('waits for the reply only until the deadline set at the send when a resumed run finds the touch sent', async () => {
    // Prepare: sent, then the run stopped; it resumes 30 hours later
    await contactCustomer(deps, smsTouch);
    clock.set(new Date(Date.parse(NOW) + 30 * HOUR_MS).toISOString());

    // Act
    const again = await contactCustomer(deps, smsTouch);

    // Assess
    expect(again).toMatchObject({ status: 'already-sent', replyTimeoutSeconds: 18 * 3600 });
    expect(sms.sent).toHaveLength(1);
  });

  it.each([
    ['throttled', () => new ProviderThrottledError('provider throttled: ThrottledException')],
    ['unavailable', () => new TransientError('provider unavailable: InternalErrorException')],
  ])('releases the claim when the provider was %s, so that the retry sends', async (_what, failure) => {
    // Prepare
    sms.failNext(failure());
    await expect(contactCustomer(deps, smsTouch)).rejects.toMatchObject({ name: failure().name });
    expect((await repo.getTouch(smsTouch))?.status).toBe('released');

    // Act
    const retry = await contactCustomer(deps, smsTouch);

    // Assess
    expect(retry.status).toBe('sent');
    expect(sms.sent).toHaveLength(1);
    expect(await repo.getTouch(smsTouch)).toMatchObject({ status: 'sent', attempts: 2, lastError: failure().name });
  });

  it('keeps the claim after an error that may have sent the message, so that nothing is sent twice', async () => {
    // Prepare
    sms.failNext(new Error('socket hang up'));
    await expect(contactCustomer(deps, smsTouch)).rejects.toThrow('socket hang up');

    // Act
    const retry = await contactCustomer(deps, smsTouch);

    // Assess
    expect(retry.status).toBe('already-sent');
    expect(sms.sent).toHaveLength(0);
    expect((await repo.getTouch(smsTouch))?.status).toBe('claimed');
  });

  it.each([
    ['opted out of SMS', async () => repo.suppress('sms', '+8613800138000', 'reply:sms', NOW)],
    ['gave no SMS consent', async () => repo.putCustomers(CAMPAIGN_ID, [customerOf({ smsConsent: false })])],
    ['has no phone number', async () => repo.putCustomers(CAMPAIGN_ID, [customerOf({ phone: null })])],
  ])('refuses with RecipientSuppressedError a customer who %s since planning', async (_what, change) => {
    // Prepare
    await change();

    // Act
    const attempt = contactCustomer(deps, smsTouch);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RecipientSuppressedError);
    expect(sms.sent).toHaveLength(0);
    expect(await repo.getTouch(smsTouch)).toBeNull();
    expect(await repo.getLifecycle(CAMPAIGN_ID, 'C0001')).toMatchObject({
      status: 'suppressed',
      outcome: 'suppressed',
      finishedAt: NOW,
    });
  });

  it('still e-mails a customer who opted out of SMS only', async () => {
    await repo.suppress('sms', '+8613800138000', 'reply:sms', NOW);

    const result = await contactCustomer(deps, emailTouch);

    expect(result.status).toBe('sent');
    expect(email.sent).toHaveLength(1);
  });

  it.each([
    ['at 21:00 in Shanghai', '2026-12-16T13:00:00Z', {}],
    ['at 08:00 in Shanghai', '2026-12-17T00:00:00Z', {}],
    ['on a blackout day', '2027-01-01T02:00:00Z', { blackoutDates: ['2027-01-01'] }],
    ['after the campaign ended', '2027-01-21T02:00:00Z', {}],
  ])('refuses with OutsideContactWindowError %s, claiming nothing', async (_when, at, overrides) => {
    // Prepare
    await seedCampaign(repo, { campaign: campaignOf(overrides) });
    clock.set(at);

    // Act
    const attempt = contactCustomer(deps, smsTouch);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(OutsideContactWindowError);
    expect(sms.sent).toHaveLength(0);
    expect(await repo.getTouch(smsTouch)).toBeNull();
  });

  it("judges the window in the customer's own time zone", async () => {
    // 22:00 in Shanghai is 09:00 in New York
    await repo.putCustomers(CAMPAIGN_ID, [customerOf({ timeZone: 'America/New_York' })]);
    clock.set('2026-12-17T14:00:00Z');

    const result = await contactCustomer(deps, smsTouch);

    expect(result.status).toBe('sent');
    expect(sms.sent[0]?.reference.timeZone).toBe('America/New_York');
  });
});

describe('send rate at send time', () => {
  it('waits for the next free slot when the channel is at its rate, and never sends two in one full second', async () => {
    // Prepare: a campaign limited to 1 SMS a second, and a second customer wanting the same second
    const campaign = campaignOf({ sendRates: { smsPerSecond: 1, emailPerSecond: 14 } });
    repo = new InMemoryCampaignRepository();
    await seedCampaign(repo, { campaign, customers: [customerOf(), customerOf({ id: 'C0002', phone: '+8613900139000' })] });
    await repo.createLifecycle(lifecycleOf());
    await repo.createLifecycle(lifecycleOf({ customerId: 'C0002' }));
    deps = { ...deps, repo };

    // Act
    await contactCustomer(deps, { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' });
    await contactCustomer(deps, { campaignId: CAMPAIGN_ID, customerId: 'C0002', touch: 1, channel: 'sms' });

    // Assess
    const sentAt = await Promise.all(
      ['C0001', 'C0002'].map(async (customerId) =>
        Date.parse((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId, touch: 1 }))?.sentAt ?? ''),
      ),
    );
    expect(Math.floor((sentAt[1] as number) / 1000)).toBeGreaterThan(Math.floor((sentAt[0] as number) / 1000));
    expect(sms.sent).toHaveLength(2);
  });

  it('claims nothing and asks for a retry when every slot it may wait for is taken', async () => {
    // Prepare: every SMS slot of the next 20 seconds is used
    for (let second = 0; second <= 21; second++) await limiter.reserve('sms', 20, new Date(Date.parse(NOW) + second * 1000), 0);
    for (const key of [...limiter.used.keys()]) limiter.used.set(key, 20);

    // Act
    const attempt = contactCustomer(deps, { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' });

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ProviderThrottledError' });
    expect(sms.sent).toHaveLength(0);
    expect(await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 })).toBeNull();
  });

  it('waits again for a slot only within what is left of its 20 s, so that it ends before its 30 s timeout', async () => {
    // Prepare: its slot is 19 s ahead; the checks after the wait take 1.2 s (a busy table), into a second
    // whose slots, and the next five's, are taken
    const full = [...Array(19).keys(), 20, 21, 22, 23, 24, 25];
    for (const second of full) await limiter.reserve('sms', 20, new Date(Date.parse(NOW) + second * 1000), 0);
    for (const key of [...limiter.used.keys()]) limiter.used.set(key, 20);
    const read = repo.getCampaignStatus.bind(repo);
    repo.getCampaignStatus = async (campaignId) => {
      clock.advance(1200);
      return read(campaignId);
    };

    // Act
    const attempt = contactCustomer(deps, { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' });

    // Assess: no slot 26 s after it started; the claim goes back, nothing is sent, the state retries later
    await expect(attempt).rejects.toMatchObject({ name: 'ProviderThrottledError' });
    expect(sms.sent).toHaveLength(0);
    expect(clock.now().getTime() - Date.parse(NOW)).toBeLessThan(21_000);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }))?.status).toBe('released');
  });

  it('asks "is it solved?" after the campaign\'s last day, in the window, as the ticket planned it; a survey it refuses', async () => {
    // Prepare: the campaign ended the day before; 10:00 in Shanghai
    await seedCampaign(repo, { campaign: campaignOf({ execution: { start: '2026-12-01', end: '2026-12-15' } }) });

    // Act
    const confirm = await contactCustomer(deps, { ...smsTouch, touch: 2, purpose: 'confirm' });
    const survey = contactCustomer(deps, { ...smsTouch, touch: 3 });

    // Assess
    expect(confirm.status).toBe('sent');
    await expect(survey).rejects.toMatchObject({ name: 'OutsideContactWindowError' });
    expect(sms.sent).toHaveLength(1);
  });

  it('claims the touch only once its send slot has come, right before the provider call', async () => {
    // Prepare: the first 10 seconds of SMS slots are taken, so this send waits for a later one
    for (let second = 0; second < 10; second++) await limiter.reserve('sms', 20, new Date(Date.parse(NOW) + second * 1000), 0);
    for (const key of [...limiter.used.keys()]) limiter.used.set(key, 20);

    // Act
    await contactCustomer(deps, { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' });

    // Assess
    const touch = await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 });
    expect(Date.parse(touch?.claimedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(NOW) + 10_000);
    expect(touch?.claimedAt).toBe(touch?.sentAt);
  });
});
