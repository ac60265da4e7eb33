import Table from 'cli-table3';
import { CHANNELS, TIERS } from '../functions/core/schemas.js';
import { type CampaignStatus, LIFECYCLE_STATES } from '../functions/core/use-cases/operate.js';

/** `revisit status`, printed: the campaign, its launch, a table of lifecycles by state × channel × tier, failures. */
export function formatStatus(status: CampaignStatus & { live?: boolean }, now: Date): string {
  const out: string[] = [];
  const reason = status.statusReason ? ` (${status.statusReason})` : '';
  out.push(`Campaign ${status.campaignId}: ${status.status}${reason}${status.live ? ', running now' : ''}`);
  if (status.launch) {
    const launch = status.launch;
    const failed = launch.error ? `: ${launch.error}${launch.cause ? ` ${launch.cause.slice(0, 200)}` : ''}` : '';
    out.push(`  launch ${launch.status}${failed}  ${launch.executionArn}`);
  }
  out.push(
    `  ${status.customers} customers, ${status.inFlight === 0 ? 'every lifecycle ended' : `${status.inFlight} in flight`} · sending ${status.sendRatePerSecond}/s (last minute) · sent ${status.sentByChannel.sms} SMS, ${status.sentByChannel.email} e-mail · SLA breaches ${status.slaBreaches}`,
  );
  if (status.settingsUpdatedAt) out.push(`  settings updated ${status.settingsUpdatedAt}`);
  const table = new Table({
    head: ['lifecycles', 'total', ...CHANNELS, ...TIERS],
    colAligns: ['left', ...Array<'right'>(1 + CHANNELS.length + TIERS.length).fill('right')],
    // No colours: the table is read in terminals and in logs and files alike.
    style: { head: [], border: [], compact: true },
  });
  for (const state of LIFECYCLE_STATES) {
    const row = status.byState[state];
    // Customers not reached by the fan-out yet have no channel or tier of their own.
    const split = state === 'planned' ? [...CHANNELS, ...TIERS].map(() => '') : [...CHANNELS, ...TIERS].map((k) => row[k]);
    table.push([state, row.total, ...split]);
  }
  out.push(table.toString());
  const outcomes = Object.entries(status.finishedBy).sort(([, a], [, b]) => b - a);
  if (outcomes.length > 0) out.push(`  finished: ${outcomes.map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
  for (const failure of status.failures.slice(0, 10)) {
    const more = failure.count > failure.customerIds.length ? ', …' : '';
    out.push(`  failed ×${failure.count}: ${failure.reason}  (${failure.customerIds.join(', ')}${more})`);
  }
  if (status.failures.length > 10) out.push(`  … and ${status.failures.length - 10} other failure reasons (--json lists all)`);
  out.push(`  as of ${now.toISOString()}`);
  return out.join('\n');
}
