import type { LifecycleRecord } from '../records.js';

/** Where each customer's lifecycle in a campaign (its plan and where it stands) is kept. */
export interface LifecycleStore {
  getLifecycle(campaignId: string, customerId: string): Promise<LifecycleRecord | null>;
  /** Creates the lifecycle record once; a re-run of Plan keeps the first plan. Returns the stored one. */
  createLifecycle(record: LifecycleRecord): Promise<LifecycleRecord>;
  updateLifecycle(campaignId: string, customerId: string, changes: Partial<LifecycleRecord>): Promise<void>;
  listLifecycles(campaignId: string): Promise<LifecycleRecord[]>;
}
