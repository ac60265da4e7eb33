import type { CampaignReport, GroupMetrics, GroupRow, KpiRow } from '../core/report.js';
import { barChartSvg, type ChartSpec, FONT, TEXT } from './charts.js';
import { escapeHtml } from './escape-html.js';

/** Display names, English then Chinese. */
const NAMES: Record<string, string> = {
  diamond: 'Diamond 钻石',
  gold: 'Gold 黄金',
  silver: 'Silver 白银',
  basic: 'Basic 普通',
  'churn-warning': 'Churn warning 流失预警',
  core: 'Core 核心',
  potential: 'Potential 潜力',
  new: 'New 新客',
  active: 'Active 活跃',
  dormant: 'Dormant 沉睡',
  lost: 'Lost 流失',
  sms: 'SMS 短信',
  email: 'E-mail 邮件',
  none: 'Not touched 未触达',
  'product-quality': 'Product quality 产品质量',
  service: 'Service 服务',
  price: 'Price 价格',
  'contract-dispute': 'Contract dispute 合同纠纷',
  logistics: 'Logistics 物流',
  uncategorised: 'Uncategorised 未分类',
  open: 'Open 待处理',
  acknowledged: 'Acknowledged 已受理',
  reopened: 'Reopened 重新打开',
  resolved: 'Resolved 已解决',
  closed: 'Closed 已关闭',
};
const nameOf = (key: string): string => NAMES[key] ?? key;
/** The name on two lines, English over Chinese, to leave the bars room on a narrow chart. */
const chartNameOf = (key: string): string => nameOf(key).replace(/ (?=[\u2e80-\u9fff])/, '\n');

const NO_DATA = 'n/a';
const percent = (value: number | null): string => (value === null ? NO_DATA : `${(value * 100).toFixed(1)}%`);
const asPercentPoints = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 10);
const npsText = (value: number | null): string => (value === null ? NO_DATA : value.toFixed(1));
/** A KPI value in its own unit: NPS is a score, everything else a share. */
const kpiValue = (kpi: KpiRow, value: number | null): string => (kpi.key === 'nps' ? npsText(value) : percent(value));

function figure(spec: ChartSpec, note: string): string {
  return `<figure>${barChartSvg(spec)}<figcaption>${escapeHtml(spec.caption)}. ${escapeHtml(note)}</figcaption></figure>`;
}

function scrollTable(caption: string, head: string, body: string, foot = ''): string {
  return `<div class="table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(caption)}"><table><caption>${escapeHtml(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody>${foot ? `<tfoot>${foot}</tfoot>` : ''}</table></div>`;
}

const th = (text: string, numeric = true): string => `<th scope="col"${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</th>`;
const td = (text: string | number): string => `<td class="num">${escapeHtml(String(text))}</td>`;
const rowHeader = (text: string): string => `<th scope="row">${escapeHtml(text)}</th>`;

function kpiSection(report: CampaignReport): string {
  const head = `<tr>${th('KPI 指标', false)}${th('Better 方向', false)}${th('Baseline 基线')}${th('Target 目标')}${th('Current 当前')}${th('Achievement 达成率')}</tr>`;
  const body = report.kpis
    .map(
      (k) =>
        `<tr>${rowHeader(`${k.label} ${k.labelZh}`)}<td>${k.better === 'higher' ? 'Higher 越高越好' : 'Lower 越低越好'}</td>${td(kpiValue(k, k.baseline))}${td(kpiValue(k, k.target))}${td(kpiValue(k, k.current))}${td(percent(k.achievement))}</tr>`,
    )
    .join('');
  const chart = figure(
    {
      caption: 'KPI achievement 指标达成率 (%)',
      categories: report.kpis.map((k) => `${k.label}\n${k.labelZh}`),
      series: [{ name: 'Achievement 达成率', data: report.kpis.map((k) => asPercentPoints(k.achievement)) }],
      unit: '%',
    },
    '100% means the target is met; a KPI without a value or a usable target has no bar.',
  );
  return `<section aria-labelledby="kpis"><h2 id="kpis">Key indicators 关键指标</h2>${scrollTable('KPIs: baseline, target, current value and achievement 指标：基线、目标、当前值与达成率', head, body)}${chart}</section>`;
}

