// Charts polling the local server while the rows stay the same. Every response brings a new statistics.elapsed (and a
// fetching flag going on and off), which the frame's footer shows; the chart bodies (recharts trees, lists, tables)
// must not redraw for it. A chart body formats its values with `valueFormatter` whenever it renders (summary, hidden
// table, axis ticks, cells), so counting a formatter's calls counts that chart's body renders.
import { Profiler } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TinybirdProvider } from 'react-tinybird';
import { AreaChart, BarChart, BarList, DonutChart, LineChart, Metric, Table } from 'react-tinybird/charts';

const tb = inject('tinybird');
const POLL_MS = 50;

beforeAll(() => {
  // Reduced motion: no entry animation, so nothing redraws on its own after the first paint.
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

async function appendBooking(user: string, booking: string, price: number): Promise<void> {
  const row = {
    timestamp: `2024-06-01 10:0${booking}:00`,
    booking_id: booking,
    user_id: user,
    airline: 'AA',
    origin: 'MAD',
    destination: 'JFK',
    passengers: 1,
    price,
  };
  const response = await fetch(`${tb.url}/v0/events?name=events&wait=true`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tb.adminToken}`, 'Content-Type': 'application/x-ndjson' },
    body: JSON.stringify(row),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

/** A formatter per chart that counts its calls: stable references, as an app would define them. */
const calls = new Map<string, number>();
const counting = (id: string) => (n: number) => {
  calls.set(id, (calls.get(id) ?? 0) + 1);
  return n.toFixed(0);
};
const f = {
  bar: counting('bar'),
  line: counting('line'),
  area: counting('area'),
  donut: counting('donut'),
  list: counting('list'),
  table: counting('table'),
  metric: counting('metric'),
};
const categories = ['price'];

describe('charts polling equal rows', () => {
  it('redraw the footer on each poll, never the chart body', async () => {
    const user = `still_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await appendBooking(user, '1', 100);
    await appendBooking(user, '2', 250);

    const queryClient = new QueryClient();
    let frameCommits = 0;
    const common = { endpoint: 'user_bookings', refreshInterval: POLL_MS, width: 400, height: 200 } as const;
    const { container, unmount } = render(
      <TinybirdProvider tokenUrl={`${tb.tokenUrl}?user=${user}`} queryClient={queryClient}>
        <Profiler id="charts" onRender={() => (frameCommits += 1)}>
          <BarChart {...common} title="bar" index="booking_id" categories={categories} valueFormatter={f.bar} />
          <LineChart {...common} title="line" index="timestamp" categories={categories} valueFormatter={f.line} />
          <AreaChart {...common} title="area" index="timestamp" categories={categories} valueFormatter={f.area} />
          <DonutChart {...common} title="donut" index="booking_id" category="price" valueFormatter={f.donut} />
          <BarList {...common} title="list" index="booking_id" category="price" valueFormatter={f.list} />
          <Table {...common} title="table" columns={['booking_id', 'price']} valueFormatter={f.table} />
          <Metric {...common} title="metric" category="price" valueFormatter={f.metric} />
        </Profiler>
      </TinybirdProvider>,
    );
    try {
      await waitFor(
        () => {
          expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2);
          expect(screen.getAllByText(/^Latency \d/)).toHaveLength(7);
        },
        { timeout: 15_000 },
      );
      const fetches = () => queryClient.getQueryCache().getAll()[0]!.state.dataUpdateCount;
      // Let the first paint settle (recharts measures its axes once), then watch several polls.
      const settled = fetches() + 2;
      await waitFor(() => expect(fetches()).toBeGreaterThanOrEqual(settled), { timeout: 15_000 });
      const before = new Map(calls);
      const commitsBefore = frameCommits;
      const polls = fetches() + 5;
      await waitFor(() => expect(fetches()).toBeGreaterThanOrEqual(polls), { timeout: 15_000 });

      expect(queryClient.getQueryCache().getAll()).toHaveLength(1);
      expect(before.size).toBe(7);
      // The frames did follow the polls (latency, fetching indicator)...
      expect(frameCommits - commitsBefore).toBeGreaterThanOrEqual(5);
      // ...and no chart body formatted a value again.
      expect(Object.fromEntries(calls)).toEqual(Object.fromEntries(before));
      expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2);
    } finally {
      unmount();
    }
  });

  it('redraw for a parent re-render only when their own props change, not for fresh params or array literals', () => {
    let n = 0;
    const counted = (v: number) => ((n += 1), v.toFixed(0));
    const rows = [
      { airline: 'AA', bookings: 3 },
      { airline: 'IB', bookings: 5 },
    ];
    const chart = (props: { valueFormatter: (v: number) => string; title?: string }) => (
      <BarChart
        data={rows}
        params={{ limit: 2 }}
        index="airline"
        categories={['bookings']}
        width={400}
        height={200}
        {...props}
      />
    );
    const { rerender } = render(chart({ valueFormatter: counted }));
    const drawn = n;
    expect(drawn).toBeGreaterThan(0);
    rerender(chart({ valueFormatter: counted }));
    expect(n).toBe(drawn);
    rerender(chart({ valueFormatter: counted, title: 'Bookings' }));
    expect(n).toBeGreaterThan(drawn);
    expect(screen.getByRole('figure', { name: 'Bookings' })).toBeInTheDocument();
  });
});
