import * as asciichart from 'asciichart';
import Table from 'cli-table3';
import type { ProgramPlan } from '../files/program-plan-files.js';
import { touchesChart } from '../files/program-run-report.js';
import { previewLines } from '../functions/core/message-previews.js';
import { DEFERRAL_REASONS, SKIP_REASONS, type SkipWhy } from '../functions/core/programs/calendar.js';
import type { Program } from '../functions/core/programs/schema.js';
import { TIERS } from '../functions/core/schemas.js';
import type { ProgramRunSummary } from '../local/program-summary.js';

const money = (value: number, currency: string) => `${currency} ${value.toFixed(2)}`;
const style = { head: [], compact: true };

/**
 * The printed dry run of a program: touches per month and tier with a chart, the frequency cap's deferrals
 * and skips, and the projected cost per month. Counts only, never a customer's data.
 */
export function formatProgramPlan(plan: ProgramPlan, program: Program, outDir: string): string {
  const { calendar, totals } = plan;
  const out: string[] = [];
  out.push(
    `Program ${program.id} / 方案 ${program.id}: ${totals.customers} customers / 位客户, ${totals.touches} touches / 次触达 over ${calendar.months} months / 个月 from ${calendar.from}; ` +
      `${plan.rejectedRows.filter((r) => r.action === 'rejected').length} rows rejected / 行被拒 (rejected.csv)` +
      (plan.rejectedEvents.length > 0
        ? `, ${plan.rejectedEvents.length} events rejected / 个事件被拒 (rejected-events.csv)`
        : ''),
  );
  const e = calendar.events;
  if (e.used + e.duplicates + e.unknownCustomer + e.noTrigger > 0)
    out.push(
      `events / 事件: ${e.used} started follow-ups / 触发回访, ${e.duplicates} duplicates / 重复, ${e.unknownCustomer} of unknown customers / 客户不在名单, ${e.noTrigger} without a trigger / 无触发规则`,
    );
  const perMonth = new Table({ head: ['month / 月份', ...TIERS, 'total / 合计', 'deferred / 顺延', 'skipped / 跳过'], style });
  for (const m of totals.months) perMonth.push([m.month, ...TIERS.map((t) => m.byTier[t]), m.touches, m.deferrals, m.skipped]);
  perMonth.push([
    'total / 合计',
    ...TIERS.map((t) => totals.byTier[t]),
    totals.touches,
    totals.deferrals.total,
    totals.skipped.total,
  ]);
  out.push(perMonth.toString());
  if (totals.months.length > 1) {
    out.push(`touches per month, ${TIERS.join(' / ')} / 每月触达（按等级）`);
    const colors = [asciichart.magenta, asciichart.yellow, asciichart.cyan, asciichart.green];
    out.push(
      asciichart.plot(
        TIERS.map((t) => totals.months.map((m) => m.byTier[t])),
        { height: 8, colors },
      ),
    );
  }
  const triggers = new Table({ head: ['trigger / 触发', 'touches / 触达'], style });
  for (const [trigger, count] of Object.entries(totals.byTrigger).sort(([a], [b]) => a.localeCompare(b)))
    triggers.push([trigger, count]);
  out.push(triggers.toString());
  if (totals.deferrals.total === 0 && totals.skipped.total === 0) {
    out.push('frequency cap: no touch deferred or skipped / 频次上限：无顺延、无跳过');
  } else {
    const cap = new Table({ head: ['frequency cap / 频次上限', 'touches / 次数'], style });
    for (const [why, count] of Object.entries(totals.deferrals.byWhy))
      cap.push([`deferred / 顺延: ${DEFERRAL_REASONS[why as keyof typeof DEFERRAL_REASONS](program.frequencyCap)}`, count]);
    for (const [why, count] of Object.entries(totals.skipped.byWhy))
      cap.push([`skipped / 跳过: ${SKIP_REASONS[why as SkipWhy]}`, count]);
    out.push(cap.toString());
    if (totals.deferrals.averageHours !== null)
      out.push(
        `a deferred touch moves ${totals.deferrals.averageHours} h on average / 顺延平均 ${totals.deferrals.averageHours} 小时`,
      );
    out.push(`each one, with from, to and why: deferrals and skipped in ${outDir}/calendar.json / 明细见 calendar.json`);
  }
  // A list, not a table: cli-table3 cuts Chinese text short when it wraps it.
  out.push('one rendered message per template used, sample customer / 每个用到的模板的示例（示例客户）:');
  out.push(...previewLines(plan.previews));
  const currency = totals.cost.currency;
  const cost = new Table({
    head: ['month / 月份', 'SMS', 'SMS parts / 条数', 'e-mail / 邮件', 'AWS', 'messages / 消息费', 'total / 合计'],
    style,
  });
  for (const m of totals.months)
    cost.push([
      m.month,
      m.sms,
      m.cost.usage.smsParts,
      m.cost.usage.emails,
      money(m.cost.cost.infrastructure, currency),
      money(m.cost.cost.messages, currency),
      money(m.cost.cost.total, currency),
    ]);
  cost.push([
    'total / 合计',
    '',
    '',
    '',
    money(totals.cost.infrastructure, currency),
    money(totals.cost.messages, currency),
    money(totals.cost.total, currency),
  ]);
  out.push(
    `projected cost per month / 每月预计费用 (assuming ${(program.assumedResponseRate * 100).toFixed(0)}% answer / 假设回复率):`,
  );
  out.push(cost.toString());
  out.push(
    `files / 文件: ${outDir}/calendar.json, calendar.csv, previews.md, previews.json, rejected.csv${plan.rejectedEvents.length > 0 || e.used + e.duplicates > 0 ? ', rejected-events.csv' : ''}`,
  );
  return out.join('\n');
}

