import type { OutboxEntry } from '../local/outbox.js';

export interface SendRate {
  configuredPerSecond: number;
  /** The most first touches in one second of the clock (virtual time, as the campaign and the provider see it). */
  peakObservedPerSecond: number;
  /** The most in any sliding one-second window (a send late in its slot may share a window with the next second's). */
  peakSlidingPerSecond: number;
  /** Sends per second from the first to the last of the backlog, over the configured rate. */
  sustainedRatio: number;
  sends: number;
  /** Sends in each second of the backlog, for the chart. */
  perSecond: number[];
}

/** How the SMS sends of a campaign spread over time: never over the rate, and how close to it. */
export function sendRateOf(outbox: readonly OutboxEntry[], configuredPerSecond: number): SendRate {
  const times = outbox
    .filter((m) => m.kind === 'touch' && m.channel === 'sms' && m.touch === 1)
    .map((m) => Date.parse(m.sentAt))
    .sort((a, b) => a - b);
  // The backlog: the sends from the first one on while they keep coming (no gap over 5 s); the customers
  // whose windows open later in the day are another backlog.
  let end = 0;
  while (end + 1 < times.length && (times[end + 1] ?? 0) - (times[end] ?? 0) <= 5000) end++;
  times.splice(end + 1);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const perSecond = Array.from({ length: Math.floor((last - first) / 1000) + 1 }, () => 0);
  for (const t of times) perSecond[Math.floor((t - first) / 1000)] = (perSecond[Math.floor((t - first) / 1000)] ?? 0) + 1;
  // The busiest second of the clock, and the busiest sliding one-second window.
  const calendar = new Map<number, number>();
  for (const t of times) calendar.set(Math.floor(t / 1000), (calendar.get(Math.floor(t / 1000)) ?? 0) + 1);
  let peak = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] ?? 0) - (times[i] ?? 0) >= 1000) i++;
    peak = Math.max(peak, j - i + 1);
  }
  const spanSeconds = Math.max(1, (last - first) / 1000 + 1 / configuredPerSecond);
  return {
    configuredPerSecond,
    peakObservedPerSecond: Math.max(0, ...calendar.values()),
    peakSlidingPerSecond: peak,
    sustainedRatio: times.length / spanSeconds / configuredPerSecond,
    sends: times.length,
    perSecond,
  };
}
