import type { z } from 'zod';
import type { TouchKey } from '../../functions/core/ports/index.js';
import type { CampaignRecord, LifecycleRecord, TouchRecord } from '../../functions/core/records.js';
import {
  type Campaign,
  type CampaignInput,
  type Customer,
  campaignSchema,
  customerSchema,
} from '../../functions/core/schemas.js';
import type { TierCutoffs } from '../../functions/core/segmentation.js';
import type { InMemoryCampaignRepository } from './fakes/index.js';

/** 10:00 in Shanghai on the first day of the default execution window (16 Dec 2026). */
export const NOW = '2026-12-16T02:00:00.000Z';
export const CAMPAIGN_ID = 'spring-2027';
export const LINK_KEY = 'test-link-signing-key-0123456789abcdef';
export const PUBLIC_BASE_URL = 'https://revisit.example.com';
export const HOUR_MS = 3600 * 1000;

export function campaignOf(overrides: Partial<CampaignInput> = {}): Campaign {
  return campaignSchema.parse({ id: CAMPAIGN_ID, name: '新春回访 2027', brand: 'Revisit Shop', ...overrides });
}

/** The campaign record as the table holds it (pk/sk included), for tests that mock DynamoDB. */
export function campaignItemOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: `CAMPAIGN#${CAMPAIGN_ID}`,
    sk: 'META',
    campaignId: CAMPAIGN_ID,
    campaign: campaignOf(),
    cutoffs: { diamondMinSpend: 1, goldMinSpend: 1 },
    status: 'running',
    createdAt: NOW,
    customerCount: 1,
    ...overrides,
  };
}

/** An ordinary active silver customer in Shanghai (with the cut-offs of `CUTOFFS`), reachable on both channels. */
export function customerOf(overrides: Partial<z.input<typeof customerSchema>> = {}): Customer {
  return customerSchema.parse({
    id: 'C0001',
    name: '王芳',
    phone: '+8613800138000',
    email: 'wang.fang@example.cn',
    accountManager: 'li.na@example.com',
    lastPurchaseAt: '2026-11-01T10:00:00+08:00',
    firstPurchaseAt: '2024-06-01T10:00:00+08:00',
    orders12m: 4,
    spend12m: 1000,
    spendPrev3m: 300,
    spendLast3m: 300,
    ...overrides,
  });
}

export const CUTOFFS: TierCutoffs = { diamondMinSpend: 5000, goldMinSpend: 2000 };

export async function seedCampaign(
  repo: InMemoryCampaignRepository,
  options: { campaign?: Campaign; customers?: Customer[]; cutoffs?: TierCutoffs } = {},
): Promise<{ campaign: Campaign; customers: Customer[] }> {
  const campaign = options.campaign ?? campaignOf();
  const customers = options.customers ?? [customerOf()];
  const record: CampaignRecord = {
    campaignId: campaign.id,
    campaign,
    cutoffs: options.cutoffs ?? CUTOFFS,
    status: 'running',
    createdAt: NOW,
    customerCount: customers.length,
  };
  await repo.putCampaign(record);
  await repo.putCustomers(campaign.id, customers);
  return { campaign, customers };
}

export function lifecycleOf(overrides: Partial<LifecycleRecord> = {}): LifecycleRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    tier: 'silver',
    segment: 'active',
    priority: 'medium',
    deadline: '2026-12-31T10:00:00+08:00',
    accountManagerTask: false,
    skip: null,
    status: 'planned',
    channels: ['sms', 'email'],
    next: { touch: 1, channel: 'sms', sendAt: '2026-12-16T10:30:00+08:00', last: false },
    replyTimeoutSeconds: 48 * 3600,
    plannedAt: NOW,
    outcome: null,
    csat: null,
    nps: null,
    sentiment: null,
    escalated: false,
    category: null,
    severity: null,
    noResponseRule: null,
    downgradedTo: null,
    finishedAt: null,
    ...overrides,
  };
}

/** A touch as Contact leaves it after a successful send. */
export function sentTouchOf(overrides: Partial<TouchRecord> = {}): TouchRecord {
  return {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    channel: 'sms',
    template: 'sms/zh-CN',
    status: 'sent',
    claimedAt: NOW,
    sentAt: NOW,
    messageId: 'sns-message-1',
    replyDeadline: new Date(Date.parse(NOW) + 48 * HOUR_MS).toISOString(),
    address: '+8613800138000',
    asks: 'csat',
    attempts: 1,
    ...overrides,
  };
}

export async function seedSentTouch(repo: InMemoryCampaignRepository, overrides: Partial<TouchRecord> = {}): Promise<TouchKey> {
  const touch = sentTouchOf(overrides);
  await repo.claimTouch(touch);
  return { campaignId: touch.campaignId, customerId: touch.customerId, touch: touch.touch };
}

/** Narrows away null and undefined, failing the test with `what` otherwise. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
