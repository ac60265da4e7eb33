import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../../functions/core/events.js';
import {
  applyDowngrade,
  applyEvent,
  customerOf as customerOfProfile,
  MAX_KEPT_ORDERS,
  type Profile,
  profileFromCustomer,
  profileSchema,
  reimportedProfile,
} from '../../../functions/core/profiles.js';
import { segmentationSchema } from '../../../functions/core/schemas.js';
import { CUTOFFS, customerOf } from '../../support/fixtures.js';

const RULES = segmentationSchema.parse({});
const IMPORTED_AT = '2026-12-01T00:00:00.000Z';

/** A silver customer: 4 orders and 1,000 spent in 12 months (gold starts at 2,000, diamond at 5,000). */
const silver = () => profileFromCustomer(customerOf(), CUTOFFS, RULES, IMPORTED_AT);

/** A basic customer: one order, 300 spent, last bought in November. */
const basic = () =>
  profileFromCustomer(
    customerOf({ id: 'C0002', orders12m: 1, spend12m: 300, spendPrev3m: 0, spendLast3m: 300 }),
    CUTOFFS,
    RULES,
    IMPORTED_AT,
  );

let seq = 0;
function purchase(amount: number, at: string, orderId = `O${++seq}`): CustomerEvent {
  return { id: `E${++seq}`, customerId: 'C0001', type: 'purchase', orderId, amount, at };
}

describe('a profile from an imported customer row', () => {
  it('keeps the contact data, consent and purchase figures, tiered with the import cut-offs', () => {
    // Act
    const profile = profileFromCustomer(customerOf({ smsConsent: false }), CUTOFFS, RULES, IMPORTED_AT);

    // Assess
    expect(profileSchema.parse(profile)).toEqual(profile);
    expect(profile).toMatchObject({
      customerId: 'C0001',
      contact: { name: '王芳', phone: '+8613800138000', email: 'wang.fang@example.cn', locale: 'zh-CN' },
      consent: { sms: false, email: true },
      purchases: { orders12m: 4, spend12m: 1000, spendPrev3m: 300, spendLast3m: 300, orders: [] },
      tier: 'silver',
      segment: 'active',
      downgrade: null,
      cutoffs: CUTOFFS,
      asOf: IMPORTED_AT,
      version: 0,
    });
    expect(profile.tierHistory).toEqual([{ from: null, to: 'silver', at: IMPORTED_AT, why: 'import' }]);
  });

  it('reads back as the customer row it came from', () => {
    const customer = customerOf({ tags: ['vip'], openComplaints: 1 });
    expect(customerOfProfile(profileFromCustomer(customer, CUTOFFS, RULES, IMPORTED_AT))).toEqual(customer);
  });

  it('changes nothing when the same row is imported again', () => {
    const profile = silver();
    expect(reimportedProfile(profile, customerOf(), CUTOFFS, RULES, '2026-12-02T00:00:00.000Z')).toBe(profile);
  });

  it('re-tiers a customer whose imported figures rose, with an import entry in the tier history', () => {
    // Act
    const again = reimportedProfile(silver(), customerOf({ spend12m: 2500 }), CUTOFFS, RULES, '2026-12-02T00:00:00.000Z');

    // Assess
    expect(again.tier).toBe('gold');
    expect(again.tierHistory.at(-1)).toEqual({ from: 'silver', to: 'gold', at: '2026-12-02T00:00:00.000Z', why: 'import' });
  });

  it('re-tiers with the cut-offs of the new import', () => {
    const again = reimportedProfile(silver(), customerOf(), { diamondMinSpend: 900, goldMinSpend: 500 }, RULES, IMPORTED_AT);
    expect(again).toMatchObject({ tier: 'diamond', segment: 'core', cutoffs: { diamondMinSpend: 900 } });
  });
});

