import type { Program } from '../programs/schema.js';
import type { Channel, ProgramTouch } from '../schemas.js';

/** A standing program as launched (issue 16): its settings, status and period. */
export interface ProgramRecord {
  programId: string;
  program: Program;
  status: 'running' | 'paused' | 'cancelled' | 'finished';
  /** Why it was paused, cancelled or finished (null while it runs). */
  statusReason: string | null;
  /** The first local day of its cycles (YYYY-MM-DD): cadence cycles count from it. */
  from: string;
  /** The day it ends (exclusive, YYYY-MM-DD) when it runs for a number of months; null: it runs until cancelled. */
  until: string | null;
  createdAt: string;
  /** When its settings last changed (`revisit launch --program` again with a changed file). */
  settingsUpdatedAt: string | null;
}

/**
 * One touch of a program claimed for a day's wave: exactly once per (customer, program, touch key). The
 * row is what the wave's customer record carries, so that a sweep of the same day run again (a retry, a
 * crash) builds the very same wave.
 */
export interface ProgramTouchClaim {
  programId: string;
  customerId: string;
  /** The touch's identity in its program: `cadence:gold:month:3:0`, `purchase:<event id>+3d`. */
  key: string;
  /** The UTC day of the wave it belongs to (YYYY-MM-DD). */
  day: string;
  /** The wave's id: the campaign record its lifecycle runs in. */
  waveId: string;
  touch: ProgramTouch;
  /** The send time the program's calendar gave it, and its channel (the wave books its first touch there). */
  sendAt: string;
  channel: Channel;
  claimedAt: string;
}

/** A wave: the campaign record one day's touches of a program run in. */
export interface ProgramWave {
  programId: string;
  day: string;
  waveId: string;
  /** How many touches the wave holds. */
  touches: number;
  createdAt: string;
}

/**
 * Standing programs, their touches and their sparse "next due" index (issue 16). A program's touches run
 * through the lifecycle state machine in waves: a wave is a campaign record with the day's touches as its
 * customers, so that everything a campaign does (plan, contact, await, evaluate, escalate, confirm,
 * pause, resume, cancel, report) a program touch does too.
 */
export interface ProgramStore {
  /** Stores a program's record (a launch, or a launch again with changed settings). */
  putProgram(record: ProgramRecord): Promise<void>;
  getProgram(programId: string): Promise<ProgramRecord | null>;
  /** Changes the status only from one of `from`; false when it was in another one (or there is no such program). */
  setProgramStatus(
    programId: string,
    from: readonly ProgramRecord['status'][],
    to: ProgramRecord['status'],
    reason: string | null,
    at: string,
  ): Promise<boolean>;
  listPrograms(): Promise<ProgramRecord[]>;
  /**
   * Deletes the program's record, waves, claims and the due entries of its waves' days (a fresh run): how
   * many records went. Due entries of a day without a wave stay until they expire; the waves' campaign
   * records are the caller's.
   */
  deleteProgram(programId: string): Promise<number>;

  /**
   * Claims a touch for a day's wave, once: `claimed` the first time, `again` when it was claimed before for
   * the same wave (a re-run of that day's sweep: the stored claim is returned), `taken` when it went out in
   * another wave (never twice).
   */
  claimProgramTouch(
    claim: ProgramTouchClaim,
  ): Promise<{ result: 'claimed' | 'again'; claim: ProgramTouchClaim } | { result: 'taken'; claim: ProgramTouchClaim }>;
  /** A customer's claimed touches of a program (all of them, any day). */
  claimedTouchesOf(programId: string, customerId: string): Promise<ProgramTouchClaim[]>;

  /** Records a wave (idempotent per program and day: the touches count is replaced). */
  putWave(wave: ProgramWave): Promise<void>;
  listWaves(programId: string): Promise<ProgramWave[]>;

  /**
   * Puts the customer on the program's due list of `day` (the sparse "next due" index the daily sweep
   * reads). Idempotent; an entry for a later day may stay behind (the sweep of that day finds nothing due
   * and moves on), and entries expire a month after their day.
   */
  markDue(programId: string, day: string, customerId: string): Promise<void>;
  /** A page of the customers due on `day`, from `cursor` (null: the first page). */
  listDue(
    programId: string,
    day: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ customerIds: string[]; nextCursor: string | null }>;

  /** Everything the programs keep about a customer (claims, due entries): a data subject's export. */
  programRecordsOf(customerId: string): Promise<{ claims: ProgramTouchClaim[]; due: { programId: string; day: string }[] }>;
  /** Deletes what `programRecordsOf` finds: how many records went. */
  deleteProgramRecordsOf(customerId: string): Promise<number>;
}
