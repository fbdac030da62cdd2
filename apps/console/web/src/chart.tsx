import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: (number | null)[];
  type?: 'bar' | 'line';
  stack?: string;
}

/**
 * A bar or line chart (Apache ECharts, SVG). ECharts' aria option writes a description of the
 * data for screen readers; the figure's caption names it, and `data-*` attributes carry the
 * numbers for tests.
 */
export function Chart({
  title,
  categories,
  series,
  percent = false,
  testId,
}: {
  title: string;
  categories: string[];
  series: Series[];
  percent?: boolean;
  testId: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!element.current) return;
    chart.current = echarts.init(element.current, undefined, { renderer: 'svg' });
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true, label: { description: `${title}: ${series.map((s) => `${s.name} ${s.values.join(', ')}`).join('; ')}` } },
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 48 },
        xAxis: { type: 'category', data: categories, axisLabel: { rotate: categories.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', ...(percent ? { max: 100, axisLabel: { formatter: '{value}%' } } : { minInterval: 1 }) },
        series: series.map((s) => ({ name: s.name, type: s.type ?? 'bar', stack: s.stack, data: s.values })),
      },
      true,
    );
  }, [title, categories, series, percent]);
  const total = series.reduce((sum, s) => sum + s.values.reduce<number>((inner, value) => inner + (value ?? 0), 0), 0);
  return (
    <figure className="chart" data-testid={testId} data-total={total}>
      <figcaption>{title}</figcaption>
      <div ref={element} className="chart-canvas" role="img" aria-label={title} />
    </figure>
  );
}