function groupSection(
  id: string,
  title: string,
  dimension: string,
  rows: readonly GroupRow<string>[],
  totals: GroupMetrics,
): string {
  const head = `<tr>${th(dimension, false)}${th('Planned 计划')}${th('Contacted 已联系')}${th('Follow-up rate 回访率')}${th('Reached 已触达')}${th('Reach rate 触达率')}${th('Responded 已回复')}${th('Response rate 回复率')}${th('CSAT 满意度')}${th('CSAT answers 答复数')}${th('NPS 净推荐值')}${th('NPS answers 答复数')}${th('Opt-outs 退订')}${th('Opt-out rate 退订率')}</tr>`;
  const cells = (m: GroupMetrics): string =>
    [
      td(m.planned),
      td(m.contacted),
      td(percent(m.followUpRate)),
      td(m.reached),
      td(percent(m.reachRate)),
      td(m.responded),
      td(percent(m.responseRate)),
      td(percent(m.csat)),
      td(m.csatAnswers),
      td(npsText(m.nps)),
      td(m.npsAnswers),
      td(m.optOuts),
      td(percent(m.optOutRate)),
    ].join('');
  const body = rows.map((r) => `<tr>${rowHeader(nameOf(r.key))}${cells(r)}</tr>`).join('');
  const foot = `<tr>${rowHeader('Total 合计')}${cells(totals)}</tr>`;
  const categories = rows.map((r) => chartNameOf(r.key));
  const rates = figure(
    {
      caption: `${title}: follow-up, reach, response rate and CSAT (%)`,
      categories,
      series: [
        { name: 'Follow-up 回访率', data: rows.map((r) => asPercentPoints(r.followUpRate)) },
        { name: 'Reach 触达率', data: rows.map((r) => asPercentPoints(r.reachRate)) },
        { name: 'Response 回复率', data: rows.map((r) => asPercentPoints(r.responseRate)) },
        { name: 'CSAT 满意度', data: rows.map((r) => asPercentPoints(r.csat)) },
      ],
      unit: '%',
      min: 0,
      max: 100,
      interval: 25,
    },
    'Groups without a value have no bar; the table above has every number.',
  );
  const nps = figure(
    {
      caption: `${title}: NPS 净推荐值 (-100 to 100)`,
      categories,
      series: [{ name: 'NPS 净推荐值', data: rows.map((r) => r.nps) }],
      unit: '',
      min: -100,
      max: 100,
      interval: 50,
    },
    'Promoters (9-10) minus detractors (0-6), in points.',
  );
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>${scrollTable(`${title}: results per group`, head, body, foot)}<div class="charts">${rates}${nps}</div></section>`;
}

/**
 * A record's keys in the order the report wrote them. The key lists are read from the report rather than
 * imported from records.ts, which would bring zod and luxon into the bundle of a page renderer.
 */
const keysOf = <K extends string>(record: Record<K, unknown>): K[] => Object.keys(record) as K[];

function ticketSection(report: CampaignReport): string {
  const t = report.tickets;
  const categories = keysOf(t.byCategory);
  const severities = keysOf(t.bySeverity);
  const statuses = keysOf(t.bySeverity.A.byStatus);
  const categoryTable = scrollTable(
    'Issues by category 按类别的问题数',
    `<tr>${th('Category 类别', false)}${th('Issues 问题数')}</tr>`,
    categories.map((c) => `<tr>${rowHeader(nameOf(c))}${td(t.byCategory[c])}</tr>`).join(''),
    `<tr>${rowHeader('Total 合计')}${td(t.raised)}</tr>`,
  );
  const categoryChart = figure(
    {
      caption: 'Issues by category 按类别的问题数',
      categories: categories.map(chartNameOf),
      series: [{ name: 'Issues 问题数', data: categories.map((c) => t.byCategory[c]) }],
      unit: '',
      min: 0,
      counts: true,
    },
    'Number of tickets raised per complaint category.',
  );
  const severityHead = `<tr>${th('Severity 级别', false)}${th('Raised 总数')}${statuses.map((s) => th(nameOf(s))).join('')}${th('Resolved or closed 已解决')}${th('SLA breached 超时')}</tr>`;
  const severityBody = severities
    .map((s) => {
      const row = t.bySeverity[s];
      return `<tr>${rowHeader(s)}${td(row.raised)}${statuses.map((status) => td(row.byStatus[status])).join('')}${td(row.resolved)}${td(row.breached)}</tr>`;
    })
    .join('');
  const severityFoot = `<tr>${rowHeader('Total 合计')}${td(t.raised)}${statuses.map((status) => td(severities.reduce((sum, s) => sum + t.bySeverity[s].byStatus[status], 0))).join('')}${td(t.resolved)}${td(t.breached)}</tr>`;
  const severityChart = figure(
    {
      caption: 'Issues by severity 按级别的问题数',
      categories: severities.map((s) => `Severity ${s}\n${s} 级`),
      series: [
        { name: 'Raised 总数', data: severities.map((s) => t.bySeverity[s].raised) },
        { name: 'Unresolved 未解决', data: severities.map((s) => t.bySeverity[s].open) },
        { name: 'Resolved 已解决', data: severities.map((s) => t.bySeverity[s].resolved) },
        { name: 'SLA breached 超时', data: severities.map((s) => t.bySeverity[s].breached) },
      ],
      unit: '',
      min: 0,
      counts: true,
    },
    'A: business stopped or contract dispute; B: defect or service failure; C: question or suggestion.',
  );
  const facts = dl([
    ['Raised 问题总数', String(t.raised)],
    ['Unresolved 未解决', String(t.open)],
    ['Resolved 已解决', String(t.resolved)],
    ['Resolution rate 解决率', percent(t.resolutionRate)],
    ['SLA breaches 超时', String(t.breached)],
    ['SLA breach rate 超时率', percent(t.slaBreachRate)],
  ]);
  return `<section aria-labelledby="issues"><h2 id="issues">Issues 问题工单</h2>${facts}<h3>By category 按类别</h3>${categoryTable}${categoryChart}<h3>By severity 按级别</h3>${scrollTable('Issues by severity and status 按级别和状态的问题数', severityHead, severityBody, severityFoot)}${severityChart}</section>`;
}

function optOutSection(report: CampaignReport): string {
  const head = `<tr>${th('Group 分组', false)}${th('Contacted 已联系')}${th('Opt-outs 退订')}${th('Opt-out rate 退订率')}</tr>`;
  const rowGroup = (title: string, rows: readonly GroupRow<string>[]): string =>
    `<tbody><tr><th scope="rowgroup" colspan="4">${escapeHtml(title)}</th></tr>${rows
      .map((r) => `<tr>${rowHeader(nameOf(r.key))}${td(r.contacted)}${td(r.optOuts)}${td(percent(r.optOutRate))}</tr>`)
      .join('')}</tbody>`;
  const foot = `<tr>${rowHeader('Total 合计')}${td(report.totals.contacted)}${td(report.totals.optOuts)}${td(percent(report.totals.optOutRate))}</tr>`;
  const caption = 'Opt-outs by tier and by first channel 按等级与渠道的退订';
  const optOuts = `<div class="table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(caption)}"><table><caption>${escapeHtml(caption)}</caption><thead>${head}</thead>${rowGroup('By tier 按等级', report.byTier)}${rowGroup('By first channel 按首次触达渠道', report.byChannel)}<tfoot>${foot}</tfoot></table></div>`;
  const noResponse = scrollTable(
    'No response by tier 按等级的未回复客户',
    `<tr>${th('Tier 等级', false)}${th('No response 未回复')}</tr>`,
    Object.entries(report.noResponse.byTier)
      .map(([tier, count]) => `<tr>${rowHeader(nameOf(tier))}${td(count)}</tr>`)
      .join(''),
    `<tr>${rowHeader('Total 合计')}${td(report.noResponse.total)}</tr>`,
  );
  return `<section aria-labelledby="opt-outs"><h2 id="opt-outs">Opt-outs and no response 退订与未回复</h2><p>${escapeHtml(`Opt-out replies 退订回复: ${report.totals.optOuts}, ${percent(report.totals.optOutRate)} of contacted customers 占已联系客户.`)}</p>${optOuts}<h3>No response 未回复</h3>${noResponse}</section>`;
}

function dl(items: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${items.map(([term, value]) => `<div><dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd></div>`).join('')}</dl>`;
}

