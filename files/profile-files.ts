import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign } from '../functions/core/schemas.js';
import { importProfile, ingestEvent, type ProfileDeps } from '../functions/core/use-cases/profiles.js';
import { type RejectedRow, rejectedCsv } from './customer-file.js';
import { eventsFileLines, type RejectedEvent, rejectedEventsCsv } from './events-file.js';
import { loadCustomers } from './plan-files.js';

/** How far an import or an ingest has got, for the progress bar. */
export interface ProfileProgress {
  done: number;
  total: number;
}

export interface ProfileImportResult {
  created: number;
  updated: number;
  unchanged: number;
  tiersChanged: number;
  rejected: RejectedRow[];
}

/** Profiles written at once: DynamoDB Local takes a few in parallel, the order of customers does not matter. */
const IMPORT_CONCURRENCY = 8;

/**
 * `revisit customers import FILE`: the customer file through the campaign importer (the same checks and
 * rejected.csv), each valid row onto its profile with the population's tier cut-offs of this file.
 */
export async function importProfilesFile(
  deps: Pick<ProfileDeps, 'profiles'> & { onProfileChanged?: (customerId: string) => Promise<void> },
  options: { file: string; campaign: Campaign; outDir: string; onProgress?: (progress: ProfileProgress) => void },
  now: Date,
): Promise<ProfileImportResult> {
  const { customers, rejected, cutoffs } = await loadCustomers(options.file, options.campaign);
  const result: ProfileImportResult = { created: 0, updated: 0, unchanged: 0, tiersChanged: 0, rejected };
  const at = now.toISOString();
  for (let i = 0; i < customers.length; i += IMPORT_CONCURRENCY) {
    const outcomes = await Promise.all(
      customers
        .slice(i, i + IMPORT_CONCURRENCY)
        .map((customer) => importProfile(deps, customer, cutoffs, options.campaign.segmentation, at)),
    );
    for (const [j, { outcome, tierChanged }] of outcomes.entries()) {
      result[outcome]++;
      if (tierChanged) result.tiersChanged++;
      const customer = customers[i + j];
      if (outcome !== 'unchanged' && customer) await deps.onProfileChanged?.(customer.id);
    }
    options.onProgress?.({ done: Math.min(i + IMPORT_CONCURRENCY, customers.length), total: customers.length });
  }
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'rejected.csv'), rejectedCsv(rejected));
  return result;
}

export interface EventIngestResult {
  taken: number;
  duplicate: number;
  rejected: RejectedEvent[];
  tiersChanged: number;
}

/** Events in flight at once, across customers; one customer's events are applied one after the other, in file order. */
const INGEST_CONCURRENCY = 16;

/** The lines of a file (newlines, and a last line without one), counted without decoding it: the progress bar's total. */
async function lineCount(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++;
    last = chunk.at(-1) ?? last;
  }
  return last === 10 ? lines : lines + 1;
}

/**
 * `revisit events ingest FILE`: the events file streamed, each valid event stored once and applied to its
 * customer's profile (`ingestEvent`); every line refused (unreadable, invalid, no profile) goes to
 * rejected-events.csv with its line number and reason.
 */
export async function ingestEventsFile(
  deps: ProfileDeps & { onProfileChanged?: (customerId: string) => Promise<void> },
  options: { file: string; campaign: Campaign; outDir: string; onProgress?: (progress: ProfileProgress) => void },
  now: Date,
): Promise<EventIngestResult> {
  const total = options.onProgress ? await lineCount(options.file) : 0;
  const result: EventIngestResult = { taken: 0, duplicate: 0, rejected: [], tiersChanged: 0 };
  const receivedAt = now.toISOString();
  const inFlight = new Set<Promise<void>>();
  // One customer's events in file order, and one id's lines one after the other (whichever customer they name).
  const lastOfCustomer = new Map<string, Promise<void>>();
  const lastOfId = new Map<string, Promise<void>>();
  let failure: unknown = null;
  let done = 0;
  const progress = () => options.onProgress?.({ done: ++done, total: Math.max(total, done) });
  for await (const item of eventsFileLines(options.file)) {
    if (failure !== null) break;
    if ('rejected' in item) {
      result.rejected.push(item.rejected);
      progress();
      continue;
    }
    const { event, line } = item;
    const previous = Promise.all([lastOfCustomer.get(event.customerId), lastOfId.get(event.id)]);
    const next: Promise<void> = previous
      .then(() => ingestEvent(deps, event, options.campaign.segmentation, receivedAt))
      .then(async (outcome) => {
        if (outcome.outcome !== 'rejected') await deps.onProfileChanged?.(event.customerId);
        if (outcome.outcome === 'rejected') result.rejected.push({ line, id: event.id, reason: outcome.reason });
        else if (outcome.outcome === 'duplicate') result.duplicate++;
        else {
          result.taken++;
          if (outcome.tierChanged) result.tiersChanged++;
        }
        progress();
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        inFlight.delete(next);
        if (lastOfCustomer.get(event.customerId) === next) lastOfCustomer.delete(event.customerId);
        if (lastOfId.get(event.id) === next) lastOfId.delete(event.id);
      });
    lastOfCustomer.set(event.customerId, next);
    lastOfId.set(event.id, next);
    inFlight.add(next);
    if (inFlight.size >= INGEST_CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  result.rejected.sort((a, b) => a.line - b.line);
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'rejected-events.csv'), rejectedEventsCsv(result.rejected));
  return result;
}
