import type { TicketRecord } from '../records.js';
import type { RecordKey } from './record-key.js';
import type { TouchKey } from './touches.js';

/** Where the tickets a reply opens are kept, one per touch. */
export interface TicketStore {
  /** Opens a ticket once: false when the touch's ticket exists already. */
  createTicket(record: TicketRecord): Promise<boolean>;
  getTicket(key: TouchKey): Promise<TicketRecord | null>;
  /**
   * Changes a ticket only while it is in one of `from` (and, when given, still at `level`): the guard that
   * makes every ticket step happen once. Returns the ticket after the change, or null when the guard failed.
   */
  updateTicket(
    key: TouchKey,
    guard: { from: readonly TicketRecord['status'][]; level?: number },
    changes: Partial<TicketRecord>,
  ): Promise<TicketRecord | null>;
  listTickets(campaignId: string): Promise<TicketRecord[]>;
  /** The ticket record's key: the acknowledgement and resolution waits park their task token there. */
  ticketRecordKey(key: TouchKey): RecordKey;
}
