// The value axis of bar, line and area charts reads in round steps, with the chart's own formatter applied.
import { render } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { AreaChart, BarChart, LineChart } from 'react-tinybird/charts';

beforeAll(() => {
  window.matchMedia = (query: string) =>
    ({
      matches: query.includes('reduce'),
      media: query,
      addEventListener() {},
      removeEventListener() {},
    }) as unknown as MediaQueryList;
});

const rows = Array.from({ length: 6 }, (_, i) => ({
  day: `d${i}`,
  bookings: 30_000 + i * 1580,
  revenue: 200_000 + i * 10_800,
}));
const meta = [
  { name: 'day', type: 'String' },
  { name: 'bookings', type: 'UInt64' },
  { name: 'revenue', type: 'Float64' },
];
const labels = (container: HTMLElement, axis: 'yAxis' | 'xAxis') =>
  [...container.querySelectorAll(`.recharts-${axis}-tick-labels .recharts-cartesian-axis-tick-value`)].map(
    (t) => t.textContent,
  );
const euros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', notation: 'compact' });

describe('value axis ticks', () => {
  it.each([
    ['LineChart', LineChart],
    ['AreaChart', AreaChart],
    ['BarChart', BarChart],
  ] as const)('%s: 0, 10K, 20K, 30K, 40K for a maximum of 37,900', (_, Chart) => {
    const { container } = render(<Chart data={rows} meta={meta} categories={['bookings']} width={600} height={240} />);
    expect(labels(container, 'yAxis')).toEqual(['0', '10K', '20K', '30K', '40K']);
  });

  it('applies the chart valueFormatter to round values', () => {
    const { container } = render(
      <AreaChart
        data={rows}
        meta={meta}
        categories={['revenue']}
        valueFormatter={(v) => euros.format(v)}
        width={600}
        height={240}
      />,
    );
    expect(labels(container, 'yAxis')).toEqual(['€0', '€100K', '€200K', '€300K']);
  });

  it('scales stacked series to their totals, and a vertical bar chart on its x axis', () => {
    const stacked = render(
      <AreaChart data={rows} meta={meta} categories={['bookings', 'revenue']} stacked width={600} height={240} />,
    );
    expect(labels(stacked.container, 'yAxis')).toEqual(['0', '100K', '200K', '300K']);
    const vertical = render(
      <BarChart data={rows} meta={meta} categories={['bookings']} layout="vertical" width={600} height={240} />,
    );
    expect(labels(vertical.container, 'xAxis')).toEqual(['0', '10K', '20K', '30K', '40K']);
  });
});
