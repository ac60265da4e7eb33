import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { CustomerEvent } from '../functions/core/events.js';
import { type MessagePreview, messagePreviewsOf, previewsMarkdown } from '../functions/core/message-previews.js';
import { type CalendarCustomer, type ProgramCalendar, programCalendar } from '../functions/core/programs/calendar.js';
import { tierChangesOf } from '../functions/core/programs/retier.js';
import { campaignOf, type Program } from '../functions/core/programs/schema.js';
import { type CalendarTotals, calendarTotals } from '../functions/core/programs/totals.js';
import type { Campaign, Customer } from '../functions/core/schemas.js';
import { segmentOf, tierOf } from '../functions/core/segmentation.js';
import { chooseTemplate } from '../functions/core/templates.js';
import { inert, type RejectedRow, rejectedCsv } from './customer-file.js';
import { type RejectedEvent, readEventsFile, rejectedEventsCsv } from './events-file.js';
import { loadCustomers } from './plan-files.js';

export interface ProgramPlanOptions {
  customers: string;
  program: Program;
  events?: string | undefined;
  /** The first local day, YYYY-MM-DD. */
  from: string;
  months: number;
  out: string;
}

export interface ProgramPlan {
  calendar: ProgramCalendar;
  totals: CalendarTotals;
  /** One rendered message per template used and locale. */
  previews: MessagePreview[];
  rejectedRows: RejectedRow[];
  rejectedEvents: RejectedEvent[];
}

/**
 * `revisit program plan`: the dry run of a standing program, nothing sent and nothing stored.
 * 1. read the customers with the campaign importer (rejected rows with their lines go on) and the events
 *    (rejected events with their lines go on);
 * 2. tier and segment every customer as of the first day (segmentation.ts), and re-tier them as their
 *    events in the period come in (profiles.ts: a purchase lifts a customer);
 * 3. the calendar (core/programs/calendar.ts) and its totals per month, tier and cost;
 * 4. one rendered message per template the touches take and locale (core/message-previews.ts);
 * 5. write calendar.json, calendar.csv, previews.md, previews.json, rejected.csv and, with events,
 *    rejected-events.csv.
 */
export async function planProgramFromFiles(options: ProgramPlanOptions): Promise<ProgramPlan> {
  const { program } = options;
  const start = DateTime.fromISO(options.from, { zone: program.defaultTimeZone });
  const lastDay = start.plus({ months: options.months }).minus({ days: 1 }).toISODate() ?? options.from;
  const campaign = campaignOf(program, { start: options.from, end: lastDay });
  const loaded = await loadCustomers(options.customers, campaign);
  let events: CustomerEvent[] = [];
  let rejectedEvents: RejectedEvent[] = [];
  if (options.events) ({ events, rejected: rejectedEvents } = await readEventsFile(options.events));
  const now = start.toJSDate();
  const fromIso = start.toISO() ?? options.from;
  const eventsOf = new Map<string, CustomerEvent[]>();
  for (const event of events) eventsOf.set(event.customerId, [...(eventsOf.get(event.customerId) ?? []), event]);
  const customers: CalendarCustomer[] = loaded.customers.map((customer) => {
    const tier = tierOf(customer, loaded.cutoffs, program.segmentation);
    const own = eventsOf.get(customer.id) ?? [];
    const tierChanges = tierChangesOf(customer, own, loaded.cutoffs, program.segmentation, fromIso);
    return { customer, tier, segment: segmentOf(customer, tier, now, program.segmentation), tierChanges };
  });
  const calendar = programCalendar({ customers, program, events, from: options.from, months: options.months });
  nameChosenMessages(calendar, campaign, loaded.customers);
  const totals = calendarTotals(calendar, program, loaded.customers);
  const previews = messagePreviewsOf(
    campaign,
    calendar.customers.flatMap((c) =>
      c.touches.map((t) => ({ channel: t.channel, tier: t.tier, segment: c.segment, trigger: t.trigger, message: t.template })),
    ),
  );
  await writeProgramPlanFiles(options.out, calendar, totals, previews, loaded.rejected, options.events ? rejectedEvents : null);
  return { calendar, totals, previews, rejectedRows: loaded.rejected, rejectedEvents };
}

/**
 * Each touch's `template` as Contact will choose it (templates.ts chooseTemplate, in the customer's locale):
 * the calendar gives a trigger step's own message or `default`; the program's messageRules then pick by
 * tier, segment and trigger, so that calendar.json names the message each customer will hear.
 */
function nameChosenMessages(calendar: ProgramCalendar, campaign: Campaign, customers: readonly Customer[]): void {
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const entry of calendar.customers) {
    const customer = byId.get(entry.id);
    if (!customer) continue;
    for (const touch of entry.touches) {
      const context = { tier: touch.tier, segment: entry.segment, trigger: touch.trigger, message: touch.template };
      touch.template = chooseTemplate(campaign, 'survey', touch.channel, customer.locale, context).message ?? 'default';
    }
  }
}

const CSV_COLUMNS = ['customerId', 'tier', 'segment', 'sendAt', 'channel', 'program', 'trigger', 'template', 'wantedAt'];

async function writeProgramPlanFiles(
  outDir: string,
  calendar: ProgramCalendar,
  totals: CalendarTotals,
  previews: readonly MessagePreview[],
  rejectedRows: readonly RejectedRow[],
  rejectedEvents: readonly RejectedEvent[] | null,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const lines = calendar.customers.map((c) => JSON.stringify(c));
  const json = [
    `{"program":${JSON.stringify(calendar.program)},"from":${JSON.stringify(calendar.from)},"months":${calendar.months},`,
    `"customers":[\n${lines.join(',\n')}\n],`,
    `"deferrals":${JSON.stringify(calendar.deferrals)},`,
    `"skipped":${JSON.stringify(calendar.skipped)},`,
    `"events":${JSON.stringify(calendar.events)},`,
    `"previews":${JSON.stringify(previews)},`,
    `"totals":${JSON.stringify(totals, null, 2)}}\n`,
  ].join('\n');
  const rows = calendar.customers.flatMap((c) =>
    c.touches.map((t) => [inert(c.id), c.tier, c.segment, t.sendAt, t.channel, t.program, t.trigger, t.template, t.wantedAt]),
  );
  await Promise.all([
    writeFile(join(outDir, 'calendar.json'), json),
    writeFile(join(outDir, 'calendar.csv'), stringify(rows, { header: true, columns: CSV_COLUMNS, bom: true })),
    writeFile(join(outDir, 'previews.json'), `${JSON.stringify(previews, null, 2)}\n`),
    writeFile(join(outDir, 'previews.md'), previewsMarkdown(`${calendar.program.name} (${calendar.program.id})`, previews)),
    writeFile(join(outDir, 'rejected.csv'), rejectedCsv(rejectedRows)),
    ...(rejectedEvents ? [writeFile(join(outDir, 'rejected-events.csv'), rejectedEventsCsv(rejectedEvents))] : []),
  ]);
}