describe('a purchase event', () => {
  it('lifts a basic customer whose spend crosses the gold cut-off', () => {
    // Act
    const profile = applyEvent(basic(), purchase(2000, '2026-12-10T10:00:00+08:00'), RULES);

    // Assess
    expect(profile.purchases).toMatchObject({ orders12m: 2, spend12m: 2300, spendLast3m: 2300 });
    expect(profile.purchases.lastPurchaseAt).toBe('2026-12-10T10:00:00+08:00');
    expect(profile.tier).toBe('gold');
    expect(profile.tierHistory.at(-1)).toEqual({ from: 'basic', to: 'gold', at: '2026-12-10T10:00:00+08:00', why: 'purchases' });
  });

  it('lifts a basic customer to silver with a second order, whatever its amount', () => {
    expect(applyEvent(basic(), purchase(1, '2026-12-10T10:00:00+08:00'), RULES).tier).toBe('silver');
  });

  it('counts each window by the time of the latest event: 3, 3 before that, and 12 months', () => {
    // Prepare: five months, four months, 13 months before the last one
    const events = [
      purchase(100, '2026-07-10T00:00:00Z'),
      purchase(200, '2026-08-10T00:00:00Z'),
      purchase(400, '2025-11-10T00:00:00Z'),
      purchase(800, '2026-12-10T00:00:00Z'),
    ];

    // Act
    const profile = events.reduce((p, e) => applyEvent(p, e, RULES), basic());

    // Assess: the imported figures (1 order, 300 in the last 3 months) plus the events
    expect(profile.purchases).toMatchObject({ orders12m: 4, spend12m: 1400, spendLast3m: 1100, spendPrev3m: 300 });
    expect(profile.purchases.orders.map((o) => o.amount)).toEqual([400, 100, 200, 800]);
    expect(profile.asOf).toBe('2026-12-10T00:00:00Z');
  });

  it('keeps 15 months of purchase events and forgets older ones', () => {
    const old = applyEvent(basic(), purchase(400, '2025-08-01T00:00:00Z'), RULES);
    const later = applyEvent(old, purchase(10, '2026-12-10T00:00:00Z'), RULES);
    expect(later.purchases.orders.map((o) => o.at)).toEqual(['2026-12-10T00:00:00Z']);
    expect(later.purchases.firstPurchaseAt).toBe(customerOf().firstPurchaseAt);
  });

  it('remembers the first purchase ever when its event is forgotten after 15 months', () => {
    // Prepare: a customer the file knew nothing of
    const none = profileFromCustomer(
      customerOf({ firstPurchaseAt: null, lastPurchaseAt: null, orders12m: 0, spend12m: 0, spendPrev3m: 0, spendLast3m: 0 }),
      CUTOFFS,
      RULES,
      '2025-01-01T00:00:00Z',
    );

    // Act
    const first = applyEvent(none, purchase(10, '2025-01-02T00:00:00Z'), RULES);
    const much = applyEvent(first, purchase(10, '2026-12-10T00:00:00Z'), RULES);

    // Assess
    expect(much.purchases.orders).toHaveLength(1);
    expect(much.purchases).toMatchObject({ firstPurchaseAt: '2025-01-02T00:00:00Z', lastPurchaseAt: '2026-12-10T00:00:00Z' });
  });

  it('folds the purchases past the latest 500 into a total a day, the windows unchanged', () => {
    // Act: 600 purchases of 1 each, four a day from 1 July
    let profile = basic();
    for (let i = 0; i < 600; i++) {
      const at = new Date(Date.parse('2026-07-01T00:00:00Z') + i * 6 * 3_600_000).toISOString();
      profile = applyEvent(profile, purchase(1, at), RULES);
    }

    // Assess: 1 imported order + 600 events, 300 + 600 spent
    expect(profile.purchases.orders).toHaveLength(MAX_KEPT_ORDERS);
    expect(profile.purchases.days.reduce((n, d) => n + d.orders, 0)).toBe(100);
    expect(profile.purchases.days[0]).toEqual({ day: '2026-07-01', orders: 4, spend: 4, at: '2026-07-01T18:00:00.000Z' });
    expect(profile.purchases).toMatchObject({ orders12m: 601, spend12m: 900 });
    expect(JSON.stringify(profile).length).toBeLessThan(100_000);
  });

  it('an event arriving late joins its window without moving the profile back in time', () => {
    const recent = applyEvent(basic(), purchase(10, '2026-12-10T00:00:00Z'), RULES);
    const late = applyEvent(recent, purchase(20, '2026-11-20T00:00:00Z'), RULES);
    expect(late.asOf).toBe('2026-12-10T00:00:00Z');
    expect(late.purchases.lastPurchaseAt).toBe('2026-12-10T00:00:00Z');
    expect(late.purchases.spendLast3m).toBe(330);
  });

  it('changes nothing applied twice, or sent again under another event id for the same order', () => {
    const event = purchase(2000, '2026-12-10T10:00:00+08:00', 'O-SAME');
    const once = applyEvent(basic(), event, RULES);
    expect(applyEvent(once, event, RULES)).toBe(once);
    expect(applyEvent(once, { ...event, id: 'another-id' }, RULES)).toBe(once);
  });

  it('makes a customer whose spend halved a churn warning', () => {
    const quiet = profileFromCustomer(customerOf({ spendPrev3m: 1000, spendLast3m: 400 }), CUTOFFS, RULES, IMPORTED_AT);
    expect(quiet.segment).toBe('churn-warning');
  });
});

