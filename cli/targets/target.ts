import type { ControlRequest } from '../../files/control.js';
import type { Program } from '../../functions/core/programs/schema.js';
import type { Campaign } from '../../functions/core/schemas.js';

export interface ProgramLaunchOptions {
  /** Imported onto the profiles first; null: the profiles in the table as they are. */
  customersFile: string | null;
  eventsFile: string | null;
  /** The first local day. */
  from: string;
  /** null: until cancelled (AWS only). */
  months: number | null;
  outDir: string;
  resume: boolean;
}

import type { eraseCustomer } from '../../functions/core/use-cases/customer-data.js';
import type { CampaignStatus } from '../../functions/core/use-cases/operate.js';

/** What the campaign operations and data subject requests need: records and the workflows. */
export type OperateDeps = Parameters<typeof eraseCustomer>[0];

/** Where a campaign runs: the local engine on a data folder, or the stack deployed on AWS. */
export interface Target {
  readonly kind: 'local' | 'aws';
  /** Validates and imports the customers, starts the campaign; returns what to print. */
  launch(campaign: Campaign, options: { customersFile: string; outDir: string; resume: boolean }): Promise<string>;
  /** Stores a standing program and starts it (locally: runs it for its months, as `revisit program run`). */
  launchProgram(program: Program, options: ProgramLaunchOptions): Promise<string>;
  status(campaignId: string): Promise<CampaignStatus & { live?: boolean }>;
  /** Pause, resume, cancel or update; `where` says where it was carried out. */
  operate(campaignId: string, request: ControlRequest): Promise<{ where: string; result: unknown }>;
  /** Runs `fn` on the campaigns' records once nothing else holds them (data subject requests). */
  withRecords<T>(what: string, fn: (deps: OperateDeps) => Promise<T>): Promise<{ where: string; result: T }>;
  /** The options that name this target again on a later command line. */
  readonly flags: string;
}
