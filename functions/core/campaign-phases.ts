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
