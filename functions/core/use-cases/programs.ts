import { z } from 'zod';
import { LAUNCH_LEAD_MS } from '../campaign-phases.js';
import type {
  CampaignStore,
  Clock,
  CustomerStore,
  EventStore,
  ProfileStore,
  ProgramRecord,
  ProgramStore,
  ProgramTouchClaim,
} from '../ports/index.js';
import type { Profile } from '../profiles.js';
import type { CalendarTouch, SkippedTouch } from '../programs/calendar.js';
import type { Program } from '../programs/schema.js';
import { plusDays, profileCalendarOf, utcDayOf, waveCampaignOf, waveIdOf, waveRowOf } from '../programs/wave.js';
import type { Customer } from '../schemas.js';

/** What a program's sweep and enrolment touch. */
export interface ProgramDeps {
  repo: Pick<CampaignStore, 'getCampaign' | 'putCampaign'> & Pick<CustomerStore, 'putCustomers' | 'listCustomerIds'>;
  programs: ProgramStore;
  profiles: ProfileStore;
  events: EventStore;
  clock: Clock;
}

/** Profiles (or due customers) per page: the page's calendars and claims fit well in a Lambda's 5 minutes. */
export const SWEEP_PAGE_SIZE = 200;
const CONCURRENCY = 10;

/** Why a touch due while its program was paused (or its sweep late) went out no more: its next cycle or step had come. */
export const LATE_SKIP = 'its next cycle or step came while the program was paused / 方案暂停期间已到下一周期（或下一步）';

export class ProgramNotFoundError extends Error {
  override name = 'ProgramNotFoundError';
}

async function loadProgram(deps: Pick<ProgramDeps, 'programs'>, programId: string): Promise<ProgramRecord> {
  const record = await deps.programs.getProgram(programId);
  if (!record) throw new ProgramNotFoundError(`no program ${programId}: launch it first (revisit launch --program FILE)`);
  return record;
}

/** Runs `work` over `items`, CONCURRENCY at a time. */
async function eachOf<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** The first UTC day a program sweeps: the day before its first local day (the earliest zones are ahead of UTC). */
export const firstSweepDayOf = (record: Pick<ProgramRecord, 'from'>): string => plusDays(record.from, -1);

/**
 * Stores a program to run from `from` (a local date) for `months` (null: until cancelled): a program
 * launched again with the same settings is left as it is (its touches and claims stay; nothing is sent
 * twice); with changed settings it is updated, and its next sweeps use them.
 */
export async function launchProgram(
  deps: Pick<ProgramDeps, 'programs'> & { clock: Pick<Clock, 'now'> },
  program: Program,
  period: { from: string; months: number | null },
): Promise<{ record: ProgramRecord; outcome: 'created' | 'updated' | 'unchanged' }> {
  const existing = await deps.programs.getProgram(program.id);
  const now = deps.clock.now().toISOString();
  const until = period.months === null ? null : monthsAfter(period.from, period.months);
  if (existing) {
    if (JSON.stringify(existing.program) === JSON.stringify(program)) return { record: existing, outcome: 'unchanged' };
    const record = { ...existing, program, settingsUpdatedAt: now };
    await deps.programs.putProgram(record);
    return { record, outcome: 'updated' };
  }
  const record: ProgramRecord = {
    programId: program.id,
    program,
    status: 'running',
    statusReason: null,
    from: period.from,
    until,
    createdAt: now,
    settingsUpdatedAt: null,
  };
  await deps.programs.putProgram(record);
  return { record, outcome: 'created' };
}

function monthsAfter(from: string, months: number): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

async function takenEventsOf(deps: Pick<ProgramDeps, 'events'>, customerId: string) {
  return (await deps.events.listEvents(customerId)).filter((e) => e.appliedAt !== null).map((e) => e.event);
}

type Due = { kind: 'touch'; touch: CalendarTouch } | { kind: 'skipped'; skipped: SkippedTouch };
const dueAt = (due: Due) => Date.parse(due.kind === 'touch' ? due.touch.sendAt : due.skipped.wantedAt);
const dueKey = (due: Due) => (due.kind === 'touch' ? due.touch.key : due.skipped.key);

/** Every touch (sent or skipped) a profile's calendar holds that is not claimed yet, earliest first. */
async function openTouchesOf(deps: ProgramDeps, record: ProgramRecord, profile: Profile, day: string) {
  const events = await takenEventsOf(deps, profile.customerId);
  const calendar = profileCalendarOf(record.program, profile, events, { from: record.from, until: record.until, day });
  const claims = await deps.programs.claimedTouchesOf(record.programId, profile.customerId);
  const claimed = new Set(claims.map((c) => c.key));
  const dues: Due[] = [
    ...calendar.touches.map((touch) => ({ kind: 'touch' as const, touch })),
    ...calendar.skipped.map((skipped) => ({ kind: 'skipped' as const, skipped })),
  ];
  return { open: dues.filter((due) => !claimed.has(dueKey(due))).sort((a, b) => dueAt(a) - dueAt(b)), claims };
}

