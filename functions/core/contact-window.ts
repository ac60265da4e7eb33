import { DateTime } from 'luxon';

export interface ContactWindow {
  /** Local opening time, HH:MM. */
  start: string;
  /** Local closing time, HH:MM (exclusive). */
  end: string;
}

export interface WindowRules {
  window: ContactWindow;
  blackoutDates: readonly string[];
  /** The campaign's execution window, inclusive local dates. */
  execution: { start: string; end: string };
}

function at(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}

/**
 * The earliest instant at or after `after` that lies inside the customer's local contact window, on a
 * day that is neither a blackout day nor outside the campaign's execution window. `offsetMinutes` spreads
 * customers inside the window (it is added to the opening time when the window has not opened yet).
 * Returns null when no such instant exists before the campaign ends.
 */
export function nextSendTime(after: Date, timeZone: string, rules: WindowRules, offsetMinutes = 0): DateTime | null {
  let cursor = DateTime.fromJSDate(after).setZone(timeZone);
  const campaignStart = DateTime.fromISO(rules.execution.start, { zone: timeZone }).startOf('day');
  const campaignEnd = DateTime.fromISO(rules.execution.end, { zone: timeZone }).endOf('day');
  if (cursor < campaignStart) cursor = campaignStart;
  const blackout = new Set(rules.blackoutDates);
  for (let guard = 0; guard < 400 && cursor <= campaignEnd; guard++) {
    const day = cursor.startOf('day');
    const opens = at(day, rules.window.start);
    const closes = at(day, rules.window.end);
    if (!blackout.has(day.toISODate() ?? '') && cursor < closes) {
      let candidate = cursor < opens ? opens.plus({ minutes: offsetMinutes }) : cursor;
      if (candidate >= closes) candidate = closes.minus({ minutes: 1 });
      if (candidate >= opens && candidate <= campaignEnd) return candidate;
    }
    cursor = day.plus({ days: 1 });
  }
  return null;
}

export function isInsideWindow(instant: Date, timeZone: string, rules: WindowRules): boolean {
  const local = DateTime.fromJSDate(instant).setZone(timeZone);
  const day = local.startOf('day');
  const date = day.toISODate() ?? '';
  if (rules.blackoutDates.includes(date)) return false;
  if (date < rules.execution.start || date > rules.execution.end) return false;
  return local >= at(day, rules.window.start) && local < at(day, rules.window.end);
}
