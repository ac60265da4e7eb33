import type {
  CampaignStore,
  CustomerRecords,
  CustomerRecordsInCampaign,
  EventStore,
  ProfileStore,
  ProgramStore,
  ProgramTouchClaim,
  ReplyStore,
  SuppressionEntry,
  SuppressionList,
  WorkflowControl,
} from '../ports/index.js';
import type { Profile, StoredEvent } from '../profiles.js';
import type { ReplyRecord } from '../records.js';
import type { Channel } from '../schemas.js';
import type { Deps } from './deps.js';
import { isUnfinished } from './operate.js';

/**
 * Data subject requests (`revisit customer export|erase`): everything the table keeps about one customer,
 * in every campaign, and its erasure. Both look the same way:
 * - every campaign is a partition of its own (`CAMPAIGN#<id>`), so the campaigns are listed first and each
 *   is asked for the customer's row, lifecycle, touches, escalations, tickets and replies;
 * - the customer's profile and events (issue 16), kept by customer id across campaigns and programs;
 * - the programs' touches claimed for them and the days they are due on (issue 16), beside their profile;
 * - the addresses the customer was known by (their rows, their profile and the touches sent) lead to what
 *   is kept by address only: the suppression list and the replies that matched no touch (both keyed by a hash).
 */
type CustomerDataDeps = Pick<Deps<CampaignStore & CustomerRecords & ReplyStore & SuppressionList>, 'repo' | 'clock'> & {
  profiles: ProfileStore;
  events: EventStore;
  programs: ProgramStore;
};

/** An address of the customer, and what the table keeps under its hash. */
export interface AddressExport {
  channel: Channel;
  address: string;
  /** On the suppression list since then (null when it is not). */
  suppressed: SuppressionEntry | null;
  /** Replies from this address that matched no touch. */
  unmatchedReplies: ReplyRecord[];
}

export interface CustomerExport {
  customerId: string;
  exportedAt: string;
  /** One entry per campaign that holds anything about the customer; task tokens are left out (not personal data, and they resume executions). */
  campaigns: (CustomerRecordsInCampaign & { campaignName: string | null })[];
  /** The customer's profile (contact data, consent, purchases, tier history), null when there is none. */
  profile: Profile | null;
  /** The events received about the customer (purchases, deliveries, complaints...), oldest first. */
  events: StoredEvent[];
  /** The standing programs' touches claimed for the customer, and the days they are due on in a program. */
  programs: { claims: ProgramTouchClaim[]; due: { programId: string; day: string }[] };
  addresses: AddressExport[];
}

export interface EraseResult {
  customerId: string;
  /** The campaigns that held records about the customer. */
  campaigns: string[];
  /** Records deleted (campaign rows, lifecycles, touches, replies, escalations, tickets, unmatched replies, the profile, events, program touches and due entries). */
  deleted: number;
  /** Lifecycle executions stopped first, so that no step writes about the customer again. */
  stopped: number;
  /** Channels on which an address of the customer stays on the suppression list (a hash, no address). */
  keptOptOuts: Channel[];
}

/**
 * Everything about one customer, as JSON for the data subject:
 * 1. list the campaigns and read the customer's records in each (nothing about anyone else: by key and
 *    filtered by customer id);
 * 2. gather the addresses they were known by (their rows, and where their touches went);
 * 3. for each address, its suppression entry and the unmatched replies sent from it.
 */
export async function exportCustomer(deps: CustomerDataDeps, customerId: string): Promise<CustomerExport> {
  const found = await findCustomer(deps, customerId);
  const profile = await deps.profiles.getProfile(customerId);
  const events = await deps.events.listEvents(customerId);
  const programs = await deps.programs.programRecordsOf(customerId);
  const campaigns = await Promise.all(
    found.map(async (records) => ({
      campaignName: (await deps.repo.getCampaign(records.campaignId))?.campaign.name ?? null,
      ...withoutTaskTokens(records),
    })),
  );
  const addresses: AddressExport[] = [];
  for (const { channel, address } of addressesOf(found, profile)) {
    addresses.push({
      channel,
      address,
      suppressed: await deps.repo.getSuppression(channel, address),
      unmatchedReplies: await deps.repo.unmatchedRepliesFrom(channel, address),
    });
  }
  return { customerId, exportedAt: deps.clock.now().toISOString(), campaigns, profile, events, programs, addresses };
}