/** Puts the customer on the due list of the day of their next open touch at or after `day` (none: nothing). */
async function markNextDue(deps: ProgramDeps, record: ProgramRecord, profile: Profile, day: string, open?: Due[]) {
  const dues = open ?? (await openTouchesOf(deps, record, profile, day)).open;
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const next = dues.find((due) => dueAt(due) >= dayStart);
  if (!next) return null;
  const nextDay = utcDayOf(new Date(dueAt(next)).toISOString());
  if (record.until !== null && nextDay >= plusDays(record.until, 1)) return null;
  await deps.programs.markDue(record.programId, nextDay, profile.customerId);
  return nextDay;
}

export const enrolInputSchema = z.object({ programId: z.string().min(1), cursor: z.string().nullable().default(null) });

/**
 * A page of a program's enrolment: each profile's first touch puts them on that day's due list (the
 * sparse "next due" index the daily sweep reads). Run again, it marks the same days again (idempotent).
 */
export async function enrolPage(deps: ProgramDeps, input: z.input<typeof enrolInputSchema>) {
  const { programId, cursor } = enrolInputSchema.parse(input);
  const record = await loadProgram(deps, programId);
  const { profiles, nextCursor } = await deps.profiles.listProfiles(cursor, SWEEP_PAGE_SIZE);
  const from = firstSweepDayOf(record);
  await eachOf(profiles, async (profile) => {
    await markNextDue(deps, record, profile, from);
  });
  return { enrolled: profiles.length, nextCursor };
}

/**
 * A customer's profile changed outside a sweep (an event, an import): in every running program, they go
 * on the due list of their next open touch (a purchase's +3 days may come before their next cycle).
 */
export async function noteProfileChanged(deps: ProgramDeps, customerId: string): Promise<void> {
  const profile = await deps.profiles.getProfile(customerId);
  if (!profile) return;
  const today = utcDayOf(deps.clock.now().toISOString());
  for (const record of await deps.programs.listPrograms()) {
    if (record.status !== 'running' && record.status !== 'paused') continue;
    const from = firstSweepDayOf(record);
    await markNextDue(deps, record, profile, [today, from].sort().at(-1) ?? from);
  }
}

export const sweepInputSchema = z.object({
  programId: z.string().min(1),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  cursor: z.string().nullable().default(null),
});

export interface SweepResult {
  day: string;
  /** The wave of the day, once its last page is swept and it holds touches; null otherwise. */
  waveId: string | null;
  /** Touches this page put in the wave (claimed now or claimed before by a sweep of the same day). */
  touches: number;
  nextCursor: string | null;
  /** The program is paused: the same day is swept again later (nothing due is lost). */
  hold: boolean;
  /** The next day to sweep and when (an hour before it begins, UTC); null: the program has ended. */
  nextDay: string | null;
  nextDayAt: string | null;
  /**
   * A standing program goes on in a new execution from `nextDay` (every RENEW_DAYS days): Standard
   * executions last a year at most.
   */
  renew: boolean;
}

/** A standing program's execution hands over to a new one this often (days). */
export const RENEW_DAYS = 300;

/**
 * A page of a program's daily sweep (issue 16): the customers due on `day` (UTC) by the sparse index.
 * 1. a paused program holds the day (swept again after the resume); a cancelled or finished one ends;
 * 2. per customer: their calendar from the program's first day by their profile as it stands; each open
 *    touch due by the end of the day is claimed once for the day's wave (a re-run of the day's sweep finds
 *    its claims again and builds the same rows; a touch claimed in another wave is never claimed again),
 *    a touch whose next cycle came meanwhile is claimed as skipped with its reason;
 * 3. the claimed touches become the wave's customer rows (the wave's campaign record first);
 * 4. the customer goes on the due list of their next open touch;
 * 5. the last page says the wave (to start its lifecycles, reusing StartLifecycles) and the next day.
 */
