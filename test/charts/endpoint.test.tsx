// Charts fetching through the provider against the local server (real HTTP, real JWTs from the demo token route).
import { render, screen, waitFor, within } from '@testing-library/react';
import { inject, beforeAll, describe, expect, it } from 'vitest';
import { TinybirdProvider } from 'react-tinybird';
import { BarChart, Metric } from 'react-tinybird/charts';
import type { ReactNode } from 'react';
import { defineEndpoint, node, p, t } from '@tinybirdco/sdk';

const { tokenUrl, url } = inject('tinybird');
let airlines: { airline: string; bookings: number }[] = [];

beforeAll(async () => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
  const { token } = (await (await fetch(tokenUrl)).json()) as { token: string };
  const res = await fetch(`${url}/v0/pipes/top_airlines.json?limit=4`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  airlines = ((await res.json()) as { data: typeof airlines }).data;
});

const wrap = (ui: ReactNode) => render(<TinybirdProvider tokenUrl={tokenUrl}>{ui}</TinybirdProvider>);

describe('charts over an endpoint', () => {
  it('query through the enclosing provider and draw every row, with the latency in the footer', async () => {
    const { container } = wrap(
      <BarChart endpoint="top_airlines" params={{ limit: 4 }} index="airline" width={500} height={200} title="Top" />,
    );
    expect(screen.getByRole('figure', { name: 'Top' })).toHaveAttribute('aria-busy', 'true');
    await waitFor(() =>
      expect(container.querySelectorAll('.recharts-bar-rectangle path')).toHaveLength(airlines.length * 3),
    );
    // Categories default to the numeric columns the endpoint's meta reports: bookings, passengers, revenue.
    expect(
      within(screen.getByRole('list', { name: 'Series' }))
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['bookings', 'passengers', 'revenue']);
    expect(screen.getByText(/^Latency \d/)).toBeInTheDocument();
  });

  it('take an @tinybirdco/sdk endpoint definition in place of the pipe name', async () => {
    const topAirlines = defineEndpoint('top_airlines', {
      params: { limit: p.int32().optional(10) },
      nodes: [node({ name: 'endpoint', sql: 'SELECT airline, count() AS bookings FROM events GROUP BY airline' })],
      output: { airline: t.string(), bookings: t.uint64() },
    });
    const { container } = wrap(
      <BarChart
        endpoint={topAirlines}
        params={{ limit: 4 }}
        index="airline"
        categories={['bookings']}
        width={500}
        height={200}
      />,
    );
    await waitFor(() =>
      expect(container.querySelectorAll('.recharts-bar-rectangle path')).toHaveLength(airlines.length),
    );
    const hidden = [
      ...container.querySelectorAll('.rtb-sr-only table tbody tr th, .rtb-sr-only table tbody tr td:first-child'),
    ];
    expect(hidden.map((cell) => cell.textContent)).toEqual(airlines.map((row) => row.airline));
  });

  it("show the server's message for a bad parameter", async () => {
    wrap(<BarChart endpoint="top_airlines" params={{ limit: 'many' }} width={500} height={200} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('BAD_REQUEST');
    expect(alert).toHaveTextContent(/many/);
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('show a KPI from the kpis pipe', async () => {
    wrap(<Metric endpoint="kpis" params={{ days: 7 }} category="bookings" deltaCategory="bookings_delta" />);
    await waitFor(() => expect(screen.getByTestId('rtb-metric-value').textContent).toMatch(/^\d[\d,]*$/));
  });
});
