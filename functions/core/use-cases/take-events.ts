import { parseEvent } from '../events.js';
import type { SegmentationRules } from '../schemas.js';
import { ingestEvent } from './profiles.js';
import { noteProfileChanged, type ProgramDeps } from './programs.js';

/** At most this many events a request or a delivery (EventBridge delivers one; POST /events up to 100). */
export const MAX_EVENTS_PER_BATCH = 100;

/** What became of one event of a batch, by its place in the batch: never the event's contents (personal data). */
export interface TakenEvent {
  index: number;
  /** The event's id, when it had one. */
  id: string | null;
  outcome: 'taken' | 'duplicate' | 'rejected';
  /** Why it was rejected. */
  reason?: string;
}

/**
 * A batch of customer events (issue 16: EventBridge, POST /events, `revisit events ingest`, the
 * simulator), each on its own: validated with the one schema (a clear reason per bad event), stored once by
 * its id and applied to its profile (ingestEvent), and, when it changed the profile, the customer put on the
 * due list of their next touch in every running program (a purchase's +3 days). A bad event never stops
 * the good ones after it.
 */
export async function takeEvents(
  deps: ProgramDeps,
  raws: readonly unknown[],
  rules: SegmentationRules,
  receivedAt: string,
): Promise<TakenEvent[]> {
  const results: TakenEvent[] = [];
  for (const [index, raw] of raws.entries()) {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : null;
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      results.push({ index, id, outcome: 'rejected', reason: parsed.reason });
      continue;
    }
    const outcome = await ingestEvent(deps, parsed.event, rules, receivedAt);
    if (outcome.outcome === 'rejected') {
      results.push({ index, id, outcome: 'rejected', reason: outcome.reason });
      continue;
    }
    // A duplicate too: its first delivery may have stopped before the due list heard of it (marking is idempotent).
    await noteProfileChanged(deps, parsed.event.customerId);
    results.push({ index, id, outcome: outcome.outcome });
  }
  return results;
}