export async function sweepPage(deps: ProgramDeps, input: z.input<typeof sweepInputSchema>): Promise<SweepResult> {
  const { programId, day, cursor } = sweepInputSchema.parse(input);
  const record = await loadProgram(deps, programId);
  const ended = { day, waveId: null, touches: 0, nextCursor: null, hold: false, nextDay: null, nextDayAt: null, renew: false };
  if (record.status === 'cancelled' || record.status === 'finished') return ended;
  if (record.status === 'paused') return { ...ended, hold: true };
  const waveId = waveIdOf(programId, day);
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const dayEnd = dayStart + 86_400_000;
  const now = deps.clock.now();
  const { customerIds, nextCursor } = await deps.programs.listDue(programId, day, cursor, SWEEP_PAGE_SIZE);
  const rows: Customer[] = [];
  await eachOf(customerIds, async (customerId) => {
    const profile = await deps.profiles.getProfile(customerId);
    if (!profile) return; // erased since it was due
    const { open, claims } = await openTouchesOf(deps, record, profile, day);
    // One touch of a customer a wave (a wave's rows are keyed by customer): a sweep of this day run again
    // (a retry, a crash) finds the one it claimed and puts it in the wave again; a second touch due the
    // same day waits for the next day's wave.
    const again = claims.find((claim) => claim.waveId === waveId);
    let placed = again !== undefined;
    if (again) rows.push(waveRowOf(profile, again));
    let leftOver = false;
    for (const due of open) {
      if (dueAt(due) >= dayEnd) break;
      if (placed) {
        leftOver = true;
        break;
      }
      const claimed = await deps.programs.claimProgramTouch(claimOf(record, profile, due, { day, waveId, now, dayStart }));
      if (claimed.result === 'taken') continue;
      rows.push(waveRowOf(profile, claimed.claim));
      placed = true;
    }
    const nextDay = plusDays(day, 1);
    if (leftOver) await deps.programs.markDue(programId, nextDay, customerId);
    else
      await markNextDue(
        deps,
        record,
        profile,
        nextDay,
        open.filter((due) => dueAt(due) >= dayEnd),
      );
  });
  if (rows.length > 0) {
    if (!(await deps.repo.getCampaign(waveId))) {
      await deps.repo.putCampaign({
        campaignId: waveId,
        campaign: waveCampaignOf(record.program, waveId, day),
        cutoffs: { diamondMinSpend: 0, goldMinSpend: 0 },
        status: 'running',
        createdAt: now.toISOString(),
        customerCount: 0,
        programId,
      });
    }
    await deps.repo.putCustomers(waveId, rows);
  }
  const touches = rows.length;
  if (nextCursor !== null) return { ...ended, touches, nextCursor };
  const nextDay = record.until !== null && plusDays(day, 1) > record.until ? null : plusDays(day, 1);
  if (nextDay === null)
    await deps.programs.setProgramStatus(programId, ['running'], 'finished', 'its last day was swept', now.toISOString());
  // A day swept in one page that put nobody in the wave has none (most days of a small program): no query.
  const count = cursor === null && touches === 0 ? 0 : await waveSize(deps, waveId, day);
  if (count > 0) {
    await deps.programs.putWave({ programId, day, waveId, touches: count, createdAt: now.toISOString() });
    const wave = await deps.repo.getCampaign(waveId);
    if (wave && wave.customerCount !== count) await deps.repo.putCampaign({ ...wave, customerCount: count });
  }
  return {
    day,
    waveId: count > 0 ? waveId : null,
    touches,
    nextCursor: null,
    hold: false,
    nextDay,
    nextDayAt: nextDay === null ? null : new Date(Date.parse(`${nextDay}T00:00:00Z`) - LAUNCH_LEAD_MS).toISOString(),
    renew:
      record.until === null &&
      nextDay !== null &&
      Math.round((Date.parse(nextDay) - Date.parse(firstSweepDayOf(record))) / 86_400_000) % RENEW_DAYS === 0,
  };
}

/** How many touches a wave holds (its rows launched on its day). */
async function waveSize(deps: Pick<ProgramDeps, 'repo'>, waveId: string, day: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await deps.repo.listCustomerIds(waveId, cursor, 1000, day);
    count += page.ids.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return count;
}

function claimOf(
  record: ProgramRecord,
  profile: Profile,
  due: Due,
  wave: { day: string; waveId: string; now: Date; dayStart: number },
): ProgramTouchClaim {
  const base = { programId: record.programId, customerId: profile.customerId, day: wave.day, waveId: wave.waveId };
  const claimedAt = wave.now.toISOString();
  // Not before the wave's day (a touch held by a pause goes out from its sweep on), booked on the day.
  // (Plan sends one booked in the past at once, in the next window: a sweep held by a pause catches up.)
  const bookAt = (iso: string) => new Date(Math.max(Date.parse(iso), wave.dayStart)).toISOString();
  if (due.kind === 'skipped') {
    const s = due.skipped;
    return {
      ...base,
      key: s.key,
      touch: {
        program: record.programId,
        trigger: s.trigger,
        key: s.key,
        template: 'default',
        tier: s.tier,
        notAfter: s.before,
        skip: s.reason,
      },
      sendAt: bookAt(s.wantedAt),
      channel: 'sms',
      claimedAt,
    };
  }
  const t = due.touch;
  const late = Date.parse(t.before) <= Math.max(wave.now.getTime(), wave.dayStart);
  return {
    ...base,
    key: t.key,
    touch: {
      program: record.programId,
      trigger: t.trigger,
      key: t.key,
      template: t.template,
      tier: t.tier,
      notAfter: new Date(t.before).toISOString(),
      skip: late ? LATE_SKIP : null,
    },
    sendAt: bookAt(t.sendAt),
    channel: t.channel,
    claimedAt,
  };
}