describe('delivery, complaint and contract-end events', () => {
  const at = '2026-12-12T09:00:00+08:00';

  it('records a delivery without changing the tier', () => {
    const profile = applyEvent(silver(), { id: 'D1', customerId: 'C0001', type: 'delivery', orderId: 'O1', at }, RULES);
    expect(profile).toMatchObject({ lastDeliveryAt: at, tier: 'silver', segment: 'active', asOf: at });
    expect(profile.tierHistory).toHaveLength(1);
  });

  it('records a contract end', () => {
    const profile = applyEvent(silver(), { id: 'X1', customerId: 'C0001', type: 'contract-end', at }, RULES);
    expect(profile.contractEndedAt).toBe(at);
  });

  it('marks a complaining customer a churn warning (an unresolved complaint), once per event', () => {
    // Act
    const event: CustomerEvent = { id: 'K1', customerId: 'C0001', type: 'complaint', text: '送货太慢', at };
    const profile = applyEvent(silver(), event, RULES);

    // Assess
    expect(profile.segment).toBe('churn-warning');
    expect(profile.complaints).toEqual([{ eventId: 'K1', at }]);
    expect(JSON.stringify(profile)).not.toContain('送货太慢');
    expect(applyEvent(profile, event, RULES)).toBe(profile);
    expect(customerOfProfile(profile).openComplaints).toBe(1);
  });
});

describe('the silver no-response downgrade', () => {
  const downgradedAt = '2026-12-20T12:00:00Z';
  const downgraded = () => applyDowngrade(silver(), 'basic', downgradedAt);

  it('moves a silver customer to basic, with a no-response entry in the tier history', () => {
    const profile = downgraded();
    expect(profile).toMatchObject({ tier: 'basic', downgrade: { from: 'silver', to: 'basic', at: downgradedAt } });
    expect(profile.tierHistory.at(-1)).toEqual({ from: 'silver', to: 'basic', at: downgradedAt, why: 'no-response' });
  });

  it('changes nothing for a customer already at or below the tier, or downgraded again', () => {
    const b = basic();
    expect(applyDowngrade(b, 'basic', downgradedAt)).toBe(b);
    const once = downgraded();
    expect(applyDowngrade(once, 'basic', downgradedAt)).toBe(once);
  });

  it('holds through deliveries, complaints and re-imports of the same figures', () => {
    let profile: Profile = downgraded();
    profile = applyEvent(
      profile,
      { id: 'D1', customerId: 'C0001', type: 'delivery', orderId: 'O1', at: '2026-12-21T00:00:00Z' },
      RULES,
    );
    profile = reimportedProfile(profile, customerOf({ name: '王芳芳' }), CUTOFFS, RULES, '2026-12-22T00:00:00Z');
    expect(profile.tier).toBe('basic');
    expect(profile.downgrade).not.toBeNull();
  });

  it('holds when a purchase made before the downgrade arrives after it', () => {
    const profile = applyEvent(downgraded(), purchase(500, '2026-12-19T00:00:00Z'), RULES);
    expect(profile.tier).toBe('basic');
    expect(profile.purchases.orders12m).toBe(5);
  });

  it('is lifted by a purchase after it: the tier recomputed from the purchases', () => {
    // Act
    const profile = applyEvent(downgraded(), purchase(50, '2027-01-05T00:00:00Z'), RULES);

    // Assess
    expect(profile).toMatchObject({ tier: 'silver', downgrade: null });
    expect(profile.tierHistory.map((h) => [h.from, h.to, h.why])).toEqual([
      [null, 'silver', 'import'],
      ['silver', 'basic', 'no-response'],
      ['basic', 'silver', 'purchases'],
    ]);
  });

  it('is lifted by a purchase after it that makes the customer gold', () => {
    const profile = applyEvent(downgraded(), purchase(1500, '2027-01-05T00:00:00Z'), RULES);
    expect(profile.tier).toBe('gold');
  });
});
