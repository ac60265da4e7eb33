/** A code handed to a customer, or why there is none: the pool is used up, or no code was ever loaded into it. */
export type CouponAssignment = { code: string } | { code: null; reason: 'exhausted' | 'unknown-pool' };

/**
 * Coupon codes, by pool (issue 16, `{{offer.code}}`): each code goes to one customer at most, and a
 * customer gets one code per pool, the same one every time they ask (a retried or re-run touch, the next
 * cycle's touch), so that a retry never hands out a second code.
 */
export interface CouponStore {
  /** Adds the codes to the pool; a code the pool already holds (handed out or not) is counted, never added twice. */
  importCodes(pool: string, codes: readonly string[]): Promise<{ added: number; already: number }>;
  /** The customer's code of the pool: the one they were given before, else the next free one, else why none. */
  assignCode(pool: string, customerId: string, at: string): Promise<CouponAssignment>;
  /** How many codes the pool holds and how many of them are handed out; null when no code was ever loaded. */
  poolStats(pool: string): Promise<{ codes: number; assigned: number } | null>;
}
