import type { CustomerExport, EraseResult } from '../functions/core/use-cases/customer-data.js';

/** How many records an export holds: rows, lifecycles, touches, replies, escalations, tickets, unmatched replies. */
export function recordCount(exported: CustomerExport): number {
  const inCampaigns = exported.campaigns.reduce(
    (sum, c) =>
      sum +
      (c.customer ? 1 : 0) +
      (c.lifecycle ? 1 : 0) +
      c.touches.length +
      c.replies.length +
      c.escalations.length +
      c.tickets.length,
    0,
  );
  return inCampaigns + exported.addresses.reduce((sum, a) => sum + a.unmatchedReplies.length, 0);
}

/** What `revisit customer erase` is about to delete, for the operator to confirm. */
export function formatFound(exported: CustomerExport): string {
  const optedOut = exported.addresses.filter((a) => a.suppressed !== null).map((a) => a.channel);
  return [
    `customer ${exported.customerId}: ${recordCount(exported)} records in ${exported.campaigns.length} campaigns (${exported.campaigns.map((c) => c.campaignId).join(', ') || 'none'})`,
    ...exported.campaigns.map(
      (c) =>
        `  ${c.campaignId}: ${c.customer ? 'row, ' : ''}${c.lifecycle ? `lifecycle (${c.lifecycle.status}), ` : ''}${c.touches.length} touches, ${c.replies.length} replies, ${c.escalations.length} escalations, ${c.tickets.length} tickets`,
    ),
    ...(optedOut.length > 0
      ? [`  opted out of ${optedOut.join(', ')}: kept on the suppression list (a hash of the address, no personal data)`]
      : []),
  ].join('\n');
}

/** What an erasure did, where, and what it cannot reach. */
export function formatErased(result: EraseResult, where: string, target: 'local' | 'aws'): string {
  if (result.campaigns.length === 0 && result.deleted === 0)
    return `no records about customer ${result.customerId} ${where}: nothing erased`;
  const lines = [
    `erased customer ${result.customerId} ${where}: ${result.deleted} records deleted in ${result.campaigns.join(', ') || 'no campaign'}, ${result.stopped} lifecycles stopped`,
  ];
  if (result.keptOptOuts.length > 0)
    lines.push(
      `  kept: the opt-out of ${result.keptOptOuts.join(', ')} on the suppression list (a hash of the address, no personal data), so no campaign contacts that address again`,
    );
  lines.push(
    target === 'aws'
      ? '  not reached: CloudWatch Logs (customer ids), Step Functions execution history (90 days), point-in-time recovery backups (35 days), provider logs'
      : '  not reached: the run folders (--out: outbox.jsonl, emails/, replies.jsonl, report files) hold copies of the messages: delete them too',
  );
  return lines.join('\n');
}
