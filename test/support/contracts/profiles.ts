import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../../functions/core/events.js';
import type * as ports from '../../../functions/core/ports/index.js';
import { profileFromCustomer } from '../../../functions/core/profiles.js';
import { segmentationSchema } from '../../../functions/core/schemas.js';
import { CUTOFFS, customerOf, must, NOW } from '../fixtures.js';
import type { MakeStore } from './stores.js';

/**
 * What the profile and event stores must do, run against the in-memory fake
 * (test/unit/core/ports/store-contracts.test.ts) and the DynamoDB stores on DynamoDB Local
 * (test/workflows/store-contracts.test.ts). Each test uses customer and event ids of its own.
 */
const freshId = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const RULES = segmentationSchema.parse({});

const profileOf = (customerId = freshId('customer')) => profileFromCustomer(customerOf({ id: customerId }), CUTOFFS, RULES, NOW);

function purchaseOf(customerId: string, overrides: Partial<CustomerEvent> = {}): CustomerEvent {
  return {
    id: freshId('event'),
    customerId,
    type: 'purchase',
    orderId: freshId('order'),
    amount: 199,
    at: '2026-12-20T10:30:00+08:00',
    ...overrides,
  } as CustomerEvent;
}

export function describeProfileStoreContract(makeStore: MakeStore<ports.ProfileStore>) {
  describe('ProfileStore', () => {
    it('reads back the profile written, its version one higher', async () => {
      // Prepare
      const store = makeStore();
      const profile = profileOf();

      // Act
      const stored = await store.putProfile(profile);

      // Assess
      expect(stored).toEqual({ ...profile, version: 1 });
      expect(await store.getProfile(profile.customerId)).toEqual({ ...profile, version: 1 });
      expect(await store.getProfile(freshId('nobody'))).toBeNull();
    });

    it('refuses a write over a version that is no longer the stored one, keeping the stored profile', async () => {
      // Prepare
      const store = makeStore();
      const first = must(await store.putProfile(profileOf()));
      const second = must(await store.putProfile({ ...first, tier: 'gold' }));

      // Act
      const stale = await store.putProfile({ ...first, tier: 'diamond' });
      const created = await store.putProfile({ ...first, version: 0 });

      // Assess
      expect(stale).toBeNull();
      expect(created).toBeNull();
      expect(second.version).toBe(2);
      expect(await store.getProfile(first.customerId)).toMatchObject({ tier: 'gold', version: 2 });
    });

    it("deletes a customer's profile and no one else's; a profile written after that starts again", async () => {
      // Prepare
      const store = makeStore();
      const gone = must(await store.putProfile(profileOf()));
      const kept = must(await store.putProfile(profileOf()));

      // Act
      const deleted = await store.deleteProfile(gone.customerId);

      // Assess
      expect(deleted).toBe(true);
      expect(await store.deleteProfile(gone.customerId)).toBe(false);
      expect(await store.getProfile(gone.customerId)).toBeNull();
      expect(await store.getProfile(kept.customerId)).toEqual(kept);
      expect(await store.putProfile({ ...gone, version: 0 })).toMatchObject({ version: 1 });
    });

    it('lists every profile in pages, in customer id order, each once', async () => {
      // Prepare
      const store = makeStore();
      const prefix = freshId('page');
      const ids = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}-${suffix}`);
      for (const id of [...ids].reverse()) await store.putProfile(profileOf(id));

      // Act
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<ports.ProfileStore['listProfiles']>> = await store.listProfiles(cursor, 2);
        expect(page.profiles.length).toBeLessThanOrEqual(2);
        seen.push(...page.profiles.map((p) => p.customerId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10_000);

      // Assess
      expect(seen.filter((id) => id.startsWith(prefix))).toEqual(ids);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(seen);
    });
  });
}

export function describeEventStoreContract(makeStore: MakeStore<ports.EventStore>) {
  describe('EventStore', () => {
    it('stores an event recorded twice once, and reports the second as a duplicate', async () => {
      // Prepare
      const store = makeStore();
      const customerId = freshId('customer');
      const event = purchaseOf(customerId);

      // Act
      const first = await store.recordEvent(event, NOW);
      const again = await store.recordEvent({ ...event, amount: 999 } as CustomerEvent, '2026-12-21T00:00:00.000Z');

      // Assess
      expect(first).toEqual({ isNew: true, stored: { event, receivedAt: NOW, appliedAt: null } });
      expect(again).toEqual({ isNew: false, stored: { event, receivedAt: NOW, appliedAt: null } });
      expect(await store.listEvents(customerId)).toEqual([{ event, receivedAt: NOW, appliedAt: null }]);
    });

    it('keeps when an event was applied, for the next delivery of it to see', async () => {
      const store = makeStore();
      const event = purchaseOf(freshId('customer'));
      await store.recordEvent(event, NOW);

      await store.markEventApplied(event.id, '2026-12-20T03:00:00.000Z');

      expect((await store.recordEvent(event, NOW)).stored.appliedAt).toBe('2026-12-20T03:00:00.000Z');
    });

    it("lists a customer's events oldest first, and no one else's", async () => {
      // Prepare
      const store = makeStore();
      const customerId = freshId('customer');
      const utcMidnight = purchaseOf(customerId, { at: '2026-12-21T00:00:00Z' });
      const newYorkEvening = {
        id: freshId('event'),
        customerId,
        type: 'delivery',
        orderId: 'O1',
        at: '2026-12-20T23:00:00-05:00',
      } as const;
      const shanghaiMorning = {
        id: freshId('event'),
        customerId,
        type: 'complaint',
        text: 'late',
        at: '2026-12-20T09:00:00+08:00',
      } as const;
      for (const event of [utcMidnight, newYorkEvening, shanghaiMorning, purchaseOf(freshId('other'))])
        await store.recordEvent(event, NOW);

      // Act
      const listed = await store.listEvents(customerId);

      // Assess: by the instant (01:00Z on the 20th, 00:00Z and 04:00Z on the 21st), not by the text
      expect(listed.map((s) => s.event.id)).toEqual([shanghaiMorning.id, utcMidnight.id, newYorkEvening.id]);
    });

    it("deletes a customer's events and no one else's; an event of theirs recorded again is new", async () => {
      // Prepare
      const store = makeStore();
      const customerId = freshId('customer');
      const theirs = [purchaseOf(customerId), purchaseOf(customerId, { at: '2027-01-05T10:00:00+08:00' })];
      const other = purchaseOf(freshId('other'));
      for (const event of [...theirs, other]) await store.recordEvent(event, NOW);

      // Act
      const deleted = await store.deleteEventsOf(customerId);

      // Assess
      expect(deleted).toBe(2);
      expect(await store.listEvents(customerId)).toEqual([]);
      expect((await store.listEvents(other.customerId)).map((s) => s.event.id)).toEqual([other.id]);
      expect((await store.recordEvent(must(theirs[0]), NOW)).isNew).toBe(true);
      expect(await store.deleteEventsOf(freshId('nobody'))).toBe(0);
    });
  });
}

/** Both profile contracts, against one implementation of them. */
export function describeProfileContracts(makeStores: MakeStore<ports.ProfileStore & ports.EventStore>) {
  describeProfileStoreContract(makeStores);
  describeEventStoreContract(makeStores);
}
