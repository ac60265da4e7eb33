import * as asciichart from 'asciichart';
import Table from 'cli-table3';
import type { CampaignPlan } from '../functions/core/campaign-plan.js';
import { type MessagePreview, previewLines } from '../functions/core/message-previews.js';

function countTable(title: string, counts: Record<string, number>, total: number): string {
  const table = new Table({ head: [title, 'customers', 'share'], style: { head: [], compact: true } });
  for (const [key, count] of Object.entries(counts).sort(([, a], [, b]) => b - a)) {
    table.push([key, count, total === 0 ? '-' : `${((count / total) * 100).toFixed(1)}%`]);
  }
  return table.toString();
}

const money = (value: number, currency: string) => `${currency} ${value.toFixed(2)}`;

/** The printed dry run: counts per tier, segment, priority, channel and day, deadline misses, projected cost. */
export function formatPlan(
  plan: CampaignPlan,
  rejectedRows: number,
  outDir: string,
  previews: readonly MessagePreview[] = [],
): string {
  const t = plan.totals;
  const out: string[] = [];
  out.push(
    `Plan: ${t.customers} customers, ${t.planned} to contact, ${t.skipped} skipped, ${rejectedRows} rows rejected (rejected.csv)`,
  );
  for (const [reason, count] of Object.entries(t.skipReasons)) out.push(`  skipped: ${reason} (${count})`);
  out.push(countTable('tier', t.byTier, t.customers));
  out.push(countTable('segment', t.bySegment, t.customers));
  out.push(countTable('priority', t.byPriority, t.customers));
  out.push(countTable('first channel', t.byChannel, t.planned));
  const days = Object.entries(t.byDay);
  const dayTable = new Table({ head: ['day (first touches)', 'sends'], style: { head: [], compact: true } });
  for (const [day, count] of days) dayTable.push([day, count]);
  out.push(dayTable.toString());
  if (days.length > 1) {
    out.push('first touches per day');
    out.push(
      asciichart.plot(
        days.map(([, count]) => count),
        { height: 6 },
      ),
    );
  }
  out.push(`account-manager tasks (core, churn-warning): ${t.accountManagerTasks}`);
  out.push(`SMS: ${t.smsParts} message parts for first touches, at most ${t.mostSmsParts} per message`);
  if (t.smsOverMaxParts > 0) {
    out.push(
      `WARNING: ${t.smsOverMaxParts} customers' SMS take more parts than the campaign's maxSmsParts; shorten the template (70 characters per part in Chinese, 160 in plain English)`,
    );
  }
  if (previews.length > 0) {
    // A list, not a table: cli-table3 cuts Chinese text short when it wraps it.
    out.push('one rendered message per template used, sample customer / 每个用到的模板的示例（示例客户）:');
    out.push(...previewLines(previews));
  }
  out.push(
    t.deadlineMisses === 0
      ? 'every first touch is within its segment deadline'
      : `${t.deadlineMisses} customers miss their deadline (worst by ${t.worstDeadlineMissHours} h): see deadlineMissedByHours in plan.csv`,
  );
  const c = t.cost;
  const cost = new Table({ head: ['projected AWS cost', 'usage', c.currency], style: { head: [], compact: true } });
  cost.push(
    [
      'Step Functions (Standard)',
      `${c.usage.transitions} transitions × ${c.unitPrices.stepFunctionsPerTransition}`,
      money(c.cost.stepFunctions, c.currency),
    ],
    [
      'Lambda (arm64)',
      `${c.usage.lambdaInvocations} requests, ${c.usage.lambdaGbSeconds} GB-s (${c.assumptions.lambdaMemoryMb} MB × ${c.assumptions.lambdaAverageMs} ms)`,
      money(c.cost.lambda, c.currency),
    ],
    [
      'DynamoDB (on-demand)',
      `${c.usage.dynamoDbWrites} writes, ${c.usage.dynamoDbReads} reads`,
      money(c.cost.dynamoDb, c.currency),
    ],
    ['infrastructure', '', money(c.cost.infrastructure, c.currency)],
    ['SMS (SNS)', `${c.usage.smsParts} message parts`, money(c.cost.sms, c.currency)],
    ['e-mail (SES)', `${c.usage.emails} e-mails × ${c.unitPrices.sesPerEmail}`, money(c.cost.email, c.currency)],
    [
      'total',
      `assuming ${(c.assumptions.responseRate * 100).toFixed(0)}% answer the first touch`,
      money(c.cost.total, c.currency),
    ],
  );
  out.push(cost.toString());
  out.push(
    `unit prices: pricing in the campaign file (defaults in docs/campaign-files.md); files: ${outDir}/plan.json, plan.csv, previews.md, previews.json, rejected.csv`,
  );
  return out.join('\n');
}
