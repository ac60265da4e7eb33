import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../../functions/core/errors.js';
import type { SendRateLimiter } from '../../../../functions/core/ports/index.js';
import type { CampaignInput, Customer } from '../../../../functions/core/schemas.js';
import { OFFER_CODE_UNAVAILABLE } from '../../../../functions/core/templates.js';
import { contactCustomer } from '../../../../functions/core/use-cases/contact.js';
import {
  FixedClock,
  FixedLinkKey,
  InMemoryCampaignRepository,
  InMemoryCouponStore,
  InMemoryRateLimiter,
  RecordingEmailSender,
  RecordingSmsSender,
} from '../../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  LINK_KEY,
  lifecycleOf,
  NOW,
  PUBLIC_BASE_URL,
  seedCampaign,
} from '../../../support/fixtures.js';

const OFFERS: Partial<CampaignInput> = {
  messages: {
    'gold-coupon': {
      sms: {
        'zh-CN': '【{{brand}}】{{name}}您好，{{offer.title}}：{{offer.code}}，{{offer.expires}}前有效。回复TD退订',
        'en-US': '{{brand}}: Hi {{name}}, {{offer.title}}: {{offer.code}}, valid until {{offer.expires}}. Reply STOP to opt out',
      },
    },
    'gold-event': { sms: { 'zh-CN': '【{{brand}}】{{name}}您好，{{offer.title}}。回复TD退订' } },
  },
  messageRules: [
    { tier: 'gold', message: 'gold-coupon' },
    { tier: 'gold', trigger: 'cadence', message: 'gold-event' },
  ],
  offers: {
    tiers: { gold: { title: { 'zh-CN': '金卡专享券', 'en-US': 'Gold coupon' }, expires: '2027-03-31', codes: 'gold-2027' } },
  },
};

const smsTouch = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' } as const;

/** A limiter whose first call dies (the process stopped while it waited for a send slot). */
class CrashingOnceLimiter implements SendRateLimiter {
  private crashed = false;
  constructor(private readonly inner: SendRateLimiter) {}
  reserve(...args: Parameters<SendRateLimiter['reserve']>) {
    if (!this.crashed) {
      this.crashed = true;
      return Promise.reject(new Error('the process stopped'));
    }
    return this.inner.reserve(...args);
  }
}

let repo: InMemoryCampaignRepository;
let sms: RecordingSmsSender;
let coupons: InMemoryCouponStore;
let deps: Parameters<typeof contactCustomer>[0];

async function seed(customers: Customer[] = [customerOf()]) {
  await seedCampaign(repo, { campaign: campaignOf(OFFERS), customers });
  for (const customer of customers) await repo.createLifecycle(lifecycleOf({ customerId: customer.id, tier: 'gold' }));
}

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  sms = new RecordingSmsSender();
  coupons = new InMemoryCouponStore();
  await coupons.importCodes('gold-2027', ['GOLD-0001', 'GOLD-0002']);
  deps = {
    repo,
    clock: new FixedClock(NOW),
    sms,
    email: new RecordingEmailSender(),
    links: new FixedLinkKey(LINK_KEY),
    publicBaseUrl: PUBLIC_BASE_URL,
    limiter: new InMemoryRateLimiter(),
    coupons,
  };
});

describe('contactCustomer with offers', () => {
  it("sends the tier's message with the customer's code, and names the message in the touch's template", async () => {
    // Prepare
    await seed();

    // Act
    await contactCustomer(deps, smsTouch);

    // Assess
    expect(sms.sent[0]?.body).toBe('【Revisit Shop】王芳您好，金卡专享券：GOLD-0001，2027年3月31日前有效。回复TD退订');
    expect(sms.sent[0]?.reference.template).toBe('gold-coupon:sms/zh-CN');
    expect((await repo.getTouch(smsTouch))?.template).toBe('gold-coupon:sms/zh-CN');
  });

  it('sends the same code after a crash between the draw and the send', async () => {
    // Prepare
    await seed();
    const crashing = { ...deps, limiter: new CrashingOnceLimiter(new InMemoryRateLimiter()) };
    await expect(contactCustomer(crashing, smsTouch)).rejects.toThrow('the process stopped');

    // Act
    await contactCustomer(crashing, smsTouch);

    // Assess
    expect(coupons.requests).toHaveLength(2);
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.body).toContain('GOLD-0001');
    expect(await coupons.poolStats('gold-2027')).toEqual({ codes: 2, assigned: 1 });
  });

  it('sends the same code when the provider failed the first attempt', async () => {
    // Prepare
    await seed();
    sms.failNext(new TransientError('provider unavailable'));
    await expect(contactCustomer(deps, smsTouch)).rejects.toBeInstanceOf(TransientError);

    // Act
    await contactCustomer(deps, smsTouch);

    // Assess
    expect(sms.sent.map((m) => m.body.includes('GOLD-0001'))).toEqual([true]);
  });

  it('gives two customers two codes, and the message without a code once the pool is used up', async () => {
    // Prepare
    await seed([customerOf({ id: 'C0001' }), customerOf({ id: 'C0002' }), customerOf({ id: 'C0003', locale: 'en-US' })]);

    // Act
    for (const customerId of ['C0001', 'C0002', 'C0003']) await contactCustomer(deps, { ...smsTouch, customerId });

    // Assess
    expect(sms.sent[0]?.body).toContain('GOLD-0001');
    expect(sms.sent[1]?.body).toContain('GOLD-0002');
    expect(sms.sent[2]?.body).toBe(
      `Revisit Shop: Hi 王芳, Gold coupon: ${OFFER_CODE_UNAVAILABLE['en-US']}, valid until March 31, 2027. Reply STOP to opt out`,
    );
  });

  it('draws no code for a message that shows none', async () => {
    // Prepare
    await seed([customerOf({ programTouch: programTouchOf('cadence') })]);

    // Act
    await contactCustomer(deps, smsTouch);

    // Assess
    expect(sms.sent[0]?.body).toBe('【Revisit Shop】王芳您好，金卡专享券。回复TD退订');
    expect(sms.sent[0]?.reference.template).toBe('gold-event:sms/zh-CN');
    expect(coupons.requests).toEqual([]);
  });
});

function programTouchOf(trigger: string) {
  return {
    program: 'always-on',
    trigger,
    key: `always-on#${trigger}#1`,
    template: 'default',
    tier: 'gold' as const,
    notAfter: '2027-01-31T00:00:00.000Z',
  };
}
