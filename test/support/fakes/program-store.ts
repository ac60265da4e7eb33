import {
  programRecordSchema,
  programTouchClaimSchema,
  programWaveSchema,
} from '../../../functions/adapters/dynamodb/program-store.js';
import type { ProgramRecord, ProgramStore, ProgramTouchClaim, ProgramWave } from '../../../functions/core/ports/index.js';

const claimId = (customerId: string, programId: string, key: string) => JSON.stringify([customerId, programId, key]);

/**
 * In-memory ProgramStore, with the DynamoDB adapter's semantics: a touch claimed once per customer,
 * program and key, waves replaced per day, due lists in customer id order with a cursor, and deleting a
 * program taking the due entries of its waves' days only. Records are parsed with the adapter's schemas
 * when written and read.
 */
export class InMemoryProgramStore implements ProgramStore {
  readonly programs = new Map<string, ProgramRecord>();
  /** By JSON [customer id, program id, key]. */
  readonly claims = new Map<string, ProgramTouchClaim>();
  /** By program id, then day. */
  readonly waves = new Map<string, Map<string, ProgramWave>>();
  /** By program id, then day: the customers due. */
  readonly due = new Map<string, Map<string, Set<string>>>();

  async putProgram(record: ProgramRecord): Promise<void> {
    this.programs.set(record.programId, programRecordSchema.parse(structuredClone(record)));
  }

  async getProgram(programId: string): Promise<ProgramRecord | null> {
    const record = this.programs.get(programId);
    return record ? programRecordSchema.parse(structuredClone(record)) : null;
  }

  async setProgramStatus(
    programId: string,
    from: readonly ProgramRecord['status'][],
    to: ProgramRecord['status'],
    reason: string | null,
  ): Promise<boolean> {
    const record = this.programs.get(programId);
    if (!record || !from.includes(record.status)) return false;
    this.programs.set(programId, { ...record, status: to, statusReason: reason });
    return true;
  }

  async listPrograms(): Promise<ProgramRecord[]> {
    return [...this.programs.keys()].sort().map((id) => programRecordSchema.parse(structuredClone(this.programs.get(id))));
  }

  async deleteProgram(programId: string): Promise<number> {
    let deleted = this.programs.delete(programId) ? 1 : 0;
    const waves = this.waves.get(programId) ?? new Map<string, ProgramWave>();
    deleted += waves.size;
    for (const day of waves.keys()) {
      for (const customerId of this.due.get(programId)?.get(day) ?? []) {
        this.due.get(programId)?.get(day)?.delete(customerId);
        deleted++;
      }
    }
    this.waves.delete(programId);
    for (const [id, claim] of this.claims) {
      if (claim.programId !== programId) continue;
      this.claims.delete(id);
      deleted++;
    }
    return deleted;
  }

  async claimProgramTouch(
    claim: ProgramTouchClaim,
  ): Promise<{ result: 'claimed' | 'again'; claim: ProgramTouchClaim } | { result: 'taken'; claim: ProgramTouchClaim }> {
    const id = claimId(claim.customerId, claim.programId, claim.key);
    const first = this.claims.get(id);
    if (first)
      return {
        result: first.waveId === claim.waveId ? 'again' : 'taken',
        claim: programTouchClaimSchema.parse(structuredClone(first)),
      };
    const stored = programTouchClaimSchema.parse(structuredClone(claim));
    this.claims.set(id, stored);
    return { result: 'claimed', claim: structuredClone(stored) };
  }

  async claimedTouchesOf(programId: string, customerId: string): Promise<ProgramTouchClaim[]> {
    return this.claimsOf(customerId).filter((claim) => claim.programId === programId);
  }

  async putWave(wave: ProgramWave): Promise<void> {
    const waves = this.waves.get(wave.programId) ?? new Map<string, ProgramWave>();
    waves.set(wave.day, programWaveSchema.parse(structuredClone(wave)));
    this.waves.set(wave.programId, waves);
  }

  async listWaves(programId: string): Promise<ProgramWave[]> {
    return [...(this.waves.get(programId)?.values() ?? [])]
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .map((wave) => programWaveSchema.parse(structuredClone(wave)));
  }

  async markDue(programId: string, day: string, customerId: string): Promise<void> {
    const days = this.due.get(programId) ?? new Map<string, Set<string>>();
    days.set(day, (days.get(day) ?? new Set<string>()).add(customerId));
    this.due.set(programId, days);
  }

  async listDue(programId: string, day: string, cursor: string | null, limit: number) {
    const ids = [...(this.due.get(programId)?.get(day) ?? [])].sort().filter((id) => cursor === null || id > cursor);
    const page = ids.slice(0, limit);
    const last = page.at(-1);
    return { customerIds: page, nextCursor: ids.length > limit && last !== undefined ? last : null };
  }

  async programRecordsOf(customerId: string) {
    return { claims: this.claimsOf(customerId), due: this.dueOf(customerId) };
  }

  async deleteProgramRecordsOf(customerId: string): Promise<number> {
    const { claims, due } = await this.programRecordsOf(customerId);
    for (const claim of claims) this.claims.delete(claimId(customerId, claim.programId, claim.key));
    for (const { programId, day } of due) this.due.get(programId)?.get(day)?.delete(customerId);
    return claims.length + due.length;
  }

  /** In the table's order: by program id, then key. */
  private claimsOf(customerId: string): ProgramTouchClaim[] {
    const sortKey = (claim: ProgramTouchClaim) => `${claim.programId}#${claim.key}`;
    return [...this.claims.values()]
      .filter((claim) => claim.customerId === customerId)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
      .map((claim) => programTouchClaimSchema.parse(structuredClone(claim)));
  }

  private dueOf(customerId: string): { programId: string; day: string }[] {
    const found: { programId: string; day: string }[] = [];
    for (const [programId, days] of this.due)
      for (const [day, customers] of days) if (customers.has(customerId)) found.push({ programId, day });
    return found.sort((a, b) => (`${a.programId}#${a.day}` < `${b.programId}#${b.day}` ? -1 : 1));
  }
}
