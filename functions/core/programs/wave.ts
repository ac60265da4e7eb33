import { DateTime } from 'luxon';
import type { CustomerEvent } from '../events.js';
import type { ProgramTouchClaim } from '../ports/programs.js';
import { customerOf, type Profile } from '../profiles.js';
import { type Campaign, type Customer, campaignSchema, TIERS, type Tier } from '../schemas.js';
import { type CalendarTouch, type Deferral, programCalendar, type SkippedTouch } from './calendar.js';
import { campaignOf, type Program } from './schema.js';

/**
 * A program's touches run in waves (issue 16): the touches due on one UTC day are the customers of one
 * campaign record, `<program id>-<yyyymmdd>`, so that each runs through the lifecycle state machine
 * exactly as a campaign's customer does (plan, contact, await, evaluate, escalate, confirm), and pause,
 * resume, cancel, status and the report work on it unchanged.
 */
export function waveIdOf(programId: string, day: string): string {
  return `${programId}-${day.replaceAll('-', '')}`;
}

/** How long a wave's campaign window stays open after its day: re-contacts, the care SMS and confirmations fit in it. */
export const WAVE_OPEN_DAYS = 45;

const DAY_MS = 86_400_000;
export const plusDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
export const utcDayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/**
 * The campaign a wave runs as: the program's own settings (windows, calendar, cap, rates, survey, SLAs,
 * escalation, messages: one schema piece shared by both, see campaignOf), its tiers with the program's
 * cadence, and an execution window from the wave's day.
 */
export function waveCampaignOf(program: Program, waveId: string, day: string): Campaign {
  const tiers = Object.fromEntries(
    TIERS.map((tier) => [tier, { ...(program.tiers[tier] ?? {}), cadence: program.cadence[tier] }]),
  ) as Record<Tier, unknown>;
  return campaignSchema.parse({
    ...campaignOf(program, { start: day, end: plusDays(day, WAVE_OPEN_DAYS) }),
    id: waveId,
    name: `${program.name} · ${day}`,
    tiers,
  });
}

/** The tier a profile had at an instant, by its history (its first tier before the history starts). */
export function tierAtOf(profile: Profile, ms: number): Tier {
  let tier = profile.tierHistory[0]?.to ?? profile.tier;
  for (const change of profile.tierHistory) if (Date.parse(change.at) <= ms) tier = change.to;
  return tier;
}

/** How many months from `from` (a local date) a calendar must cover to see past `day` by half a year and a month. */
export function monthsThrough(from: string, day: string, until: string | null): number {
  const months = (end: string) =>
    Math.max(1, Math.ceil(DateTime.fromISO(end, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'months').months));
  if (until !== null) return months(until);
  return months(plusDays(day, 7 * 31));
}

export interface ProfileCalendar {
  touches: CalendarTouch[];
  skipped: SkippedTouch[];
  /** Touches the cap moved inside the program (from the slot they wanted to the one they got). */
  deferrals: Deferral[];
}

/**
 * One customer's calendar of a program, from the program's first day, by their profile as it stands: the
 * tier at the first day and the changes since (purchases, the no-response downgrade), the events taken.
 * The same profile gives the same touches, with the same keys, on every sweep.
 */
export function profileCalendarOf(
  program: Program,
  profile: Profile,
  events: readonly CustomerEvent[],
  range: { from: string; until: string | null; day: string },
): ProfileCalendar {
  const customer = customerOf(profile);
  const fromMs = DateTime.fromISO(range.from, { zone: customer.timeZone }).toMillis();
  const calendar = programCalendar({
    customers: [
      {
        customer,
        tier: tierAtOf(profile, fromMs),
        segment: profile.segment,
        tierChanges: profile.tierHistory.filter((c) => Date.parse(c.at) > fromMs).map((c) => ({ at: c.at, tier: c.to })),
      },
    ],
    program,
    events,
    from: range.from,
    months: monthsThrough(range.from, range.day, range.until),
  });
  return { touches: calendar.customers[0]?.touches ?? [], skipped: calendar.skipped, deferrals: calendar.deferrals };
}

/** The customer row of a wave: the profile's contact and purchase data, with the claimed touch and its booked slot. */
export function waveRowOf(profile: Profile, claim: ProgramTouchClaim): Customer {
  return {
    ...customerOf(profile),
    // Booked on the wave's day even when skipped: the wave's fan-out starts the day's rows, and Plan records the skip.
    plannedFirstTouch: { channel: claim.channel, sendAt: claim.sendAt },
    programTouch: claim.touch,
  };
}
