import type { TouchRecord, TouchReply } from '../records.js';
import type { Channel } from '../schemas.js';
import type { RecordKey } from './record-key.js';

export interface TouchKey {
  campaignId: string;
  customerId: string;
  touch: number;
}

/** Where the messages sent to customers (touches) and the replies recorded on them are kept. */
export interface TouchStore {
  /** Claims a touch with a conditional write (or re-claims a released one); `claimed: false` when it was claimed before. */
  claimTouch(record: TouchRecord): Promise<{ claimed: true } | { claimed: false; existing: TouchRecord }>;
  /** Gives a claim back after the provider refused the send (nothing went out), so a retry may send. */
  releaseTouch(key: TouchKey, reason: string): Promise<void>;
  markTouchSent(key: TouchKey, sent: { messageId: string; sentAt: string; replyDeadline: string }): Promise<void>;
  getTouch(key: TouchKey): Promise<TouchRecord | null>;
  /** The newest touches sent to an address on a channel (any campaign), newest first. */
  recentTouchesTo(channel: Channel, address: string, limit: number): Promise<TouchRecord[]>;
  markTouchUnanswered(key: TouchKey): Promise<void>;
  /**
   * Records the first reply on a touch (conditional on no earlier reply). Returns the touch as it was
   * after the write (with the task token, if the lifecycle is waiting), or null when it had a reply already.
   */
  recordTouchReply(key: TouchKey, reply: NonNullable<TouchRecord['reply']>, repliedAt: string): Promise<TouchRecord | null>;
  /**
   * Adds the rest of a survey (NPS, dimensions, answers, comment) to a touch's one-click reply, once:
   * false when the touch's reply is another one or already has its follow-up.
   */
  addReplyFollowUp(
    key: TouchKey,
    replyId: string,
    followUp: Partial<Pick<TouchReply, 'nps' | 'comment' | 'dimensions' | 'answers'>> & { followUpAt: string },
  ): Promise<boolean>;
  listTouches(campaignId: string): Promise<TouchRecord[]>;
  /** The touch record's key: AwaitResponse parks the task token there. */
  touchRecordKey(key: TouchKey): RecordKey;
}
