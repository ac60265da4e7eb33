import { z } from 'zod';
import type { ProgramRecord, ProgramStore, ProgramTouchClaim, ProgramWave } from '../../core/ports/index.js';
import { programSchema } from '../../core/programs/schema.js';
import { channelSchema, customerSchema } from '../../core/schemas.js';
import { keys, programPrefixes } from './keys.js';
import { type ItemKey, strip, type Table, valueList } from './table.js';

const STATUSES = ['running', 'paused', 'cancelled', 'finished'] as const;

/**
 * A program as stored: parsed (defaults applied, each tier's rule holding its cadence). Its tiers are
 * refused by the file's schema as they are (a tier rule in a program file has no cadence), so the cadence
 * the schema copied in is dropped before it is parsed again: the schema puts the same one back.
 */
const storedProgramSchema = z.preprocess((stored) => {
  if (typeof stored !== 'object' || stored === null || !('tiers' in stored)) return stored;
  const { tiers } = stored as { tiers: unknown };
  if (typeof tiers !== 'object' || tiers === null) return stored;
  const withoutCadence = Object.fromEntries(
    Object.entries(tiers).map(([tier, rule]) => {
      if (typeof rule !== 'object' || rule === null) return [tier, rule];
      const { cadence: _, ...rest } = rule as Record<string, unknown>;
      return [tier, rest];
    }),
  );
  return { ...stored, tiers: withoutCadence };
}, programSchema);

export const programRecordSchema: z.ZodType<ProgramRecord> = z.object({
  programId: z.string(),
  program: storedProgramSchema,
  status: z.enum(STATUSES),
  statusReason: z.string().nullable(),
  from: z.string(),
  until: z.string().nullable(),
  createdAt: z.string(),
  settingsUpdatedAt: z.string().nullable(),
});

export const programTouchClaimSchema: z.ZodType<ProgramTouchClaim> = z.object({
  programId: z.string(),
  customerId: z.string(),
  key: z.string(),
  day: z.string(),
  waveId: z.string(),
  touch: customerSchema.shape.programTouch.unwrap().unwrap(),
  sendAt: z.string(),
  channel: channelSchema,
  claimedAt: z.string(),
});

export const programWaveSchema: z.ZodType<ProgramWave> = z.object({
  programId: z.string(),
  day: z.string(),
  waveId: z.string(),
  touches: z.number().int().nonnegative(),
  createdAt: z.string(),
});

const duePointerSchema = z.object({ programId: z.string(), day: z.string(), customerId: z.string() });

/** When a due entry of `day` expires (TTL, epoch seconds): a month after the day. */
export function dueExpiry(day: string): number {
  const expires = new Date(`${day}T00:00:00.000Z`);
  expires.setUTCMonth(expires.getUTCMonth() + 1);
  return Math.floor(expires.getTime() / 1000);
}

/**
 * ProgramStore on the table (keys.ts): a program's record and waves in its partition, listed through gsi1;
 * claims and due pointers in the customer's partition beside the profile (a claim also indexed by program
 * through gsi1); the due list of a day a sparse partition of its own that expires.
 */
export class DynamoDbProgramStore implements ProgramStore {
  constructor(private readonly table: Table) {}

  async putProgram(record: ProgramRecord): Promise<void> {
    await this.table.put({ Item: { ...keys.program(record.programId), ...keys.programIndex(record.programId), ...record } });
  }

  getProgram(programId: string): Promise<ProgramRecord | null> {
    return this.table.get(keys.program(programId), programRecordSchema);
  }

