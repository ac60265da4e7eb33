import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProgramRecord, ProgramStore, ProgramTouchClaim } from '../../../functions/core/ports/index.js';
import { NOW } from '../fixtures.js';
import { testProgram } from '../programs.js';
import type { MakeStore } from './stores.js';

/**
 * What the program store must do, run against the in-memory fake (test/unit/core/ports/store-contracts.test.ts)
 * and the DynamoDB store on DynamoDB Local (test/workflows/store-contracts.test.ts). Each test uses
 * program and customer ids of its own.
 */
const freshId = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;

function programRecordOf(programId = freshId('program'), status: ProgramRecord['status'] = 'running'): ProgramRecord {
  return {
    programId,
    program: testProgram({
      id: programId,
      cadence: { gold: '1 per month' },
      triggers: [{ on: 'purchase', after: ['3d', '7d'] }],
      tiers: { gold: { replyTimeoutHours: 48 } },
    }),
    status,
    statusReason: null,
    from: '2027-01-01',
    until: null,
    createdAt: NOW,
    settingsUpdatedAt: null,
  };
}

function claimOf(programId: string, customerId: string, overrides: Partial<ProgramTouchClaim> = {}): ProgramTouchClaim {
  const key = overrides.key ?? 'cadence:gold:month:1:0';
  return {
    programId,
    customerId,
    key,
    day: '2027-01-05',
    waveId: `${programId}-2027-01-05`,
    touch: {
      program: programId,
      trigger: 'cadence',
      key,
      template: 'default',
      tier: 'gold',
      notAfter: '2027-02-01T00:00:00.000Z',
      skip: null,
    },
    sendAt: '2027-01-05T02:00:00.000Z',
    channel: 'sms',
    claimedAt: NOW,
    ...overrides,
  };
}

