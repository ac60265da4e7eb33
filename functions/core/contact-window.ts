import { DateTime } from 'luxon';

export interface ContactWindow {
  /** Local opening time, HH:MM. */
  start: string;
  /** Local closing time, HH:MM (exclusive). */
  end: string;
}

/** When a customer may be contacted, in their own time zone (rulebook section 2). */
export interface WindowRules {
  window: ContactWindow;
  /** Periods inside the window when nothing is sent (for example a lunch break). */
  quietHours?: readonly ContactWindow[];
  /** Local dates (YYYY-MM-DD) when nothing is sent: public holidays, the Spring Festival days. */
  blackoutDates: readonly string[];
  /** Send on working days only: Monday to Friday, plus the make-up working days. */
  workingDaysOnly?: boolean;
  /** Weekend dates that are working days (调休), when `workingDaysOnly` is set. */
  makeUpWorkdays?: readonly string[];
  /** The campaign's execution window, inclusive local dates. */
  execution: { start: string; end: string };
}

function at(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
}

/** Whether anything may be sent on this local day at all. */
export function isSendableDay(day: DateTime, rules: WindowRules): boolean {
  const date = day.toISODate() ?? '';
  if (date < rules.execution.start || date > rules.execution.end) return false;
  if (rules.blackoutDates.includes(date)) return false;
  if (rules.workingDaysOnly && day.weekday >= 6 && !(rules.makeUpWorkdays ?? []).includes(date)) return false;
  return true;
}

/** The day's open intervals: the contact window with the quiet hours cut out, in order. */
export function openIntervals(day: DateTime, rules: WindowRules): [DateTime, DateTime][] {
  let intervals: [DateTime, DateTime][] = [[at(day, rules.window.start), at(day, rules.window.end)]];
  for (const quiet of rules.quietHours ?? []) {
    const qs = at(day, quiet.start);
    const qe = at(day, quiet.end);
    intervals = intervals.flatMap(([s, e]): [DateTime, DateTime][] => {
      if (qe <= s || qs >= e) return [[s, e]];
      const parts: [DateTime, DateTime][] = [];
      if (qs > s) parts.push([s, qs]);
      if (qe < e) parts.push([qe, e]);
      return parts;
    });
  }
  return intervals.filter(([s, e]) => s < e);
}

/**
 * The earliest instant at or after `after` when the customer may be contacted: inside the local contact
 * window and outside quiet hours, on a sendable day of the campaign. `offsetMinutes` spreads customers
 * after the opening time when the day's window has not opened yet. Null when the campaign has no such
 * instant left.
 */
export function nextSendTime(after: Date, timeZone: string, rules: WindowRules, offsetMinutes = 0): DateTime | null {
  let cursor = DateTime.fromJSDate(after).setZone(timeZone);
  const campaignStart = DateTime.fromISO(rules.execution.start, { zone: timeZone }).startOf('day');
  const campaignEnd = DateTime.fromISO(rules.execution.end, { zone: timeZone }).endOf('day');
  if (cursor < campaignStart) cursor = campaignStart;
  for (let guard = 0; guard < 800 && cursor <= campaignEnd; guard++) {
    const day = cursor.startOf('day');
    if (isSendableDay(day, rules)) {
      const intervals = openIntervals(day, rules);
      const dayOpens = intervals[0]?.[0];
      for (const [opens, closes] of intervals) {
        if (cursor >= closes) continue;
        let candidate = cursor < opens ? opens : cursor;
        if (dayOpens && cursor < dayOpens && opens.equals(dayOpens)) candidate = opens.plus({ minutes: offsetMinutes });
        if (candidate >= closes) candidate = closes.minus({ minutes: 1 });
        if (candidate >= opens && candidate <= campaignEnd) return candidate;
      }
    }
    cursor = day.plus({ days: 1 });
  }
  return null;
}

export function isInsideWindow(instant: Date, timeZone: string, rules: WindowRules): boolean {
  const local = DateTime.fromJSDate(instant).setZone(timeZone);
  const day = local.startOf('day');
  if (!isSendableDay(day, rules)) return false;
  return openIntervals(day, rules).some(([opens, closes]) => local >= opens && local < closes);
}

/** The campaign's contact rules, as the scheduling functions take them. */
export function windowRulesOf(campaign: {
  contactWindow: ContactWindow;
  quietHours: readonly ContactWindow[];
  blackoutDates: readonly string[];
  calendar: { workingDaysOnly: boolean; makeUpWorkdays: readonly string[] };
  execution: { start: string; end: string };
}): WindowRules {
  return {
    window: campaign.contactWindow,
    quietHours: campaign.quietHours,
    blackoutDates: campaign.blackoutDates,
    workingDaysOnly: campaign.calendar.workingDaysOnly,
    makeUpWorkdays: campaign.calendar.makeUpWorkdays,
    execution: campaign.execution,
  };
}
