import type { OutboxEntry } from '../local/outbox.js';

export interface SendRate {
  configuredPerSecond: number;
  /** The most first touches in one second of the clock (virtual time, as the campaign and the provider see it). */
  peakObservedPerSecond: number;
  /** The most in any sliding one-second window (a send late in its slot may share a window with the next second's). */
  peakSlidingPerSecond: number;
  /**
   * Sends per second of the clock from the first to the last second of the backlog (whole seconds, the
   * first and last included), over the configured rate: 1 when every one of them carried the rate.
   */
  sustainedRatio: number;
  sends: number;
  /** Sends in each second of the clock over the backlog, for the chart. */
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
  const firstSecond = Math.floor((times[0] ?? 0) / 1000);
  const seconds = Math.floor((times.at(-1) ?? 0) / 1000) - firstSecond + 1;
  const perSecond = Array.from({ length: seconds }, () => 0);
  for (const t of times) perSecond[Math.floor(t / 1000) - firstSecond] = (perSecond[Math.floor(t / 1000) - firstSecond] ?? 0) + 1;
  // The busiest sliding one-second window.
  let peak = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] ?? 0) - (times[i] ?? 0) >= 1000) i++;
    peak = Math.max(peak, j - i + 1);
  }
  return {
    configuredPerSecond,
    peakObservedPerSecond: Math.max(0, ...perSecond),
    peakSlidingPerSecond: peak,
    sustainedRatio: times.length / seconds / configuredPerSecond,
    sends: times.length,
    perSecond,
  };
}
