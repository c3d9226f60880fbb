// Charts drawing rows they were given (no provider). jsdom has no layout, so recharts' ResponsiveContainer would measure
// 0 x 0 and draw nothing: every chart here gets a numeric `width`. Responsive layout is tested in Chromium (stories).
import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AreaChart, BarChart, BarList, ChartFrame, DonutChart, LineChart, Metric, Table } from 'react-tinybird/charts';
import { timeTickFormatter } from '../../src/charts/lib/format';
import { timeTicks } from '../../src/charts/lib/timeTicks';

// jsdom has no matchMedia. Answer "reduced motion" so charts skip their entry animation and draw final shapes at once
// (which also covers that path).
beforeAll(() => {
  window.matchMedia = (query: string) =>
    ({
      matches: query.includes('reduce'),
      media: query,
      addEventListener() {},
      removeEventListener() {},
    }) as unknown as MediaQueryList;
});

const airlines = [
  { airline: 'Ryanair', bookings: 420, passengers: 600 },
  { airline: 'Iberia', bookings: 300, passengers: 410 },
  { airline: 'Lufthansa', bookings: 150, passengers: 160 },
];
const meta = [
  { name: 'airline', type: 'LowCardinality(String)' },
  { name: 'bookings', type: 'UInt64' },
  { name: 'passengers', type: 'Nullable(UInt32)' },
];
const hours = Array.from({ length: 12 }, (_, i) => ({
  hour: `2024-03-05 ${String(6 + i).padStart(2, '0')}:00:00`,
  bookings: 10 + i,
}));
const hourMeta = [
  { name: 'hour', type: "DateTime('UTC')" },
  { name: 'bookings', type: 'UInt64' },
];

