// Cross-filtering against the real local server: a click in one widget filters the others, the clicked one marks its
// choice, chips remove it, and any text is sent as a param (never spliced into SQL).
import { act, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TinybirdProvider, createTinybirdClient, useEndpoint } from 'react-tinybird';
import { BarList, DonutChart, Table } from 'react-tinybird/charts';
import { DashboardProvider, FilterChips, useDashboard } from 'react-tinybird/dashboard';

const tb = inject('tinybird');
const HOUR = 3_600_000;
const end = Math.floor(Date.now() / HOUR) * HOUR;
const range = { start: new Date(end - 72 * HOUR), end: new Date(end) };
const text = (t: Date) => t.toISOString().slice(0, 19).replace('T', ' ');
const window3d = { start: text(range.start), end: text(range.end) };

beforeAll(() => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

function setup() {
  const client = createTinybirdClient({ tokenUrl: tb.tokenUrl });
  const sent: { pipe: string; params: Record<string, string> }[] = [];
  client.onRequest((event) => {
    if (event.status !== undefined || !event.url.includes('/v0/pipes/')) return;
    const url = new URL(event.url, tb.url);
    sent.push({
      pipe: url.pathname.split('/').pop()!.replace('.json', ''),
      params: Object.fromEntries(url.searchParams),
    });
  });
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TinybirdProvider client={client} queryClient={queryClient}>
      <DashboardProvider defaultRange={range}>{children}</DashboardProvider>
    </TinybirdProvider>
  );
  return { sent, wrapper };
}

async function direct<Row>(pipe: string, params: Record<string, string>): Promise<Row[]> {
  const { token } = (await (await fetch(tb.tokenUrl)).json()) as { token: string };
  const res = await fetch(`${tb.url}/v0/pipes/${pipe}.json?${new URLSearchParams(params)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${pipe}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: Row[] }).data;
}

const rowsOf = (name: string) =>
  within(screen.getByRole('list', { name }))
    .getAllByRole('button')
    .map((b) => b.textContent);

describe('cross-filtering', () => {
  it('a BarList row filters the other widgets, is marked, shows as a chip; removing the chip restores the view', async () => {
    const { sent, wrapper } = setup();
    render(
      <>
        <FilterChips labels={{ airline: 'Airline' }} />
        <BarList
          endpoint="top_airlines"
          params={{ limit: 5 }}
          index="airline"
          category="bookings"
          crossFilter="airline"
          title="Airlines"
        />
        <BarList endpoint="bookings_per_hour" index="hour" category="bookings" onRowClick={() => {}} title="Hourly" />
      </>,
      { wrapper },
    );
    await waitFor(() => expect(rowsOf('Airlines')).toHaveLength(5));
    await waitFor(() => expect(screen.getByRole('figure', { name: 'Hourly' })).toHaveAttribute('data-state', 'ready'));
    const unfiltered = rowsOf('Hourly');
    expect(screen.queryByRole('list', { name: 'Active filters' })).toBeNull();

    const second = within(screen.getByRole('list', { name: 'Airlines' })).getAllByRole('button')[1]!;
    const chosen = (await direct<{ airline: string }>('top_airlines', { ...window3d, limit: '5' }))[1]!.airline;
    fireEvent.click(second);

    const expected = await direct<{ hour: string; bookings: number }>('bookings_per_hour', {
      ...window3d,
      airline: chosen,
    });
    await waitFor(() => expect(rowsOf('Hourly')).toHaveLength(expected.length));
    expect(sent).toContainEqual({ pipe: 'bookings_per_hour', params: { ...window3d, airline: chosen } });
    // The clicked widget does not filter itself: every airline stays, the chosen one pressed.
    expect(sent.filter((r) => r.pipe === 'top_airlines').every((r) => !('airline' in r.params))).toBe(true);
    const buttons = within(screen.getByRole('list', { name: 'Airlines' })).getAllByRole('button');
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'true', 'false', 'false', 'false']);

    const chips = screen.getByRole('list', { name: 'Active filters' });
    expect(chips).toHaveTextContent(`Airline: ${chosen}`);
    fireEvent.click(within(chips).getByRole('button', { name: `Remove filter airline: ${chosen}` }));
    await waitFor(() => expect(rowsOf('Hourly')).toEqual(unfiltered));
    expect(screen.queryByRole('list', { name: 'Active filters' })).toBeNull();
    expect(
      within(screen.getByRole('list', { name: 'Airlines' }))
        .getAllByRole('button')
        .every((b) => b.getAttribute('aria-pressed') === 'false'),
    ).toBe(true);
  });

  it('clicking the chosen item again clears it; "Clear filters" clears them all', async () => {
    const { wrapper } = setup();
    render(
      <>
        <FilterChips />
        <BarList endpoint="top_airlines" params={{ limit: 3 }} index="airline" crossFilter="airline" title="Airlines" />
      </>,
      { wrapper },
    );
    await waitFor(() => expect(rowsOf('Airlines')).toHaveLength(3));
    const first = () => within(screen.getByRole('list', { name: 'Airlines' })).getAllByRole('button')[0]!;
    fireEvent.click(first());
    expect(first()).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(first());
    expect(first()).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(first());
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(first()).toHaveAttribute('aria-pressed', 'false');
  });

  it('a table row (mouse or keyboard) and a donut legend item set the filter', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useDashboard(), {
      wrapper: ({ children }) =>
        wrapper({
          children: (
            <>
              {children}
              <Table
                endpoint="top_airlines"
                params={{ limit: 3 }}
                columns={['airline', 'bookings']}
                crossFilter="airline"
                title="T"
              />
              <DonutChart
                endpoint="top_airlines"
                params={{ limit: 3 }}
                index="airline"
                category="bookings"
                crossFilter="carrier"
                width={300}
                height={200}
                title="D"
              />
            </>
          ),
        }),
    });
    const table = await within(screen.getByRole('figure', { name: 'T' })).findByRole('table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    const row = within(table).getAllByRole('row')[2]!;
    fireEvent.keyDown(row, { key: 'Enter' });
    const name = within(row).getAllByRole('cell')[0]!.textContent!;
    expect(result.current.filters).toEqual({ airline: name });
    expect(row).toHaveAttribute('aria-current', 'true');

    const legend = await within(screen.getByRole('figure', { name: 'D' })).findByRole('list', { name: 'Series' });
    const item = within(legend).getAllByRole('button')[0]!;
    fireEvent.click(item);
    expect(result.current.filters).toEqual({ airline: name, carrier: item.textContent });
    expect(item).toHaveAttribute('aria-pressed', 'true');
  });

  it('a filter value with quotes, commas and non-ASCII text is sent as a param, not spliced into SQL', async () => {
    const { sent, wrapper } = setup();
    const value = `O'Brien, "Ünïcødé" ✈ ) OR 1=1 --`;
    const { result } = renderHook(() => ({ dashboard: useDashboard(), hourly: useEndpoint('bookings_per_hour') }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.hourly.isSuccess).toBe(true));
    act(() => result.current.dashboard.setFilter('airline', value));
    await waitFor(() => expect(sent.some((r) => r.params.airline === value)).toBe(true));
    await waitFor(() => expect(result.current.hourly.isSuccess && !result.current.hourly.isPlaceholderData).toBe(true));
    expect(result.current.hourly.data).toEqual([]);
  });
});