const STYLE = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:${TEXT};font:16px/1.5 ${FONT}}
header,main{max-width:76rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0;overflow-wrap:anywhere}
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
.meta{color:#3d4450;margin:0}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:1rem 0;padding:0}
.facts div{border:1px solid #c8ccd2;border-radius:6px;padding:.5rem .75rem}
.facts dt{font-size:.85rem;color:#3d4450}
.facts dd{margin:0;font-size:1.3rem;font-weight:600;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
.table-wrap:focus{outline:3px solid #0072B2;outline-offset:2px}
table{border-collapse:collapse;min-width:100%;font-variant-numeric:tabular-nums;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid #c8ccd2;text-align:left;white-space:nowrap}
tbody th[scope=rowgroup]{background:#f5f7fa}
thead th{background:#eef2f7;vertical-align:bottom;white-space:normal;min-width:5.5rem}
tfoot th,tfoot td{font-weight:600;border-top:2px solid #555}
.num{text-align:right}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:1rem}
figure{margin:1rem 0;max-width:32rem}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:.9rem;color:#3d4450;margin-top:.25rem}
ul{padding-left:1.25rem}
`;

/** Rulebook section 6 as one self-contained page: no script, no network, charts drawn here as inline SVG. */
export function renderReportHtml(report: CampaignReport): string {
  const { totals } = report;
  const name = escapeHtml(report.campaign.name);
  const summary = dl([
    ['Planned 计划回访', String(totals.planned)],
    ['Contacted 已联系', String(totals.contacted)],
    ['Follow-up rate 回访率', percent(totals.followUpRate)],
    ['Responded 已回复', String(totals.responded)],
    ['Response rate 回复率', percent(totals.responseRate)],
    ['CSAT 满意度', percent(totals.csat)],
    ['NPS 净推荐值', npsText(totals.nps)],
    ['Escalations 升级', String(report.escalations)],
    ['Account manager tasks 客户经理任务', String(report.accountManagerTasks)],
    ['Opt-outs 退订', String(totals.optOuts)],
    ['No response 未回复', String(report.noResponse.total)],
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Campaign report 回访报告: ${name}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Campaign report 回访报告: ${name}</h1>
<p class="meta">Campaign ${escapeHtml(report.campaign.id)} · generated ${escapeHtml(report.generatedAt)}</p>
</header>
<main>
<section aria-labelledby="summary"><h2 id="summary">Summary 概览</h2>${summary}</section>
${kpiSection(report)}
${groupSection('by-tier', 'By tier 按等级', 'Tier 等级', report.byTier, totals)}
${groupSection('by-segment', 'By segment 按客群', 'Segment 客群', report.bySegment, totals)}
${groupSection('by-channel', 'By first channel 按首次触达渠道', 'Channel 渠道', report.byChannel, totals)}
${ticketSection(report)}
${optOutSection(report)}
<section aria-labelledby="notes"><h2 id="notes">Notes 说明</h2><ul>${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>
</main>
</body>
</html>
`;
}
