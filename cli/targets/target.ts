import type { ControlRequest } from '../../files/control.js';
import type { Campaign } from '../../functions/core/schemas.js';
import type { eraseCustomer } from '../../functions/core/use-cases/customer-data.js';
import type { CampaignStatus } from '../../functions/core/use-cases/operate.js';

/** What the campaign operations and data subject requests need: records and the workflows. */
export type OperateDeps = Parameters<typeof eraseCustomer>[0];

/** Where a campaign runs: the local engine on a data folder, or the stack deployed on AWS. */
export interface Target {
  readonly kind: 'local' | 'aws';
  /** Validates and imports the customers, starts the campaign; returns what to print. */
  launch(campaign: Campaign, options: { customersFile: string; outDir: string; resume: boolean }): Promise<string>;
  status(campaignId: string): Promise<CampaignStatus & { live?: boolean }>;
  /** Pause, resume, cancel or update; `where` says where it was carried out. */
  operate(campaignId: string, request: ControlRequest): Promise<{ where: string; result: unknown }>;
  /** Runs `fn` on the campaigns' records once nothing else holds them (data subject requests). */
  withRecords<T>(what: string, fn: (deps: OperateDeps) => Promise<T>): Promise<{ where: string; result: T }>;
  /** The options that name this target again on a later command line. */
  readonly flags: string;
}
