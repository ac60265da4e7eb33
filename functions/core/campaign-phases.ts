import { DateTime } from 'luxon';
import type { Campaign } from './schemas.js';

/** When the campaign report is drawn up (rulebook section 6: the summary phase, then evaluations at +1 week and +3 months). */
export interface ReportTime {
  /** Stable per campaign: names the schedule. */
  name: 'summary' | '1w' | '3m';
  /** Local wall-clock time in the campaign's zone, `yyyy-MM-ddTHH:mm:ss`. */
  localTime: string;
  timeZone: string;
  at: Date;
}

/**
 * The report times of a campaign: the first morning of the summary phase (the day after the execution
 * phase ends, rulebook section 2), one week and three months after that, each when the contact window opens.
 */
export function reportTimesOf(campaign: Campaign): ReportTime[] {
  const [hour, minute] = campaign.contactWindow.start.split(':').map(Number);
  const summary = DateTime.fromISO(campaign.execution.end, { zone: campaign.defaultTimeZone })
    .plus({ days: 1 })
    .set({ hour: hour ?? 9, minute: minute ?? 0, second: 0, millisecond: 0 });
  const times = [
    ['summary', summary],
    ['1w', summary.plus({ weeks: 1 })],
    ['3m', summary.plus({ months: 3 })],
  ] as const;
  return times.map(([name, time]) => ({
    name,
    localTime: time.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
    timeZone: campaign.defaultTimeZone,
    at: time.toJSDate(),
  }));
}

/** The launch day of customers without a planned first touch (unreachable ones): before every other day. */
export const FIRST_LAUNCH_DAY = '0000-00-00';

/** How long before its UTC day begins a day's lifecycles are started (they then wait for their send window). */
export const LAUNCH_LEAD_MS = 3600_000;

/**
 * The days a campaign's fan-out starts lifecycles on, in order: the customers without a planned touch
 * first, then each UTC day from the day before the execution phase to the day after it (a customer's
 * local window may fall on either side of the UTC date).
 */
export function launchDaysOf(campaign: Campaign): string[] {
  const first = DateTime.fromISO(campaign.execution.start, { zone: 'utc' }).minus({ days: 1 });
  const last = DateTime.fromISO(campaign.execution.end, { zone: 'utc' }).plus({ days: 1 });
  const days = [FIRST_LAUNCH_DAY];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) days.push(day.toISODate() ?? '');
  return days;
}

/** The launch day of a customer: the UTC date of their booked first touch. */
export function launchDayOf(plannedSendAt: string | null | undefined): string {
  return plannedSendAt ? new Date(plannedSendAt).toISOString().slice(0, 10) : FIRST_LAUNCH_DAY;
}

/** When a day's lifecycles are started: an hour before the day begins (UTC); the first day at once. */
export function launchTimeOf(day: string): string | null {
  return day === FIRST_LAUNCH_DAY ? null : new Date(Date.parse(`${day}T00:00:00Z`) - LAUNCH_LEAD_MS).toISOString();
}
