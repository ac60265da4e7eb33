import { createHash } from 'node:crypto';

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
