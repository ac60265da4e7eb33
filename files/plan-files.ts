import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { type CampaignPlan, planCampaign, touchContextOf } from '../functions/core/campaign-plan.js';
import { type MessagePreview, messagePreviewsOf, previewsMarkdown } from '../functions/core/message-previews.js';
import type { Campaign, Customer } from '../functions/core/schemas.js';
import { type TierCutoffs, tierCutoffsOf } from '../functions/core/segmentation.js';
import { type RejectedRow, readCustomerFile, rejectedCsv } from './customer-file.js';

/** The campaign's reference time: its first day at 08:00 in its default zone, or now when later. */
export function campaignStartOf(campaign: Campaign, now = new Date()): Date {
  const first = DateTime.fromISO(campaign.execution.start, { zone: campaign.defaultTimeZone }).set({ hour: 8 });
  return new Date(Math.max(now.getTime(), first.toMillis()));
}

export interface LoadedCustomers {
  customers: Customer[];
  rejected: RejectedRow[];
  cutoffs: TierCutoffs;
}

/**
 * Streams the customer file once: the parsed customers are kept (the plan orders all of them by
 * priority), the file's text never is.
 */
export async function loadCustomers(file: string, campaign: Campaign): Promise<LoadedCustomers> {
  const customers: Customer[] = [];
  const rejected: RejectedRow[] = [];
  for await (const item of readCustomerFile(file, {
    region: campaign.defaultRegion,
    timeZone: campaign.defaultTimeZone,
    locale: campaign.defaultLocale,
  })) {
    if ('rejected' in item) rejected.push(...item.rejected);
    else {
      rejected.push(...item.warnings);
      customers.push(item.customer);
    }
  }
  return {
    customers,
    rejected,
    cutoffs: tierCutoffsOf(
      customers.map((c) => c.spend12m),
      campaign.segmentation,
    ),
  };
}

/** plan.json (one customer per line inside the array, so a 100k plan streams out), plan.csv, rejected.csv. */
async function writePlanFiles(outDir: string, campaign: Campaign, plan: CampaignPlan, rejected: readonly RejectedRow[]) {
  await mkdir(outDir, { recursive: true });
  const json = createWriteStream(join(outDir, 'plan.json'));
  const csv = createWriteStream(join(outDir, 'plan.csv'));
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write(json, `{"campaign":${JSON.stringify({ id: campaign.id, name: campaign.name })},\n"customers":[\n`);
  const maxTouches = campaign.maxTouches;
  const touchColumns = Array.from({ length: maxTouches }, (_, i) => [`touch${i + 1}Channel`, `touch${i + 1}SendAt`]).flat();
  await write(
    csv,
    stringify([], {
      header: true,
      bom: true,
      columns: [
        'id',
        'tier',
        'segment',
        'priority',
        'deadline',
        'skip',
        ...touchColumns,
        'accountManagerTask',
        'deadlineMissedByHours',
      ],
    }),
  );
  for (const [i, entry] of plan.customers.entries()) {
    await write(json, `${JSON.stringify(entry)}${i + 1 < plan.customers.length ? ',' : ''}\n`);
    const touches = Array.from({ length: maxTouches }, (_, t) => [
      entry.touches[t]?.channel ?? '',
      entry.touches[t]?.sendAt ?? '',
    ]).flat();
    await write(
      csv,
      stringify([
        [
          entry.id,
          entry.tier,
          entry.segment,
          entry.priority,
          entry.deadline,
          entry.skip ?? '',
          ...touches,
          entry.accountManagerTask?.to ?? '',
          entry.deadlineMissedByHours ?? '',
        ],
      ]),
    );
  }
  await write(json, `],\n"totals":${JSON.stringify(plan.totals, null, 2)}\n}\n`);
  json.end();
  csv.end();
  await Promise.all([once(json, 'finish'), once(csv, 'finish')]);
  await writeFile(join(outDir, 'rejected.csv'), rejectedCsv(rejected));
}

/** One rendered message per template the plan's touches take and locale: previews.json and previews.md. */
export function campaignPreviews(campaign: Campaign, plan: CampaignPlan, customers: readonly Customer[]): MessagePreview[] {
  const byId = new Map(customers.map((c) => [c.id, c]));
  return messagePreviewsOf(
    campaign,
    plan.customers.flatMap((entry) => {
      const customer = byId.get(entry.id);
      if (!customer) return [];
      const context = touchContextOf(customer, entry);
      return entry.touches.map((t) => ({ ...context, channel: t.channel }));
    }),
  );
}

async function writePreviewFiles(outDir: string, campaign: Campaign, previews: readonly MessagePreview[]): Promise<void> {
  await writeFile(join(outDir, 'previews.json'), `${JSON.stringify(previews, null, 2)}\n`);
  await writeFile(join(outDir, 'previews.md'), previewsMarkdown(`${campaign.name} (${campaign.id})`, previews));
}

/** `revisit plan`: the dry run, nothing sent and nothing stored. */
export async function planFromFile(file: string, campaign: Campaign, outDir: string, now = new Date()) {
  const loaded = await loadCustomers(file, campaign);
  const plan = planCampaign(loaded.customers, campaign, loaded.cutoffs, campaignStartOf(campaign, now));
  await writePlanFiles(outDir, campaign, plan, loaded.rejected);
  const previews = campaignPreviews(campaign, plan, loaded.customers);
  await writePreviewFiles(outDir, campaign, previews);
  return { plan, rejected: loaded.rejected, previews };
}
