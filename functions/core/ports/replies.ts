import type { ReplyRecord } from '../records.js';
import type { Channel } from '../schemas.js';

/** Who sent an inbound reply that matched no touch: kept as a hash of the address, so that erasing the sender finds it. */
export interface ReplySender {
  channel: Channel;
  address: string;
}

/** Where inbound replies are kept, once each. */
export interface ReplyStore {
  /**
   * Stores an inbound reply once per replyId; false when that reply was stored before. `from`, for a reply
   * that matched no touch, is kept only as a hash of the address (`unmatchedRepliesFrom` finds it by it).
   */
  putReply(record: ReplyRecord, from?: ReplySender): Promise<boolean>;
  listReplies(campaignId: string): Promise<ReplyRecord[]>;
  /** Replies that matched no touch, sent from `address` on `channel`. */
  unmatchedRepliesFrom(channel: Channel, address: string): Promise<ReplyRecord[]>;
  /** Deletes the replies `unmatchedRepliesFrom` finds; returns how many. */
  deleteUnmatchedRepliesFrom(channel: Channel, address: string): Promise<number>;
}
