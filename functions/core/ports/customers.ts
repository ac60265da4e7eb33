import type { Customer } from '../schemas.js';

/** Where a campaign's imported customer rows are kept. */
export interface CustomerStore {
  putCustomers(campaignId: string, customers: readonly Customer[]): Promise<void>;
  getCustomer(campaignId: string, customerId: string): Promise<Customer | null>;
  /** A page of a campaign's customer ids; with `launchDay`, only those whose lifecycles start that day. */
  listCustomerIds(
    campaignId: string,
    cursor: string | null,
    limit: number,
    launchDay?: string,
  ): Promise<{ ids: string[]; nextCursor: string | null }>;
}