export function describeProgramStoreContract(makeStore: MakeStore<ProgramStore>) {
  describe('ProgramStore contract', () => {
    it('reads back the program written, lists it, and replaces it when written again', async () => {
      // Prepare
      const store = makeStore();
      const record = programRecordOf();

      // Act
      await store.putProgram(record);
      await store.putProgram({ ...record, settingsUpdatedAt: NOW });

      // Assess
      expect(await store.getProgram(record.programId)).toEqual({ ...record, settingsUpdatedAt: NOW });
      expect(await store.listPrograms()).toContainEqual({ ...record, settingsUpdatedAt: NOW });
      expect(await store.getProgram(freshId('nothing'))).toBeNull();
    });

    it('changes a status only from one of the statuses named, and never of a missing program', async () => {
      // Prepare
      const store = makeStore();
      const { programId } = programRecordOf();
      await store.putProgram(programRecordOf(programId));

      // Act
      const refused = await store.setProgramStatus(programId, ['paused'], 'running', null, NOW);
      const paused = await store.setProgramStatus(programId, ['running', 'finished'], 'paused', 'holiday', NOW);
      const missing = await store.setProgramStatus(freshId('nothing'), ['running'], 'paused', null, NOW);

      // Assess
      expect([refused, paused, missing]).toEqual([false, true, false]);
      expect(await store.getProgram(programId)).toMatchObject({ status: 'paused', statusReason: 'holiday' });
    });

    it('claims a touch once: again for the same wave, taken for another, never twice', async () => {
      // Prepare
      const store = makeStore();
      const programId = freshId('program');
      const customerId = freshId('customer');
      const claim = claimOf(programId, customerId);

      // Act
      const first = await store.claimProgramTouch(claim);
      const again = await store.claimProgramTouch({ ...claim, claimedAt: '2026-12-17T00:00:00.000Z' });
      const taken = await store.claimProgramTouch({ ...claim, day: '2027-01-06', waveId: `${programId}-2027-01-06` });
      const otherKey = await store.claimProgramTouch(claimOf(programId, customerId, { key: 'purchase:E1+3d' }));

      // Assess
      expect(first).toEqual({ result: 'claimed', claim });
      expect(again).toEqual({ result: 'again', claim });
      expect(taken).toEqual({ result: 'taken', claim });
      expect(otherKey.result).toBe('claimed');
      expect((await store.claimedTouchesOf(programId, customerId)).map((c) => c.key)).toEqual([
        'cadence:gold:month:1:0',
        'purchase:E1+3d',
      ]);
      expect(await store.claimedTouchesOf(freshId('program'), customerId)).toEqual([]);
    });

    it("keeps a program's claims apart from those of a program whose id starts with its own", async () => {
      const store = makeStore();
      const programId = freshId('program');
      const customerId = freshId('customer');
      await store.claimProgramTouch(claimOf(programId, customerId));
      await store.claimProgramTouch(claimOf(`${programId}-2`, customerId));

      expect(await store.claimedTouchesOf(programId, customerId)).toEqual([claimOf(programId, customerId)]);
    });

    it('records one wave per day, the touches count replaced, and lists them by day', async () => {
      // Prepare
      const store = makeStore();
      const programId = freshId('program');
      const wave = (day: string, touches: number) => ({ programId, day, waveId: `${programId}-${day}`, touches, createdAt: NOW });

      // Act
      await store.putWave(wave('2027-01-06', 3));
      await store.putWave(wave('2027-01-05', 2));
      await store.putWave(wave('2027-01-06', 4));

      // Assess
      expect(await store.listWaves(programId)).toEqual([wave('2027-01-05', 2), wave('2027-01-06', 4)]);
      expect(await store.listWaves(freshId('program'))).toEqual([]);
    });

    it("pages through a day's due customers once each, in customer id order, and no other day's", async () => {
      // Prepare
      const store = makeStore();
      const programId = freshId('program');
      const ids = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `customer-${suffix}`);
      for (const id of [...ids].reverse()) await store.markDue(programId, '2027-01-05', id);
      await store.markDue(programId, '2027-01-05', 'customer-c');
      await store.markDue(programId, '2027-01-06', 'customer-z');

      // Act
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<ProgramStore['listDue']>> = await store.listDue(programId, '2027-01-05', cursor, 2);
        expect(page.customerIds.length).toBeLessThanOrEqual(2);
        seen.push(...page.customerIds);
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 100);

      // Assess
      expect(seen).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(await store.listDue(programId, '2027-01-07', null, 10)).toEqual({ customerIds: [], nextCursor: null });
    });

    it("finds and deletes a customer's claims and due entries, and no one else's", async () => {
      // Prepare
      const store = makeStore();
      const programId = freshId('program');
      const subject = freshId('customer');
      const bystander = `${subject}#1`;
      for (const customerId of [subject, bystander]) {
        await store.claimProgramTouch(claimOf(programId, customerId));
        await store.markDue(programId, '2027-02-05', customerId);
      }
      await store.claimProgramTouch(claimOf(`${programId}-2`, subject, { key: 'purchase:E1+3d' }));

      // Act
      const found = await store.programRecordsOf(subject);
      const deleted = await store.deleteProgramRecordsOf(subject);

      // Assess
      expect(found.claims.map((c) => [c.programId, c.customerId, c.key])).toEqual([
        [programId, subject, 'cadence:gold:month:1:0'],
        [`${programId}-2`, subject, 'purchase:E1+3d'],
      ]);
      expect(found.due).toEqual([{ programId, day: '2027-02-05' }]);
      expect(deleted).toBe(3);
      expect(await store.programRecordsOf(subject)).toEqual({ claims: [], due: [] });
      expect((await store.listDue(programId, '2027-02-05', null, 10)).customerIds).toEqual([bystander]);
      expect((await store.programRecordsOf(bystander)).claims).toHaveLength(1);
      expect((await store.claimProgramTouch(claimOf(programId, subject))).result).toBe('claimed');
      expect(await store.deleteProgramRecordsOf(freshId('nobody'))).toBe(0);
    });

    it('deletes a program with its waves, claims and the due entries of its waves’ days, and nothing of another', async () => {
      // Prepare
      const store = makeStore();
      const record = programRecordOf();
      const { programId } = record;
      const other = `${programId}-2`;
      const customers = [freshId('customer'), freshId('customer')];
      await store.putProgram(record);
      await store.putWave({ programId, day: '2027-01-05', waveId: `${programId}-2027-01-05`, touches: 2, createdAt: NOW });
      for (const customerId of customers) {
        await store.claimProgramTouch(claimOf(programId, customerId));
        await store.markDue(programId, '2027-01-05', customerId);
        await store.claimProgramTouch(claimOf(other, customerId));
      }

      // Act
      const deleted = await store.deleteProgram(programId);

      // Assess: the record, one wave, two claims, two due entries
      expect(deleted).toBe(6);
      expect(await store.getProgram(programId)).toBeNull();
      expect(await store.listWaves(programId)).toEqual([]);
      expect(await store.listDue(programId, '2027-01-05', null, 10)).toEqual({ customerIds: [], nextCursor: null });
      for (const customerId of customers) {
        expect(await store.claimedTouchesOf(programId, customerId)).toEqual([]);
        expect(await store.programRecordsOf(customerId)).toEqual({
          claims: [claimOf(other, customerId)],
          due: [],
        });
      }
      expect((await store.listPrograms()).map((p) => p.programId)).not.toContain(programId);
      expect(await store.deleteProgram(programId)).toBe(0);
    });
  });
}
