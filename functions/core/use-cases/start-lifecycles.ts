import { z } from 'zod';
import { FIRST_LAUNCH_DAY, launchDaysOf, launchTimeOf } from '../campaign-phases.js';
import type { CampaignStore, CustomerStore, LifecycleStarter } from '../ports/index.js';
import type { Deps } from './deps.js';
import { loadCampaign } from './load.js';

export const startLifecyclesInputSchema = z.object({
  campaignId: z.string().min(1),
  cursor: z.string().nullable(),
  /** The launch day whose customers to start; null: the first. */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
});

/**
 * Customers per page. Only the cursor travels through the state machine, so a page is bounded by the
 * function's time (1,000 starts take a few seconds at Step Functions' StartExecution rate), and the
 * campaign execution's history grows by about ten events a page: far below its 25,000-event limit
 * for a million customers (BENCHMARKS.md, "Scale on AWS").
 */
export const PAGE_SIZE = 1000;

/** StartExecution calls in flight at once from one page. */
export const START_CONCURRENCY = 20;

/**
 * Starts the lifecycles of a page of the customers whose lifecycles start on one launch day (the UTC
 * date of their booked first touch), and says what comes after it: the next page of that day, or the
 * next day and when it starts. The campaign's fan-out calls this an hour before each day, so that the
 * open executions are a day's customers and those still waiting for an answer, never the whole list.
 *
 * A page run twice (a retry after a timeout) starts nobody twice: executions are named after the
 * customer. A cancelled campaign starts nobody, and ends the fan-out.
 */
export async function startLifecycles(
  deps: Pick<Deps<CampaignStore & CustomerStore>, 'repo'> & { starter: LifecycleStarter },
  input: z.input<typeof startLifecyclesInputSchema>,
) {
  const { campaignId, cursor, day: given } = startLifecyclesInputSchema.parse(input);
  const day = given ?? FIRST_LAUNCH_DAY;
  const record = await loadCampaign(deps.repo, campaignId);
  if (record.status === 'cancelled') {
    return { started: 0, alreadyStarted: 0, nextCursor: null, day, nextDay: null, nextDayAt: null };
  }
  const { ids, nextCursor } = await deps.repo.listCustomerIds(campaignId, cursor, PAGE_SIZE, day);
  let next = 0;
  let alreadyStarted = 0;
  const worker = async () => {
    while (next < ids.length) {
      const customerId = ids[next++] as string;
      if ((await deps.starter.startLifecycle(campaignId, customerId)) === 'existing') alreadyStarted++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, ids.length) }, worker));
  const days = launchDaysOf(record.campaign);
  const index = days.indexOf(day);
  const nextDay = nextCursor === null && index >= 0 ? (days[index + 1] ?? null) : null;
  return {
    started: ids.length - alreadyStarted,
    alreadyStarted,
    nextCursor,
    day,
    nextDay,
    nextDayAt: nextDay === null ? null : launchTimeOf(nextDay),
  };
}
