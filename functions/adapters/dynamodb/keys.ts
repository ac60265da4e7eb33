import { createHash } from 'node:crypto';
import type { Channel } from '../../core/schemas.js';

/**
 * The single-table key design (docs/architecture.md, "Table"). workflows/lifecycle.asl.json builds the LIFECYCLE key
 * itself (RecordFailure) and reads the TOUCH key from the Contact result: keep them in step.
 */
export const keys = {
  /** A campaign's partition: its record (META) and every record of its customers. */
  campaignPartition: (campaignId: string) => `CAMPAIGN#${campaignId}`,
  /** The partition of the replies that matched no touch. */
  unmatchedPartition: 'UNMATCHED',
  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'META' }),
  customer: (campaignId: string, customerId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `CUSTOMER#${customerId}` }),
  lifecycle: (campaignId: string, customerId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `LIFECYCLE#${customerId}` }),
  touch: (campaignId: string, customerId: string, touch: number) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `TOUCH#${customerId}#${touch}`,
  }),
  reply: (campaignId: string | null, replyId: string) => ({
    pk: campaignId === null ? 'UNMATCHED' : `CAMPAIGN#${campaignId}`,
    sk: `REPLY#${replyId}`,
  }),
  escalation: (campaignId: string, customerId: string, touch: number) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `ESCALATION#${customerId}#${touch}`,
  }),
  ticket: (campaignId: string, customerId: string, touch: number) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `TICKET#${customerId}#${touch}`,
  }),
  /**
   * gsi1 also indexes a campaign's customers by launch day (the UTC date of their booked first touch): the
   * fan-out starts a day's lifecycles the hour before it.
   */
  launchIndex: (campaignId: string, day: string, customerId: string) => ({
    gsi1pk: `LAUNCH#${campaignId}#${day}`,
    gsi1sk: customerId,
  }),
  /** Addresses are hashed in keys so that no phone number or e-mail address is ever a key. */
  suppression: (channel: Channel, address: string) => ({
    pk: `SUPPRESSION#${channel}#${addressHash(address)}`,
    sk: 'SUPPRESSION',
  }),
  /**
   * gsi1 indexes touches by recipient address (hashed), newest first: replies are matched to the touch
   * they answer by it (an SMS reply names the message, but may outrun our record of its id).
   */
  addressIndex: (channel: Channel, address: string, claimedAt: string, touchSk: string) => ({
    gsi1pk: `ADDR#${channel}#${addressHash(address)}`,
    gsi1sk: `${claimedAt}#${touchSk}`,
  }),
  /**
   * Who sent a reply that matched no touch (UNMATCHED partition), hashed like every other address: an
   * erasure finds the replies a customer sent from their address by it.
   */
  replySender: (channel: Channel, address: string) => ({ fromHash: `${channel}#${addressHash(address)}` }),
  /** A channel's send-rate bucket starting at `startMs` (the rate limiter's counter, expiring a day later). */
  rateBucket: (channel: Channel, startMs: number) => ({ pk: `RATE#${channel}#${startMs}`, sk: 'RATE' }),
  /** A customer's profile, across campaigns and programs (issue 16). */
  profile: (customerId: string) => ({ pk: `PROFILE#${customerId}`, sk: 'PROFILE' }),
  /** gsi1 lists every profile in customer id order, in pages. */
  profileIndex: (customerId: string) => ({ gsi1pk: 'PROFILES', gsi1sk: customerId }),
  /** A customer event, keyed by its own id alone: the same id twice is one item (idempotent on the id). */
  event: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  /** gsi1 lists a customer's events by when they happened (UTC, so that the strings sort as the times do). */
  eventIndex: (customerId: string, at: string, eventId: string) => ({
    gsi1pk: `EVENTS#${customerId}`,
    gsi1sk: `${new Date(at).toISOString()}#${eventId}`,
  }),
  /** A standing program's partition (issue 16): its record and its waves. */
  programPartition: (programId: string) => `PROGRAM#${programId}`,
  program: (programId: string) => ({ pk: `PROGRAM#${programId}`, sk: 'PROGRAM' }),
  /** gsi1 lists every program in id order. */
  programIndex: (programId: string) => ({ gsi1pk: 'PROGRAMS', gsi1sk: programId }),
  /** A program's wave of one UTC day: written again, it replaces the one before. */
  wave: (programId: string, day: string) => ({ pk: `PROGRAM#${programId}`, sk: `WAVE#${day}` }),
  /**
   * A program touch claimed for a customer, beside their profile: one Query on the customer's partition
   * finds everything the programs keep about them (a data subject request).
   */
  programTouch: (customerId: string, programId: string, key: string) => ({
    pk: `PROFILE#${customerId}`,
    sk: `PTOUCH#${programId}#${key}`,
  }),
  /** gsi1 lists a program's claims across customers: deleting the program finds them without a Query per customer. */
  programTouchIndex: (programId: string, customerId: string, key: string) => ({
    gsi1pk: `PTOUCHES#${programId}`,
    gsi1sk: `${customerId}#${key}`,
  }),
  /** The sparse "next due" index: a partition per program and day, an item per customer due (expiring). */
  due: (programId: string, day: string, customerId: string) => ({ pk: `DUE#${programId}#${day}`, sk: customerId }),
  /** The pointer to a due entry in the customer's partition, so that an erasure finds it. */
  duePointer: (customerId: string, programId: string, day: string) => ({
    pk: `PROFILE#${customerId}`,
    sk: `DUE#${programId}#${day}`,
  }),
} as const;

/** The sort key prefixes of each kind of record in a campaign's partition. */
export const prefixes = {
  customer: 'CUSTOMER#',
  lifecycle: 'LIFECYCLE#',
  touch: 'TOUCH#',
  reply: 'REPLY#',
  escalation: 'ESCALATION#',
  ticket: 'TICKET#',
} as const;

/** The sort key prefixes of the program records in a customer's partition (a program id holds no `#`). */
export const programPrefixes = {
  touch: 'PTOUCH#',
  due: 'DUE#',
  wave: 'WAVE#',
  touchesOf: (programId: string) => `PTOUCH#${programId}#`,
} as const;

/** The sort key prefixes of a customer's own items in a campaign's partition (the trailing # ends the id). */
export const customerPrefixes = (customerId: string) => [
  `${prefixes.touch}${customerId}#`,
  `${prefixes.escalation}${customerId}#`,
  `${prefixes.ticket}${customerId}#`,
];

/** The campaign id in a campaign partition's key. */
export const campaignIdOf = (pk: string) => pk.slice('CAMPAIGN#'.length);

/** The customer id in a customer row's sort key. */
export const customerIdOf = (sk: string) => sk.slice(prefixes.customer.length);

/** The attributes only the table needs: dropped before a record is parsed. */
export const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'fromHash'];

export function addressHash(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 32);
}

/** The table's key schema, shared by the local engine's CreateTable and the CDK table. */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'expiresAt',
} as const;
