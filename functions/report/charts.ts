import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption, LegendComponent, type LegendComponentOption } from 'echarts/components';
import { type ComposeOption, init, setPlatformAPI, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { escapeHtml } from './escape-html.js';

// Only what the report draws, so the Lambda bundle stays small; SSR needs no DOM and no canvas.
use([BarChart, GridComponent, LegendComponent, SVGRenderer]);

/**
 * Without a canvas, ECharts sizes text with Arial's widths; the reader's font is often wider (DejaVu Sans on
 * Linux), which clipped axis labels and ran legend items together. Measure generously instead: CJK full
 * width, other characters about 0.64 em, narrow ones less.
 */
function measureText(text: string, font?: string): { width: number } {
  const fontSize = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  let ems = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    ems += code >= 0x2e80 ? 1 : /[ .,:;'|!()[\]ijlIt-]/.test(ch) ? 0.38 : 0.64;
  }
  return { width: ems * fontSize };
}
setPlatformAPI({ measureText });

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption>;

/** Each colour has at least 4.5:1 contrast on white, so bars and their labels stay readable (WCAG 1.4.11). */
const PALETTE = ['#0072B2', '#B35900', '#007A5E', '#8E3A80', '#555555'];
export const TEXT = '#1a1a1a';
export const FONT = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";
/** Drawn narrow, so that text stays legible when a phone scales the chart down to its width. */
const CHART_WIDTH = 420;

export interface ChartSpec {
  caption: string;
  categories: string[];
  series: { name: string; data: (number | null)[] }[];
  unit: '%' | '';
  min?: number;
  max?: number;
  /** Between axis ticks, for scales with natural steps (0-100%, NPS). */
  interval?: number;
  /** Counts: no ticks between whole numbers. */
  counts?: boolean;
}

/** One horizontal bar chart as inline SVG: categories read down the side, which suits a phone screen. */
export function barChartSvg(spec: ChartSpec): string {
  const legend = spec.series.length > 1;
  const barHeight = 16;
  // Each category needs room for its bars and for its two-line name.
  const slot = Math.max(40, spec.series.length * barHeight + 14);
  const height = spec.categories.length * slot + (legend ? 90 : 50);
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  const option: ChartOption = {
    animation: false,
    silent: true,
    color: PALETTE,
    textStyle: { fontFamily: FONT, fontSize: 13, color: TEXT },
    legend: legend
      ? {
          show: true,
          top: 0,
          selectedMode: false,
          itemGap: 16,
          textStyle: { color: TEXT, fontSize: 13 },
          itemWidth: 16,
          itemHeight: 12,
        }
      : { show: false },
    grid: { left: 8, right: 48, top: legend ? 56 : 12, bottom: 28 },
    xAxis: {
      type: 'value',
      ...(spec.interval === undefined ? {} : { interval: spec.interval }),
      ...(spec.counts ? { minInterval: 1 } : {}),
      ...(spec.min === undefined ? {} : { min: spec.min }),
      ...(spec.max === undefined ? {} : { max: spec.max }),
      axisLabel: { color: TEXT, hideOverlap: true, formatter: spec.unit === '%' ? '{value}%' : '{value}' },
      splitLine: { lineStyle: { color: '#c8ccd2' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: spec.categories,
      axisLabel: { color: TEXT, fontSize: 13, lineHeight: 15 },
      axisLine: { lineStyle: { color: '#555555' } },
    },
    series: spec.series.map(
      (s): BarSeriesOption => ({
        type: 'bar',
        name: s.name,
        barMaxWidth: barHeight,
        data: s.data,
        label: { show: true, position: 'right', color: TEXT, fontSize: 11, formatter: `{c}${spec.unit}` },
        emphasis: { disabled: true },
      }),
    ),
  };
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  // Inline SVG in HTML needs no namespace declarations, and the page carries no URL at all.
  return svg.replace(
    /^<svg\b([^>]*)>/,
    (_, attributes: string) =>
      `<svg${attributes.replace(/\s+xmlns(?::\w+)?="[^"]*"/g, '')} role="img" aria-label="${escapeHtml(spec.caption)}" focusable="false">`,
  );
}
