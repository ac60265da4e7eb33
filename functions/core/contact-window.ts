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

/** One local day of one zone under one set of rules, in epoch milliseconds. */
interface ZoneDay {
  start: number;
  end: number;
  intervals: [number, number][];
  sendable: boolean;
  /** The clocks change this day (daylight saving): wall-clock times are checked minute by minute. */
  irregular: boolean;
}

/**
 * Time-zone arithmetic is the costly part of scheduling (each offset lookup formats a date through
 * Intl), and a plan asks the same zone about the same days over and over: the days are computed once
 * per rules, zone and date, then scheduling is arithmetic on epoch milliseconds.
 */
const dayCache = new WeakMap<WindowRules, Map<string, ZoneDay>>();

function zoneDay(rules: WindowRules, timeZone: string, instant: number): ZoneDay {
  let days = dayCache.get(rules);
  if (!days) {
    days = new Map();
    dayCache.set(rules, days);
  }
  // The day holding `instant`: first look among cached days of this zone near it.
  const hourKey = `${timeZone}|h${Math.floor(instant / 3_600_000)}`;
  const known = days.get(hourKey);
  if (known && instant >= known.start && instant < known.end) return known;
  const day = DateTime.fromMillis(instant, { zone: timeZone }).startOf('day');
  const dateKey = `${timeZone}|${day.toISODate()}`;
  let entry = days.get(dateKey);
  if (!entry) {
    const sendable = isSendableDay(day, rules);
    const next = day.plus({ days: 1 });
    entry = {
      start: day.toMillis(),
      end: next.toMillis(),
      intervals: sendable ? openIntervals(day, rules).map(([s, e]) => [s.toMillis(), e.toMillis()]) : [],
      sendable,
      irregular: day.offset !== next.offset,
    };
    if (days.size > 200_000) days.clear();
    days.set(dateKey, entry);
  }
  days.set(hourKey, entry);
  return entry;
}

const boundsCache = new WeakMap<WindowRules, Map<string, [number, number]>>();

/** The first and last instant of the campaign's execution dates in a zone (epoch ms). */
function campaignBounds(rules: WindowRules, timeZone: string): [number, number] {
  let zones = boundsCache.get(rules);
  if (!zones) {
    zones = new Map();
    boundsCache.set(rules, zones);
  }
  let bounds = zones.get(timeZone);
  if (!bounds) {
    bounds = [
      DateTime.fromISO(rules.execution.start, { zone: timeZone }).startOf('day').toMillis(),
      DateTime.fromISO(rules.execution.end, { zone: timeZone }).endOf('day').toMillis(),
    ];
    zones.set(timeZone, bounds);
  }
  return bounds;
}

/**
 * The earliest instant (epoch ms) at or after `after` when the customer may be contacted: inside the
 * local contact window and outside quiet hours, on a sendable day of the campaign. `offsetMinutes`
 * spreads customers after the opening time when the day's window has not opened yet. Null when the
 * campaign has no such instant left.
 */
export function nextSendMillis(after: number, timeZone: string, rules: WindowRules, offsetMinutes = 0): number | null {
  const [campaignStart, campaignEnd] = campaignBounds(rules, timeZone);
  let cursor = Math.max(after, campaignStart);
  for (let guard = 0; guard < 800 && cursor <= campaignEnd; guard++) {
    const day = zoneDay(rules, timeZone, cursor);
    if (day.irregular) {
      if (day.sendable) {
        // Minute by minute: a window boundary may fall in the skipped or the repeated hour.
        for (let t = Math.ceil(cursor / 60_000) * 60_000; t < day.end && t <= campaignEnd; t += 60_000) {
          if (t >= cursor && isOpenWallClock(t, timeZone, rules)) return t;
        }
      }
      cursor = day.end;
      continue;
    }
    const dayOpens = day.intervals[0]?.[0];
    for (const [opens, closes] of day.intervals) {
      if (cursor >= closes) continue;
      let candidate = Math.max(cursor, opens);
      if (dayOpens !== undefined && cursor < dayOpens && opens === dayOpens) candidate = opens + offsetMinutes * 60_000;
      if (candidate >= closes) candidate = closes - 60_000;
      if (candidate >= opens && candidate <= campaignEnd) return candidate;
    }
    cursor = day.end;
  }
  return null;
}

/** nextSendMillis as a date-time in the customer's zone. */
export function nextSendTime(after: Date, timeZone: string, rules: WindowRules, offsetMinutes = 0): DateTime | null {
  const next = nextSendMillis(after.getTime(), timeZone, rules, offsetMinutes);
  return next === null ? null : DateTime.fromMillis(next, { zone: timeZone });
}

export function isInsideWindow(instant: Date, timeZone: string, rules: WindowRules): boolean {
  const ms = instant.getTime();
  const day = zoneDay(rules, timeZone, ms);
  if (day.irregular) return day.sendable && isOpenWallClock(ms, timeZone, rules);
  return day.intervals.some(([opens, closes]) => ms >= opens && ms < closes);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether the local wall clock at `epochMs` reads a time inside the window and outside quiet hours. */
function isOpenWallClock(epochMs: number, timeZone: string, rules: WindowRules): boolean {
  const local = new Date(epochMs + offsetMinutesAt(epochMs, timeZone) * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (minute < minutesOf(rules.window.start) || minute >= minutesOf(rules.window.end)) return false;
  return !(rules.quietHours ?? []).some((q) => minute >= minutesOf(q.start) && minute < minutesOf(q.end));
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

/**
 * The rules for following an issue up (the "is it solved?" question): the campaign's window, quiet hours
 * and calendar, but not its last day, since an issue is followed to its close. Planning and sending must
 * use the same rules, or a send refused as "outside the window" is planned again for the same instant.
 */
export function followUpRulesOf(campaign: Parameters<typeof windowRulesOf>[0]): WindowRules {
  const rules = windowRulesOf(campaign);
  return { ...rules, execution: { ...rules.execution, end: '9999-12-31' } };
}

const offsetCache = new Map<string, number>();

/**
 * The UTC offset of a zone at an instant, in minutes, cached per zone and quarter hour: every offset and
 * every transition between offsets falls on a quarter hour of UTC, so the cache is exact.
 */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(epochMs / 900_000)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = DateTime.fromMillis(epochMs, { zone: timeZone }).offset;
    if (offsetCache.size > 500_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2026-12-16T09:00:00+08:00 (milliseconds when not zero). */
export function isoInZone(epochMs: number, timeZone: string): string {
  const offset = offsetMinutesAt(epochMs, timeZone);
  const utc = new Date(epochMs + offset * 60_000).toISOString();
  const local = epochMs % 1000 === 0 ? utc.slice(0, 19) : utc.slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
