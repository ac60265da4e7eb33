import type { CouponAssignment, CouponStore } from '../../../functions/core/ports/coupons.js';

/**
 * In-memory CouponStore with the DynamoDB adapter's semantics: codes handed out in the order they were
 * loaded, one per customer and pool (the same one when asked again), never one code to two customers.
 */
export class InMemoryCouponStore implements CouponStore {
  readonly pools = new Map<string, { codes: string[]; holders: Map<string, string> }>();
  /** Every assignCode call, in order (a test counts the draws). */
  readonly requests: { pool: string; customerId: string }[] = [];

  async importCodes(pool: string, codes: readonly string[]): Promise<{ added: number; already: number }> {
    const entry = this.pools.get(pool) ?? { codes: [], holders: new Map<string, string>() };
    this.pools.set(pool, entry);
    let added = 0;
    for (const code of codes) {
      if (entry.codes.includes(code)) continue;
      entry.codes.push(code);
      added++;
    }
    return { added, already: codes.length - added };
  }

  async assignCode(pool: string, customerId: string, _at?: string): Promise<CouponAssignment> {
    this.requests.push({ pool, customerId });
    const entry = this.pools.get(pool);
    if (!entry) return { code: null, reason: 'unknown-pool' };
    const held = entry.holders.get(customerId);
    if (held) return { code: held };
    const code = entry.codes[entry.holders.size];
    if (code === undefined) return { code: null, reason: 'exhausted' };
    entry.holders.set(customerId, code);
    return { code };
  }

  async poolStats(pool: string): Promise<{ codes: number; assigned: number } | null> {
    const entry = this.pools.get(pool);
    return entry ? { codes: entry.codes.length, assigned: entry.holders.size } : null;
  }
}