  async setProgramStatus(
    programId: string,
    from: readonly ProgramRecord['status'][],
    to: ProgramRecord['status'],
    reason: string | null,
    at: string,
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const values: Record<string, unknown> = { ':to': to, ':reason': reason, ':at': at };
    const allowed = valueList(values, 'from', from);
    const result = await this.table.conditionalUpdate({
      Key: keys.program(programId),
      UpdateExpression: 'SET #status = :to, statusReason = :reason, statusChangedAt = :at',
      ConditionExpression: `attribute_exists(pk) AND #status IN (${allowed})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
    return result.written;
  }

  listPrograms(): Promise<ProgramRecord[]> {
    return this.table.queryAll(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :programs',
        ExpressionAttributeValues: { ':programs': keys.programIndex('').gsi1pk },
      },
      programRecordSchema,
    );
  }

  /**
   * 1. the program's partition (record and waves);
   * 2. the due entries of its waves' days, with their pointers (a day without a wave expires on its own);
   * 3. its claims, found through gsi1 in the customers' partitions.
   */
  async deleteProgram(programId: string): Promise<number> {
    const own = await this.table.queryItems({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.programPartition(programId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const days = own
      .map((item) => String(item.sk))
      .filter((sk) => sk.startsWith(programPrefixes.wave))
      .map((sk) => sk.slice(programPrefixes.wave.length));
    const dueKeys: ItemKey[] = [];
    let dueCount = 0;
    for (const day of days) {
      const due = await this.table.queryItems({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.due(programId, day, '').pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      });
      for (const item of due) {
        const customerId = String(item.sk);
        dueKeys.push(keys.due(programId, day, customerId), keys.duePointer(customerId, programId, day));
        dueCount++;
      }
    }
    const claims = await this.table.queryItems({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :claims',
      ExpressionAttributeValues: { ':claims': keys.programTouchIndex(programId, '', '').gsi1pk },
      ProjectionExpression: 'pk, sk',
    });
    const claimKeys = claims.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    const ownKeys = own.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    await this.table.deleteAll([...ownKeys, ...dueKeys, ...claimKeys]);
    return ownKeys.length + dueCount + claimKeys.length;
  }

  async claimProgramTouch(
    claim: ProgramTouchClaim,
  ): Promise<{ result: 'claimed' | 'again'; claim: ProgramTouchClaim } | { result: 'taken'; claim: ProgramTouchClaim }> {
    const key = keys.programTouch(claim.customerId, claim.programId, claim.key);
    const stored = programTouchClaimSchema.parse(claim);
    // A claim deleted between the refused write and the read (a fresh run) is claimed again.
    for (;;) {
      const written = await this.table.conditionalPut({
        Item: { ...key, ...keys.programTouchIndex(claim.programId, claim.customerId, claim.key), ...stored },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      if (written.written) return { result: 'claimed', claim: stored };
      const first = await this.table.get(key, programTouchClaimSchema);
      if (first) return { result: first.waveId === claim.waveId ? 'again' : 'taken', claim: first };
    }
  }

  claimedTouchesOf(programId: string, customerId: string): Promise<ProgramTouchClaim[]> {
    return this.claimsIn(customerId, programPrefixes.touchesOf(programId));
  }

  async putWave(wave: ProgramWave): Promise<void> {
    await this.table.put({ Item: { ...keys.wave(wave.programId, wave.day), ...programWaveSchema.parse(wave) } });
  }

  listWaves(programId: string): Promise<ProgramWave[]> {
    return this.table.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.programPartition(programId), ':prefix': programPrefixes.wave },
        ConsistentRead: true,
      },
      programWaveSchema,
    );
  }

  async markDue(programId: string, day: string, customerId: string): Promise<void> {
    const entry = { programId, day, customerId, expiresAt: dueExpiry(day) };
    await this.table.putAll([
      { ...keys.due(programId, day, customerId), ...entry },
      { ...keys.duePointer(customerId, programId, day), ...entry },
    ]);
  }

  async listDue(programId: string, day: string, cursor: string | null, limit: number) {
    const page = await this.table.queryPage(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.due(programId, day, '').pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: limit,
      },
      cursor,
    );
    return { customerIds: page.items.map((item) => String(item.sk)), nextCursor: page.nextCursor };
  }

  async programRecordsOf(customerId: string) {
    const claims = await this.claimsIn(customerId, programPrefixes.touch);
    const due = (await this.duePointersOf(customerId)).map(({ programId, day }) => ({ programId, day }));
    return { claims, due };
  }

  async deleteProgramRecordsOf(customerId: string): Promise<number> {
    const claims = await this.claimsIn(customerId, programPrefixes.touch);
    const due = await this.duePointersOf(customerId);
    await this.table.deleteAll([
      ...claims.map((claim) => keys.programTouch(customerId, claim.programId, claim.key)),
      ...due.flatMap(({ programId, day }) => [keys.due(programId, day, customerId), keys.duePointer(customerId, programId, day)]),
    ]);
    return claims.length + due.length;
  }

  private claimsIn(customerId: string, prefix: string): Promise<ProgramTouchClaim[]> {
    return this.table.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.profile(customerId).pk, ':prefix': prefix },
        ConsistentRead: true,
      },
      programTouchClaimSchema,
    );
  }

  private async duePointersOf(customerId: string) {
    const items = await this.table.queryItems({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.profile(customerId).pk, ':prefix': programPrefixes.due },
      ConsistentRead: true,
    });
    return items.map((item) => duePointerSchema.parse(strip(item)));
  }
}