/** The printed end of `revisit program run`: touches per month and tier with a chart, tier moves, the cap, the files. */
export function formatProgramRun(summary: ProgramRunSummary, program: Program, outDir: string, seconds: number): string {
  const out: string[] = [];
  out.push(
    `Program ${program.id} / 方案 ${program.id}: ${summary.months} months from ${summary.from} simulated in ${seconds.toFixed(1)} s / 模拟用时; ` +
      `${summary.customers} customers / 位客户, ${summary.touches.sent} touches / 次触达 in ${summary.waves} waves / 批, ${summary.replies.total} replies / 条回复`,
  );
  const perMonth = new Table({ head: ['month / 月份', ...TIERS, 'total / 合计'], style });
  for (const [month, byTier] of Object.entries(summary.touches.byMonth))
    perMonth.push([month, ...TIERS.map((t) => byTier[t]), TIERS.reduce((s, t) => s + byTier[t], 0)]);
  perMonth.push(['total / 合计', ...TIERS.map((t) => summary.touches.byTier[t]), summary.touches.sent]);
  out.push(perMonth.toString());
  const chart = touchesChart(summary);
  if (chart) out.push(`touches per month, ${TIERS.join(' / ')} / 每月触达（按等级）\n${chart}`);
  const triggers = new Table({ head: ['trigger / 触发', 'touches / 触达'], style });
  for (const [trigger, count] of Object.entries(summary.touches.byTrigger).sort(([a], [b]) => a.localeCompare(b)))
    triggers.push([trigger, count]);
  out.push(triggers.toString());
  out.push(
    `tier moves / 等级变化: ${summary.downgrades.length} downgrades / 降级, ${summary.upgrades.length} upgrades / 升级; ` +
      `frequency cap / 频次上限: ${summary.deferrals.length} deferred / 顺延, ${summary.skipped.length} skipped / 跳过 (reasons in summary.json / 原因见 summary.json)`,
  );
  out.push(
    `events / 事件: ${summary.events.taken} taken / 已处理, ${summary.events.duplicate} duplicates / 重复, ${summary.events.rejected} rejected / 被拒 (rejected-events.csv)`,
  );
  out.push(`files / 文件: ${outDir}/outbox.jsonl, profiles.jsonl, summary.json, replies.jsonl, report.md`);
  return out.join('\n');
}