describe('BarChart', () => {
  it('draws one bar per row and category', () => {
    const { container } = render(
      <BarChart data={airlines} index="airline" categories={['bookings', 'passengers']} width={500} height={200} />,
    );
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6);
  });

  it('defaults categories to the numeric columns of meta', () => {
    render(<BarChart data={airlines} meta={meta} width={500} height={200} title="Top airlines" />);
    const legend = screen.getByRole('list', { name: 'Series' });
    expect(
      within(legend)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['bookings', 'passengers']);
  });

  it('is a figure named by its title and described by a summary of the data', () => {
    render(
      <BarChart data={airlines} meta={meta} categories={['bookings']} width={500} height={200} title="Top airlines" />,
    );
    const figure = screen.getByRole('figure', { name: 'Top airlines' });
    expect(figure).toHaveAccessibleDescription(
      /3 rows of bookings by airline.*highest 420 at Ryanair, lowest 150 at Lufthansa/,
    );
    // The visually hidden table has every row.
    expect(within(figure).getAllByRole('row')).toHaveLength(4);
  });

  it('hides a series when its legend button is pressed, and shows it again', () => {
    const { container } = render(<BarChart data={airlines} meta={meta} width={500} height={200} />);
    const button = screen.getByRole('button', { name: 'passengers' });
    expect(button).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(button);
    expect(button).toHaveAttribute('aria-pressed', 'false');
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3);
    fireEvent.click(button);
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6);
  });

  it('calls onRowClick with the row of the clicked bar', () => {
    const onRowClick = vi.fn();
    const { container } = render(
      <BarChart data={airlines} categories={['bookings']} onRowClick={onRowClick} width={500} height={200} />,
    );
    fireEvent.click(container.querySelectorAll('.recharts-bar-rectangle path')[1]!);
    expect(onRowClick).toHaveBeenCalledWith(airlines[1]);
  });

  it('uses the colours given', () => {
    const { container } = render(
      <BarChart data={airlines} categories={['bookings']} colors={['#123456']} width={500} height={200} />,
    );
    expect(container.querySelector('.recharts-bar-rectangle path')).toHaveAttribute('fill', '#123456');
  });

  it('refuses to guess when given neither endpoint nor data', () => {
    // React logs the thrown render error; silence it here only, so later tests still show theirs.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => render(<BarChart width={500} />)).toThrow(/either `endpoint`.*or `data`/);
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('LineChart and AreaChart', () => {
  it('puts a DateTime index on a time axis with ticks on round hours, labelled in UTC', () => {
    const { container } = render(<LineChart data={hours} meta={hourMeta} width={600} height={200} />);
    expect(container.querySelectorAll('.recharts-xAxis .recharts-cartesian-axis-tick').length).toBeGreaterThan(2);
    const min = Date.UTC(2024, 2, 5, 6, 20);
    const max = Date.UTC(2024, 2, 5, 17, 0);
    const ticks = timeTicks(min, max);
    expect(ticks.map((t) => new Date(t).getUTCMinutes())).toEqual(ticks.map(() => 0));
    expect(ticks.map(timeTickFormatter(min, max, 'UTC', false))).toEqual(['09:00', '12:00', '15:00']);
    // A week of data gets weekday + hour, a month gets dates.
    expect(timeTickFormatter(min, min + 5 * 86_400_000, 'UTC', false)(min)).toMatch(/^Tue,? 06$/);
    expect(timeTickFormatter(min, min + 40 * 86_400_000, 'UTC', false)(min)).toBe('Mar 5');
  });

  it('draws a dot per point for short series', () => {
    const { container } = render(<LineChart data={hours} meta={hourMeta} width={600} height={200} />);
    expect(container.querySelectorAll('.recharts-line-dots circle, .recharts-line-dot')).toHaveLength(12);
  });

  it('stacks areas', () => {
    const rows = hours.map((h) => ({ ...h, cancellations: 2 }));
    const { container } = render(
      <AreaChart
        data={rows}
        meta={[...hourMeta, { name: 'cancellations', type: 'UInt64' }]}
        stacked
        width={600}
        height={200}
      />,
    );
    expect(container.querySelectorAll('.recharts-area')).toHaveLength(2);
  });
});

describe('DonutChart', () => {
  it('draws one slice per row and the total in the hole', () => {
    const { container } = render(
      <DonutChart data={airlines} meta={meta} index="airline" category="bookings" width={300} height={240} />,
    );
    expect(container.querySelectorAll('.recharts-pie-sector')).toHaveLength(3);
    expect(screen.getByText('870')).toBeInTheDocument();
  });
});

describe('BarList', () => {
  it('sizes bars relative to the largest value and calls onRowClick with the row', () => {
    const onRowClick = vi.fn();
    const { container } = render(<BarList data={airlines} meta={meta} category="bookings" onRowClick={onRowClick} />);
    const fills = [...container.querySelectorAll<HTMLElement>('.rtb-barlist-fill')].map((f) => f.style.width);
    expect(fills[0]).toBe('100%');
    expect(parseFloat(fills[2]!)).toBeCloseTo((150 / 420) * 100, 5);
    fireEvent.click(screen.getByRole('button', { name: /Iberia/ }));
    expect(onRowClick).toHaveBeenCalledWith(airlines[1]);
  });
});

describe('Table', () => {
  it('formats numbers and times, sorts by a header, and opens a row from the keyboard', () => {
    const onRowClick = vi.fn();
    render(<Table data={hours.slice(0, 3)} meta={hourMeta} onRowClick={onRowClick} />);
    const body = () => screen.getAllByRole('row').slice(1);
    expect(body()[0]).toHaveTextContent(/Mar 5, 2024.*06:00/);
    fireEvent.click(screen.getByRole('button', { name: /bookings/ }));
    expect(screen.getByRole('columnheader', { name: /bookings/ })).toHaveAttribute('aria-sort', 'descending');
    expect(body()[0]).toHaveTextContent('12');
    fireEvent.keyDown(body()[0]!, { key: 'Enter' });
    expect(onRowClick).toHaveBeenCalledWith(hours[2]);
  });
});

describe('Metric', () => {
  it('shows the value and the change against the previous value', () => {
    render(
      <Metric
        data={[{ bookings: 1100, bookings_prev: 1000 }]}
        category="bookings"
        previousCategory="bookings_prev"
        label="Bookings"
      />,
    );
    expect(screen.getByTestId('rtb-metric-value')).toHaveTextContent('1,100');
    const delta = screen.getByText(/\+10%/).closest('.rtb-delta');
    expect(delta).toHaveAttribute('data-trend', 'good');
  });

  it('computes the change from an absolute delta column (as the kpis pipe returns)', () => {
    render(
      <Metric data={[{ bookings: 900, bookings_delta: -100 }]} category="bookings" deltaCategory="bookings_delta" />,
    );
    expect(screen.getByText(/-10%/).closest('.rtb-delta')).toHaveAttribute('data-trend', 'bad');
  });

  it('colours a rise as bad when lower is better', () => {
    render(<Metric data={[{ p99: 120, p99_prev: 100 }]} category="p99" previousCategory="p99_prev" lowerIsBetter />);
    expect(screen.getByText(/\+20%/).closest('.rtb-delta')).toHaveAttribute('data-trend', 'bad');
  });
});

describe('ChartFrame', () => {
  it('shows a skeleton of the chart shape while loading, not a spinner', () => {
    render(<ChartFrame title="Sales" state={{ status: 'pending' }} skeleton="bar" />);
    const figure = screen.getByRole('figure', { name: 'Sales' });
    expect(figure).toHaveAttribute('aria-busy', 'true');
    expect(figure.querySelectorAll('.rtb-skeleton-block')).toHaveLength(10);
    expect(screen.getByRole('status')).toHaveTextContent('Loading Sales');
  });

  it("shows the error's message and code, and Retry refetches", () => {
    const refetch = vi.fn();
    const error = Object.assign(new Error('Template Syntax Error: wrong type for limit'), { code: 'BAD_REQUEST' });
    render(<ChartFrame state={{ status: 'error', error, refetch }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Template Syntax Error: wrong type for limit');
    expect(screen.getByRole('alert')).toHaveTextContent('BAD_REQUEST');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(refetch).toHaveBeenCalledOnce();
  });

  it('says so when there are no rows', () => {
    render(<ChartFrame state={{ status: 'success', data: [] }} />);
    expect(screen.getByText('No data for these parameters')).toBeInTheDocument();
  });

  it('shows the latency from statistics.elapsed unless turned off', () => {
    const state = { status: 'success' as const, data: [1], statistics: { elapsed: 0.00321 } };
    const { rerender } = render(<ChartFrame state={state}>chart</ChartFrame>);
    expect(screen.getByText('Latency 3.21 ms')).toBeInTheDocument();
    rerender(
      <ChartFrame state={state} showLatency={false}>
        chart
      </ChartFrame>,
    );
    expect(screen.queryByText(/Latency/)).toBeNull();
  });

  it('puts its class names on each part and injects the stylesheet once', () => {
    render(
      <>
        <ChartFrame
          title="A"
          className="card"
          classNames={{ title: 'big' }}
          theme="dark"
          state={{ status: 'success', data: [1] }}
        />
        <ChartFrame title="B" state={{ status: 'success', data: [1] }} />
      </>,
    );
    const a = screen.getByRole('figure', { name: 'A' });
    expect(a).toHaveClass('rtb-frame', 'card');
    expect(a).toHaveAttribute('data-theme', 'dark');
    expect(within(a).getByText('A')).toHaveClass('rtb-title', 'big');
    expect(document.querySelectorAll('style#rtb-styles')).toHaveLength(1);
    expect(document.getElementById('rtb-styles')?.textContent).toContain('--rtb-series-1');
  });
});
