import type { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isInsideWindow, nextSendTime, type WindowRules } from '../../../functions/core/contact-window.js';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';

const rules: WindowRules = {
  window: { start: '09:00', end: '20:00' },
  blackoutDates: ['2027-01-01', '2027-01-02', '2027-01-03'],
  execution: { start: '2026-12-16', end: '2027-01-20' },
};

const springRules: WindowRules = { ...rules, blackoutDates: [], execution: { start: '2027-03-01', end: '2027-11-30' } };

function utc(time: DateTime | null): string | null {
  return time ? new Date(time.toMillis()).toISOString() : null;
}

describe('nextSendTime', () => {
  it.each([
    ['before the window opens', '2026-12-16T00:30:00.000Z', 15, '2026-12-16T01:15:00.000Z'],
    ['inside the window', '2026-12-16T02:00:00.000Z', 30, '2026-12-16T02:00:00.000Z'],
    ['after the window closed', '2026-12-16T12:30:00.000Z', 0, '2026-12-17T01:00:00.000Z'],
    ['at closing time', '2026-12-16T12:00:00.000Z', 5, '2026-12-17T01:05:00.000Z'],
    ['before the campaign starts', '2026-12-01T02:00:00.000Z', 10, '2026-12-16T01:10:00.000Z'],
    ['on the evening before the blackout days', '2026-12-31T13:00:00.000Z', 0, '2027-01-04T01:00:00.000Z'],
    ['on a blackout day', '2027-01-02T03:00:00.000Z', 0, '2027-01-04T01:00:00.000Z'],
    ['inside the window on the last day', '2027-01-20T10:00:00.000Z', 0, '2027-01-20T10:00:00.000Z'],
  ])('in Shanghai, %s (%s, spread %i min), sends at %s', (_when, after, offset, expected) => {
    // Act
    const at = nextSendTime(new Date(after), SHANGHAI, rules, offset);

    // Assess
    expect(utc(at)).toBe(expected);
    expect(isInsideWindow(new Date(expected), SHANGHAI, rules)).toBe(true);
  });

  it.each([
    ['after the window closed on the last day', '2027-01-20T12:30:00.000Z'],
    ['after the campaign ended', '2027-01-21T02:00:00.000Z'],
  ])('finds no send time %s', (_when, after) => {
    expect(nextSendTime(new Date(after), SHANGHAI, rules)).toBeNull();
  });

  it('finds no send time when only blackout days are left', () => {
    const closing = { ...rules, blackoutDates: ['2027-01-19', '2027-01-20'] };

    expect(nextSendTime(new Date('2027-01-18T13:00:00Z'), SHANGHAI, closing)).toBeNull();
  });

  it('keeps a spread offset inside a short window', () => {
    const short = { ...rules, window: { start: '09:00', end: '10:00' } };

    const at = nextSendTime(new Date('2026-12-16T00:00:00Z'), SHANGHAI, short, 90);

    expect(at?.toFormat('HH:mm')).toBe('09:59');
  });

  it("reads the window in the customer's own time zone", () => {
    // 21:00 in Shanghai is 08:00 in New York
    const at = nextSendTime(new Date('2026-12-16T13:00:00Z'), NEW_YORK, rules, 0);

    expect(utc(at)).toBe('2026-12-16T14:00:00.000Z');
    expect(at?.zoneName).toBe(NEW_YORK);
  });

  it.each([
    ['the day before clocks go forward (EST)', '2027-03-13T12:00:00.000Z', '2027-03-13T14:00:00.000Z'],
    ['the evening before clocks go forward, to 09:00 EDT', '2027-03-14T01:00:00.000Z', '2027-03-14T13:00:00.000Z'],
    ['the night clocks go back, to 09:00 EST', '2027-11-07T05:00:00.000Z', '2027-11-07T14:00:00.000Z'],
  ])('opens at 09:00 local time in New York on %s', (_when, after, expected) => {
    const at = nextSendTime(new Date(after), NEW_YORK, springRules, 0);

    expect(utc(at)).toBe(expected);
    expect(at?.toFormat('HH:mm')).toBe('09:00');
  });
});

describe('isInsideWindow', () => {
  it.each([
    ['08:59 in Shanghai', '2026-12-16T00:59:00Z', SHANGHAI, false],
    ['09:00 in Shanghai', '2026-12-16T01:00:00Z', SHANGHAI, true],
    ['19:59 in Shanghai', '2026-12-16T11:59:00Z', SHANGHAI, true],
    ['20:00 in Shanghai (the end is exclusive)', '2026-12-16T12:00:00Z', SHANGHAI, false],
    ['a blackout day', '2027-01-01T02:00:00Z', SHANGHAI, false],
    ['the day before the campaign', '2026-12-15T02:00:00Z', SHANGHAI, false],
    ['the day after the campaign', '2027-01-21T02:00:00Z', SHANGHAI, false],
    ['the last day of the campaign', '2027-01-20T11:00:00Z', SHANGHAI, true],
    ['09:30 on the first campaign day in Shanghai while UTC is still on the day before', '2026-12-16T01:30:00Z', SHANGHAI, true],
    ['22:30 in Shanghai', '2026-12-17T14:30:00Z', SHANGHAI, false],
    ['the same instant, 09:30 in New York', '2026-12-17T14:30:00Z', NEW_YORK, true],
  ] as const)('says whether %s is inside the window (%s in %s): %s', (_when, instant, zone, inside) => {
    expect(isInsideWindow(new Date(instant), zone, rules)).toBe(inside);
  });

  it.each([
    ['19:30 EST on 13 March', '2027-03-14T00:30:00Z', true],
    ['09:30 EDT on 14 March (08:30 if the offset had not changed)', '2027-03-14T13:30:00Z', true],
    ['20:30 EDT on 14 March (19:30 if the offset had not changed)', '2027-03-15T00:30:00Z', false],
    ['08:30 EDT on 15 March', '2027-03-15T12:30:00Z', false],
  ])('follows daylight saving time in New York: %s (%s) is inside: %s', (_when, instant, inside) => {
    expect(isInsideWindow(new Date(instant), NEW_YORK, springRules)).toBe(inside);
  });
});
