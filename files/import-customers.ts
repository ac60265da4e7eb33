import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planCampaign } from '../functions/core/campaign-plan.js';
import type { CampaignRepository, ProfileStore } from '../functions/core/ports/index.js';
import type { Campaign, Customer } from '../functions/core/schemas.js';
import { type RejectedRow, rejectedCsv } from './customer-file.js';
import { loadCustomers } from './plan-files.js';

/** A campaign id that was launched or run before, refused unless told to start afresh or resume. */
export class CampaignExistsError extends Error {
  override name = 'CampaignExistsError';
}

/** How far a run (or its import) has got, for the progress bar. */
export interface RunProgress {
  phase: 'import' | 'run';
  done: number;
  total: number;
  sent: number;
  replied: number;
}

export interface ImportOptions {
  campaign: Campaign;
  customersFile: string;
  outDir: string;
  onProgress?: (progress: RunProgress) => void;
  /**
   * The customer profiles (issue 16): a customer with one follows its tier (a downgrade the no-response
   * rule persisted holds) rather than the file's spend alone.
   */
  profiles?: Pick<ProfileStore, 'getProfile'>;
}

/**
 * Imports the customer file into the table (DynamoDB Local, or the deployed table for `launch --target
 * aws`): bad rows to rejected.csv, each first touch with the rate slot the campaign plan booked for it,
 * batched writes.
 */
export async function importCustomers(
  repo: CampaignRepository,
  options: ImportOptions,
  now: Date,
): Promise<{ imported: number; rejected: RejectedRow[] }> {
  const clock = { now: () => now };
  const { campaign } = options;
  await repo.putCampaign({
    campaignId: campaign.id,
    campaign,
    cutoffs: { diamondMinSpend: 0, goldMinSpend: 0 },
    status: 'importing',
    createdAt: clock.now().toISOString(),
    customerCount: 0,
  });
  const { customers, rejected, cutoffs } = await loadCustomers(options.customersFile, campaign);
  const profiled = options.profiles ? await withProfileTiers(options.profiles, customers) : customers;
  const plan = planCampaign(profiled, campaign, cutoffs, clock.now());
  const booked = new Map(plan.customers.map((p) => [p.id, p.touches[0]]));
  const scheduled = profiled.map((customer) => {
    const first = booked.get(customer.id);
    return first ? { ...customer, plannedFirstTouch: { channel: first.channel, sendAt: first.sendAt } } : customer;
  });
  const imported = scheduled.length;
  const writes: Promise<void>[] = [];
  for (let i = 0; i < scheduled.length; i += 100) {
    writes.push(repo.putCustomers(campaign.id, scheduled.slice(i, i + 100)));
    if (writes.length >= 8) await Promise.all(writes.splice(0));
    options.onProgress?.({ phase: 'import', done: Math.min(i + 100, imported), total: imported, sent: 0, replied: 0 });
  }
  await Promise.all(writes);
  await repo.putCampaign({
    campaignId: campaign.id,
    campaign,
    cutoffs,
    status: 'running',
    createdAt: clock.now().toISOString(),
    customerCount: imported,
  });
  await writeFile(join(options.outDir, 'rejected.csv'), rejectedCsv(rejected));
  return { imported, rejected };
}

/** Each customer with their profile's tier, when they have a profile (read 20 at a time). */
async function withProfileTiers(profiles: Pick<ProfileStore, 'getProfile'>, customers: readonly Customer[]): Promise<Customer[]> {
  const out: Customer[] = [];
  for (let i = 0; i < customers.length; i += 20) {
    const page = customers.slice(i, i + 20);
    const found = await Promise.all(page.map((c) => profiles.getProfile(c.id)));
    for (const [j, customer] of page.entries()) out.push({ ...customer, profileTier: found[j]?.tier ?? null });
  }
  return out;
}
