import type { Channel } from '../schemas.js';

/** An address's entry on the suppression list: kept by a hash of the address, so it holds no address. */
export interface SuppressionEntry {
  channel: Channel;
  /** How the opt-out came: `reply:sms`, `reply:email`, `unsubscribe-link`. */
  source: string;
  /** When the address first opted out. */
  at: string;
}

/** The addresses that opted out, for every campaign. */
export interface SuppressionList {
  isSuppressed(channel: Channel, address: string): Promise<boolean>;
  /** Puts an address on the suppression list; an address already on it keeps its first entry. */
  suppress(channel: Channel, address: string, source: string, at: string): Promise<void>;
  getSuppression(channel: Channel, address: string): Promise<SuppressionEntry | null>;
}
