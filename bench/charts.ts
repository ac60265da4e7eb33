import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, MarkLineComponent, SVGRenderer]);

const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";

function render(option: Record<string, unknown>, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Customers per second: what DynamoDB Local allows at the measured requests per customer, and what the run achieved. */
export function throughputChart(bound: number, achieved: number, target: number): string {
  return render(
    {
      title: { text: 'Customers per second, 10,000-customer campaign', left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 170, right: 60, top: 40, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: ['bound (DynamoDB Local)', 'achieved', 'target (10k in 60 s)'] },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: ({ value }: { value: number }) => value.toFixed(1) },
          data: [
            { value: bound, itemStyle: { color: '#8a94a6' } },
            { value: achieved, itemStyle: { color: '#1a73e8' } },
            { value: target, itemStyle: { color: '#e37400' } },
          ],
        },
      ],
    },
    640,
    200,
  );
}

/** SMS first touches in each second of the backlog, against the configured rate. */
export function sendRateChart(perSecond: readonly number[], configured: number): string {
  return render(
    {
      title: { text: `SMS sent per second (configured ${configured}/s)`, left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 50, right: 30, top: 40, bottom: 40 },
      xAxis: { type: 'category', name: 'second', nameLocation: 'middle', nameGap: 25, data: perSecond.map((_, i) => i) },
      yAxis: { type: 'value', max: Math.max(configured + 1, ...perSecond) },
      series: [
        {
          type: 'bar',
          data: [...perSecond],
          itemStyle: { color: '#1a73e8' },
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#d93025', type: 'dashed' },
            label: { formatter: 'configured rate' },
            data: [{ yAxis: configured }],
          },
        },
      ],
    },
    640,
    260,
  );
}
