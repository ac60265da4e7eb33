/** The time, as the running engine sees it (wall clock on AWS, a scaled virtual clock locally). */
export interface Clock {
  now(): Date;
  /** Waits until `instant` (a short wait inside a step, e.g. for a send slot). */
  sleepUntil(instant: Date): Promise<void>;
}
