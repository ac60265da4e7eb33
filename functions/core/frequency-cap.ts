/** Rulebook section 2: at most `per48h` touches per customer in any 48 hours and `per7d` in any 7 days. */
export interface FrequencyCap {
  per48h: number;
  per7d: number;
}

export const HOURS_48 = 48 * 3600_000;
export const DAYS_7 = 7 * 24 * 3600_000;

/** Most touches in any window of `length` ms that contains `t`, counting a touch at `t` itself. */
function busiestWindowAround(points: readonly number[], t: number, length: number): number {
  const near = points.filter((p) => p > t - length && p < t + length);
  // The count only changes where a window's start passes a touch or a touch's start: try those.
  const starts = [t - length + 1, ...near.map((p) => p - length + 1), ...near].filter((s) => s > t - length && s <= t);
  let most = 0;
  for (const s of starts) most = Math.max(most, near.filter((p) => p >= s && p < s + length).length);
  return most + 1;
}

export function fitsCap(history: readonly number[], cap: FrequencyCap, t: number): boolean {
  return busiestWindowAround(history, t, HOURS_48) <= cap.per48h && busiestWindowAround(history, t, DAYS_7) <= cap.per7d;
}

/**
 * The earliest instant at or after `candidate` (epoch ms) at which one more touch keeps every sliding
 * 48-hour and 7-day window within the cap, given the customer's other touches (epoch ms, any campaign,
 * past or already booked).
 */
export function earliestUnderCap(history: readonly number[], cap: FrequencyCap, candidate: number): number {
  if (fitsCap(history, cap, candidate)) return candidate;
  // Where the answer can be: just after some touch leaves a window, or just after a touch.
  const options = [...new Set(history.flatMap((p) => [p + HOURS_48, p + DAYS_7, p + 1]))]
    .filter((o) => o > candidate)
    .sort((a, b) => a - b);
  for (const option of options) if (fitsCap(history, cap, option)) return option;
  return Math.max(candidate, ...history) + DAYS_7;
}
