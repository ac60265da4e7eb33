import { NotFoundError } from '../errors.js';
import type {
  CampaignStore,
  CustomerStore,
  EscalationStore,
  LifecycleStore,
  ReplyStore,
  TicketStore,
  TouchStore,
} from '../ports/index.js';

/** The stores `listCampaignRecords` reads. */
export type CampaignRecordStores = LifecycleStore & TouchStore & ReplyStore & EscalationStore & TicketStore;

export async function loadCampaign(repo: CampaignStore, campaignId: string) {
  const record = await repo.getCampaign(campaignId);
  if (!record) throw new NotFoundError(`campaign ${campaignId} does not exist`);
  return record;
}

export async function loadCustomer(repo: CustomerStore, campaignId: string, customerId: string) {
  const customer = await repo.getCustomer(campaignId, customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId} is not in campaign ${campaignId}`);
  return customer;
}

export async function loadLifecycle(repo: LifecycleStore, campaignId: string, customerId: string) {
  const lifecycle = await repo.getLifecycle(campaignId, customerId);
  if (!lifecycle) throw new NotFoundError(`customer ${customerId} has no lifecycle in campaign ${campaignId}`);
  return lifecycle;
}

/** Every record of a campaign the summary and the report read: lifecycles, touches, replies, escalations, tickets. */
export async function listCampaignRecords(repo: CampaignRecordStores, campaignId: string) {
  const [lifecycles, touches, replies, escalations, tickets] = await Promise.all([
    repo.listLifecycles(campaignId),
    repo.listTouches(campaignId),
    repo.listReplies(campaignId),
    repo.listEscalations(campaignId),
    repo.listTickets(campaignId),
  ]);
  return { lifecycles, touches, replies, escalations, tickets };
}
