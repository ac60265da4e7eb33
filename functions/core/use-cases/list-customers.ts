import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from './deps.js';

export const listCustomersInputSchema = z.object({
  campaignId: z.string().min(1),
  cursor: z.string().nullable(),
});

/** Customers per page: keeps each Map input far below the 256 KiB state payload limit. */
export const PAGE_SIZE = 250;

/**
 * Execution names are the idempotency key of a lifecycle (StartExecution refuses a second one with the
 * same name): 80 characters at most, letters, digits, - and _. Ids outside that set get a hash suffix.
 */
export function executionNameOf(campaignId: string, customerId: string): string {
  const plain = `${campaignId}-${customerId}`;
  if (/^[A-Za-z0-9_-]{1,80}$/.test(plain)) return plain;
  const hash = createHash('sha256').update(plain).digest('hex').slice(0, 16);
  return `${plain.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 63)}-${hash}`;
}

export async function listCustomers(deps: Pick<Deps, 'repo'>, input: z.infer<typeof listCustomersInputSchema>) {
  const { ids, nextCursor } = await deps.repo.listCustomerIds(input.campaignId, input.cursor, PAGE_SIZE);
  return {
    customers: ids.map((customerId) => ({ customerId, executionName: executionNameOf(input.campaignId, customerId) })),
    nextCursor,
  };
}
