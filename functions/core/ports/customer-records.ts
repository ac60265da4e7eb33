import type { EscalationRecord, LifecycleRecord, ReplyRecord, TicketRecord, TouchRecord } from '../records.js';
import type { Customer } from '../schemas.js';

/** Everything one campaign keeps about one customer (data subject requests). */
export interface CustomerRecordsInCampaign {
  campaignId: string;
  /** The customer's row as imported (contact and purchase data). */
  customer: Customer | null;
  lifecycle: LifecycleRecord | null;
  /** With their replies (and each touch's entry in the address index). */
  touches: TouchRecord[];
  /** Every inbound answer matched to the customer. */
  replies: ReplyRecord[];
  escalations: EscalationRecord[];
  tickets: TicketRecord[];
}

/** A customer's records in a campaign, found and erased together (data subject requests). */
export interface CustomerRecords {
  /** Everything one campaign keeps about one customer: their row, lifecycle, touches, replies, escalations, tickets. */
  customerRecordsIn(campaignId: string, customerId: string): Promise<CustomerRecordsInCampaign>;
  /**
   * Deletes everything `customerRecordsIn` finds (a touch with its address index entry); returns how many
   * records went. The suppression list is not touched.
   */
  deleteCustomerRecordsIn(campaignId: string, customerId: string): Promise<number>;
}
