import * as asciichart from 'asciichart';
import type { Program } from '../functions/core/programs/schema.js';
import { TIERS } from '../functions/core/schemas.js';
import type { ProgramRunSummary } from '../local/program-summary.js';

const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** The touches per month and tier as a text chart (one line per tier). */
export function touchesChart(summary: ProgramRunSummary): string | null {
  const months = Object.values(summary.touches.byMonth);
  if (months.length < 2) return null;
  return asciichart.plot(
    TIERS.map((tier) => months.map((m) => m[tier])),
    { height: 8 },
  );
}

/**
 * report.md of a program run, in both locales' words: touches per month and tier (a table and a chart),
 * per trigger, replies, tier moves, the cap's deferrals and the skipped touches with their reasons.
 * Counts and customer ids only, never contact data.
 */
export function programReportMarkdown(summary: ProgramRunSummary, program: Program): string {
  const out: string[] = [];
  out.push(`# ${program.name} (${program.id}): ${summary.months} months from ${summary.from} / ${summary.months} 个月运行报告`);
  out.push(
    [
      `- customers / 客户: ${summary.customers} (rows rejected / 被拒行: ${summary.rejectedRows})`,
      `- touches sent / 触达: ${summary.touches.sent} in ${summary.waves} daily waves / 个每日批次`,
      `- messages / 消息: ${summary.messages.sms} SMS (${summary.messages.smsSegments} parts / 条计费短信), ${summary.messages.email} e-mails / 封邮件`,
      `- replies / 回复: ${summary.replies.total} (${(summary.replies.responseRate * 100).toFixed(1)}% of touches / 的触达)`,
      `- events / 事件: ${summary.events.taken} taken / 已处理, ${summary.events.duplicate} duplicates / 重复, ${summary.events.rejected} rejected / 被拒, ${summary.events.afterTheEnd} after the period / 期后`,
    ].join('\n'),
  );
  out.push('## Touches per month and tier / 每月各等级触达');
  const months = Object.entries(summary.touches.byMonth);
  out.push(
    table(
      ['month / 月份', ...TIERS, 'total / 合计'],
      [
        ...months.map(([month, byTier]) => [month, ...TIERS.map((t) => byTier[t]), TIERS.reduce((s, t) => s + byTier[t], 0)]),
        ['total / 合计', ...TIERS.map((t) => summary.touches.byTier[t]), summary.touches.sent],
      ],
    ),
  );
  const chart = touchesChart(summary);
  if (chart) out.push(`Lines, top to bottom at the start: ${TIERS.join(', ')} / 各等级每月触达\n\n\`\`\`\n${chart}\n\`\`\``);
  out.push('## Touches per trigger / 按触发来源');
  out.push(
    table(
      ['trigger / 触发', 'touches / 触达'],
      Object.entries(summary.touches.byTrigger).sort(([a], [b]) => a.localeCompare(b)),
    ),
  );
  out.push('## Replies per tier / 各等级回复');
  out.push(
    table(
      ['tier / 等级', 'replies / 回复'],
      TIERS.map((t) => [t, summary.replies.byTier[t]]),
    ),
  );
  out.push('## Tier moves / 等级变化');
  const moves = [
    ...summary.downgrades.map((d) => ['downgrade / 降级', d.customerId, `${d.from} → ${d.to}`, d.at]),
    ...summary.upgrades.map((u) => ['upgrade / 升级', u.customerId, `${u.from} → ${u.to}`, u.at]),
  ];
  out.push(moves.length === 0 ? 'none / 无' : table(['move / 变化', 'customer / 客户', 'tiers / 等级', 'at / 时间'], moves));
  out.push('## Frequency cap deferrals / 频次上限顺延');
  out.push(
    summary.deferrals.length === 0
      ? 'none / 无'
      : table(
          ['customer / 客户', 'trigger / 触发', 'from / 原定', 'to / 顺延至', 'why / 原因'],
          summary.deferrals.map((d) => [d.customerId, d.trigger, d.from, d.to, d.reason]),
        ),
  );
  out.push('## Skipped touches / 跳过的触达');
  out.push(
    summary.skipped.length === 0
      ? 'none / 无'
      : table(
          ['customer / 客户', 'tier / 等级', 'trigger / 触发', 'wanted / 原定', 'why / 原因'],
          summary.skipped.map((s) => [s.customerId, s.tier, s.trigger, s.wantedAt, s.reason]),
        ),
  );
  return `${out.join('\n\n')}\n`;
}
