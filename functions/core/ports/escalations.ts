import type { EscalationRecord } from '../records.js';

/** Where the e-mails to account managers (escalations and call tasks) are claimed and recorded. */
export interface EscalationStore {
  /** Claims an escalation once (or re-claims a released one); false when it was claimed before. */
  claimEscalation(record: EscalationRecord): Promise<boolean>;
  /** Gives a claim back after the provider refused the e-mail (nothing went out), so a retry may send. */
  releaseEscalation(campaignId: string, customerId: string, touch: number, reason: string): Promise<void>;
  markEscalationSent(campaignId: string, customerId: string, touch: number, messageId: string): Promise<void>;
  listEscalations(campaignId: string): Promise<EscalationRecord[]>;
}