/**
 * Erases one customer from every campaign:
 * 1. find their records in every campaign, and the addresses they were known by;
 * 2. stop their lifecycle executions still in progress (or following an open ticket): a running step
 *    would otherwise write about them again;
 * 3. delete their rows, lifecycles, touches (with their address index entries), replies, escalations and
 *    tickets, their profile and events, their program touches and due entries, and the unmatched replies
 *    sent from their addresses;
 * 4. keep the suppression entries of their addresses: an opt-out is honoured for good, and the entry is a
 *    hash of the address with the channel, how and when (no personal data). A later campaign that imports
 *    the same address still leaves it out;
 * 5. delete once more in those campaigns what a step cut short by the stop wrote in between.
 *
 * Aggregates are not kept: a campaign's report built after the erasure counts without the customer
 * (reports already written or e-mailed stay as they were); the campaign's imported `customerCount` stays.
 */
export async function eraseCustomer(
  deps: CustomerDataDeps & { control: WorkflowControl },
  customerId: string,
): Promise<EraseResult> {
  const found = await findCustomer(deps, customerId);
  const addresses = addressesOf(found, await deps.profiles.getProfile(customerId));
  let stopped = 0;
  for (const records of found) {
    const open = records.tickets.some((ticket) => ticket.status !== 'closed');
    if (records.lifecycle !== null && !isUnfinished(records.lifecycle) && !open) continue;
    await deps.control.stopLifecycle(records.campaignId, customerId, 'customer data erased on request');
    stopped++;
  }
  let deleted = 0;
  const campaigns = found.map((records) => records.campaignId);
  for (const campaignId of campaigns) deleted += await deps.repo.deleteCustomerRecordsIn(campaignId, customerId);
  for (const { channel, address } of addresses) deleted += await deps.repo.deleteUnmatchedRepliesFrom(channel, address);
  deleted += await deps.events.deleteEventsOf(customerId);
  deleted += await deps.programs.deleteProgramRecordsOf(customerId);
  if (await deps.profiles.deleteProfile(customerId)) deleted++;
  // A step that was running when its execution stopped may have written one more record in between.
  for (const campaignId of campaigns) deleted += await deps.repo.deleteCustomerRecordsIn(campaignId, customerId);
  const keptOptOuts = new Set<Channel>();
  for (const { channel, address } of addresses) {
    if (await deps.repo.isSuppressed(channel, address)) keptOptOuts.add(channel);
  }
  return { customerId, campaigns, deleted, stopped, keptOptOuts: [...keptOptOuts].sort() };
}

/** The customer's records in every campaign that holds any. */
async function findCustomer(deps: Pick<CustomerDataDeps, 'repo'>, customerId: string): Promise<CustomerRecordsInCampaign[]> {
  const found: CustomerRecordsInCampaign[] = [];
  for (const campaignId of await deps.repo.listCampaignIds()) {
    const records = await deps.repo.customerRecordsIn(campaignId, customerId);
    const any =
      records.customer !== null ||
      records.lifecycle !== null ||
      [records.touches, records.replies, records.escalations, records.tickets].some((list) => list.length > 0);
    if (any) found.push(records);
  }
  return found;
}

/** Every address the customer was known by, once per channel (compared as the hashed keys compare them). */
function addressesOf(
  found: readonly CustomerRecordsInCampaign[],
  profile: Profile | null,
): { channel: Channel; address: string }[] {
  const addresses = new Map<string, { channel: Channel; address: string }>();
  const add = (channel: Channel, address: string | null) => {
    if (!address?.trim()) return;
    const id = `${channel}#${address.trim().toLowerCase()}`;
    if (!addresses.has(id)) addresses.set(id, { channel, address: address.trim() });
  };
  add('sms', profile?.contact.phone ?? null);
  add('email', profile?.contact.email ?? null);
  for (const records of found) {
    add('sms', records.customer?.phone ?? null);
    add('email', records.customer?.email ?? null);
    for (const touch of records.touches) add(touch.channel, touch.address);
  }
  return [...addresses.values()];
}

function withoutTaskTokens(records: CustomerRecordsInCampaign): CustomerRecordsInCampaign {
  const lifecycle = records.lifecycle ? { ...records.lifecycle } : null;
  if (lifecycle) delete lifecycle.pausedToken;
  return {
    ...records,
    lifecycle,
    touches: records.touches.map(({ taskToken: _, ...touch }) => touch),
    tickets: records.tickets.map(({ taskToken: _, ...ticket }) => ticket),
  };
}
