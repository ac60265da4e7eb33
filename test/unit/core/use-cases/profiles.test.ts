import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../../../functions/core/events.js';
import { segmentationSchema } from '../../../../functions/core/schemas.js';
import { importProfile, ingestEvent, NO_PROFILE } from '../../../../functions/core/use-cases/profiles.js';
import { InMemoryProfileStore } from '../../../support/fakes/index.js';
import { CUTOFFS, customerOf, must, NOW } from '../../../support/fixtures.js';

const RULES = segmentationSchema.parse({});
const basicCustomer = customerOf({ id: 'C0002', orders12m: 1, spend12m: 300, spendPrev3m: 0, spendLast3m: 300 });
const bigPurchase: CustomerEvent = {
  id: 'E1',
  customerId: 'C0002',
  type: 'purchase',
  orderId: 'O1',
  amount: 2000,
  at: '2026-12-20T10:00:00+08:00',
};

async function imported() {
  const store = new InMemoryProfileStore();
  await importProfile({ profiles: store }, basicCustomer, CUTOFFS, RULES, NOW);
  return store;
}

describe('importing a customer row onto its profile', () => {
  it('creates the profile, then changes nothing when the same row comes again', async () => {
    // Prepare
    const store = new InMemoryProfileStore();

    // Act
    const first = await importProfile({ profiles: store }, basicCustomer, CUTOFFS, RULES, NOW);
    const again = await importProfile({ profiles: store }, basicCustomer, CUTOFFS, RULES, '2026-12-17T00:00:00.000Z');

    // Assess
    expect(first).toEqual({ outcome: 'created', tierChanged: false });
    expect(again).toEqual({ outcome: 'unchanged', tierChanged: false });
    expect(must(await store.getProfile('C0002')).version).toBe(1);
  });

  it('reports a changed tier', async () => {
    const store = await imported();
    const outcome = await importProfile({ profiles: store }, { ...basicCustomer, orders12m: 3 }, CUTOFFS, RULES, NOW);
    expect(outcome).toEqual({ outcome: 'updated', tierChanged: true });
    expect(must(await store.getProfile('C0002')).tierHistory.map((h) => h.why)).toEqual(['import', 'import']);
  });
});

describe('ingesting a customer event', () => {
  it('takes an event once: stored, applied, its tier change reported; again, a duplicate', async () => {
    // Prepare
    const store = await imported();
    const deps = { profiles: store, events: store };

    // Act
    const first = await ingestEvent(deps, bigPurchase, RULES, NOW);
    const again = await ingestEvent(deps, bigPurchase, RULES, NOW);

    // Assess
    expect(first).toEqual({ outcome: 'taken', tierChanged: true });
    expect(again).toEqual({ outcome: 'duplicate' });
    expect(must(await store.getProfile('C0002'))).toMatchObject({ tier: 'gold', version: 2 });
    expect(store.events.get('E1')?.appliedAt).toBe(NOW);
  });

  it('refuses an event of a customer without a profile, and stores nothing', async () => {
    const store = new InMemoryProfileStore();
    expect(await ingestEvent({ profiles: store, events: store }, bigPurchase, RULES, NOW)).toEqual({
      outcome: 'rejected',
      reason: NO_PROFILE,
    });
    expect(store.events.size).toBe(0);
  });

  it('applies, on its next delivery, an event stored before a crash kept it from its profile', async () => {
    // Prepare: stored, never applied
    const store = await imported();
    await store.recordEvent(bigPurchase, NOW);

    // Act
    const outcome = await ingestEvent({ profiles: store, events: store }, bigPurchase, RULES, NOW);

    // Assess
    expect(outcome).toEqual({ outcome: 'taken', tierChanged: true });
    expect(must(await store.getProfile('C0002')).purchases.orders).toHaveLength(1);
  });

  it('counts an event once that was applied but not yet noted applied when the process died', async () => {
    const store = await imported();
    const deps = { profiles: store, events: store };
    await ingestEvent(deps, bigPurchase, RULES, NOW);
    const applied = must(store.events.get('E1'));
    store.events.set('E1', { ...applied, appliedAt: null });

    const outcome = await ingestEvent(deps, bigPurchase, RULES, NOW);

    expect(outcome).toEqual({ outcome: 'duplicate' });
    expect(must(await store.getProfile('C0002')).purchases).toMatchObject({ orders12m: 2, spend12m: 2300 });
    expect(store.events.get('E1')?.appliedAt).toBe(NOW);
  });

  it('applies the event as first stored when its id comes again with other content', async () => {
    const store = await imported();
    const deps = { profiles: store, events: store };
    await ingestEvent(deps, bigPurchase, RULES, NOW);

    const outcome = await ingestEvent(deps, { ...bigPurchase, orderId: 'O2', amount: 5 }, RULES, NOW);

    expect(outcome).toEqual({ outcome: 'duplicate' });
    expect(must(await store.getProfile('C0002')).purchases.spend12m).toBe(2300);
  });
});
