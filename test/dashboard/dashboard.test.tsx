// The dashboard layer against the real local server: what a hook or chart under a DashboardProvider sends (seen with
// the client's own request observer), and what comes back.
import { act, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { useContext, type ReactNode } from 'react';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DashboardContext, TinybirdProvider, createTinybirdClient, useEndpoint } from 'react-tinybird';
import { BarChart, BarList } from 'react-tinybird/charts';
import {
  DashboardProvider,
  TimeRangePicker,
  useDashboard,
  type DashboardProviderProps,
} from 'react-tinybird/dashboard';

const tb = inject('tinybird');
const HOUR = 3_600_000;
const text = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
// A fixed range over seeded data: the three days before the current hour.
const end = Math.floor(Date.now() / HOUR) * HOUR;
const start = end - 72 * HOUR;
const range = { start: new Date(start), end: new Date(end) };

beforeAll(() => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

/** A provider whose client reports every request's URL into `sent`. */
function setup(dashboard: DashboardProviderProps = {}) {
  const client = createTinybirdClient({ tokenUrl: tb.tokenUrl });
  const sent: URLSearchParams[] = [];
  client.onRequest((event) => {
    if (event.status === undefined && event.url.includes('/v0/pipes/'))
      sent.push(new URL(event.url, tb.url).searchParams);
  });
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TinybirdProvider client={client} queryClient={queryClient}>
      <DashboardProvider {...dashboard}>{children}</DashboardProvider>
    </TinybirdProvider>
  );
  return { client, sent, wrapper };
}

async function direct<Row>(pipe: string, params: Record<string, string>): Promise<Row[]> {
  const { token } = (await (await fetch(tb.tokenUrl)).json()) as { token: string };
  const res = await fetch(`${tb.url}/v0/pipes/${pipe}.json?${new URLSearchParams(params)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${pipe}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: Row[] }).data;
}

type Hourly = { hour: string; bookings: number; revenue: number };

describe('DashboardProvider: params merged into every hook', () => {
  it("sends the range as Tinybird DateTime text and the filters; the rows are the endpoint's for those params", async () => {
    const [airline] = (await direct<{ airline: string }>('top_airlines', { limit: '1' })).map((r) => r.airline);
    const { sent, wrapper } = setup({ defaultRange: range, defaultFilters: { airline: airline! } });
    const { result } = renderHook(() => useEndpoint<Hourly>('bookings_per_hour'), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const params = { start: text(start), end: text(end), airline: airline! };
    expect(Object.fromEntries(sent[0]!)).toEqual(params);
    const expected = await direct<Hourly>('bookings_per_hour', params);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.current.data).toEqual(expected);
  });

  it("a hook's own params win, and one set to undefined is not sent", async () => {
    const { sent, wrapper } = setup({ defaultRange: range, defaultFilters: { airline: 'AAA' } });
    const { result } = renderHook(
      () => [
        useEndpoint('bookings_per_hour', { airline: 'BBB', start: '2020-01-01 00:00:00' }),
        useEndpoint('bookings_per_hour', { airline: undefined }),
      ],
      { wrapper },
    );
    await waitFor(() => expect(result.current.every((q) => q.isSuccess)).toBe(true));
    const seen = sent.map((p) => Object.fromEntries(p));
    expect(seen).toContainEqual({ start: '2020-01-01 00:00:00', end: text(end), airline: 'BBB' });
    expect(seen).toContainEqual({ start: text(start), end: text(end) });
  });

  it('a rolling range is resolved against a clock in whole minutes, up to the end of the current one', async () => {
    const before = Date.now();
    const { sent, wrapper } = setup({ defaultRange: '24h' });
    const { result } = renderHook(() => useEndpoint('top_airlines', { limit: 2 }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const params = sent[0]!;
    const sentEnd = Date.parse(`${params.get('end')!.replace(' ', 'T')}Z`);
    const sentStart = Date.parse(`${params.get('start')!.replace(' ', 'T')}Z`);
    expect(sentEnd - sentStart).toBe(24 * HOUR);
    expect(sentEnd % 60_000).toBe(0);
    expect(sentEnd).toBeGreaterThan(before);
  });

  it('param names, Date text in a time zone and the suggested granularity are configurable', () => {
    const now = Date.parse('2026-03-10T02:30:00Z'); // 2026-03-09 19:30 in Los Angeles
    const { result } = renderHook(() => useContext(DashboardContext), {
      wrapper: setup({
        defaultRange: 'yesterday',
        timeZone: 'America/Los_Angeles',
        now,
        timeParams: { start: 'date_from', end: 'date_to', format: 'date', granularity: 'granularity' },
      }).wrapper,
    });
    expect(result.current!.params).toEqual({ date_from: '2026-03-08', date_to: '2026-03-08', granularity: 'hour' });
    expect(result.current!.previousParams).toEqual({
      date_from: '2026-03-07',
      date_to: '2026-03-07',
      granularity: 'hour',
    });
  });

  it('today starts at midnight in the chosen time zone (DST included), and the 12 months suggest months', () => {
    const now = Date.parse('2026-03-08T12:00:00Z'); // the day Los Angeles moves to summer time
    const { result } = renderHook(() => useDashboard(), {
      wrapper: setup({ defaultRange: 'today', timeZone: 'America/Los_Angeles', now }).wrapper,
    });
    expect(result.current.resolved.start.toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(result.current.resolved.end.toISOString()).toBe('2026-03-09T07:00:00.000Z');
    act(() => result.current.setRange('12mo'));
    expect(result.current.resolved.granularity).toBe('month');
  });

  it('a range that starts after it ends is refused with a TypeError, the state kept', () => {
    const { result } = renderHook(() => useDashboard(), { wrapper: setup({ defaultRange: '7d' }).wrapper });
    expect(() => result.current.setRange({ start: range.end, end: range.start })).toThrow(
      new TypeError('A time range must start before it ends.'),
    );
    expect(result.current.range).toBe('7d');
  });

  it('useDashboard outside a provider says which provider is missing', () => {
    expect(() => renderHook(() => useDashboard())).toThrow(/inside <DashboardProvider>/);
  });
});

describe('charts under a dashboard', () => {
  it('a widget whose endpoint rejects a filter shows its own error; the others keep working', async () => {
    const { wrapper } = setup({ defaultRange: range, defaultFilters: { limit: 'many' } });
    render(
      <>
        <BarChart endpoint="top_airlines" title="Top" width={400} height={200} />
        <BarList endpoint="bookings_per_hour" index="hour" category="bookings" title="Hourly" />
      </>,
      { wrapper },
    );
    const top = screen.getByRole('figure', { name: 'Top' });
    await waitFor(() => expect(within(top).getByRole('alert')).toHaveTextContent('BAD_REQUEST'));
    await waitFor(() => expect(screen.getByRole('figure', { name: 'Hourly' })).toHaveAttribute('data-state', 'ready'));
  });

  it('`dashboard={false}` opts a chart out; `rename` sends a dashboard param under its own name', async () => {
    const { sent, wrapper } = setup({ defaultRange: range, defaultFilters: { carrier: 'KLM' } });
    render(
      <>
        <BarList endpoint="top_airlines" params={{ limit: 3 }} dashboard={false} title="Alone" />
        <BarList
          endpoint="bookings_per_hour"
          index="hour"
          dashboard={{ rename: { carrier: 'airline' }, exclude: ['end'] }}
          title="Renamed"
        />
      </>,
      { wrapper },
    );
    await waitFor(() => expect(sent).toHaveLength(2));
    const seen = sent.map((p) => Object.fromEntries(p));
    expect(seen).toContainEqual({ limit: '3' });
    expect(seen).toContainEqual({ start: text(start), airline: 'KLM' });
  });

  it('the picker: presets by keyboard, a custom range, and a start after the end refused with a message', async () => {
    const { wrapper } = setup({ defaultRange: '24h', timeZone: 'UTC' });
    const { result } = renderHook(() => useDashboard(), {
      wrapper: ({ children }) =>
        wrapper({
          children: (
            <>
              {children}
              <TimeRangePicker />
            </>
          ),
        }),
    });
    const select = screen.getByRole('combobox', { name: 'Time range' });
    expect(screen.getByRole('group', { name: 'Time range' })).toBeInTheDocument();
    fireEvent.change(select, { target: { value: '7d' } });
    expect(result.current.range).toBe('7d');
    fireEvent.change(select, { target: { value: 'custom' } });
    expect(typeof result.current.range).toBe('object');
    fireEvent.change(screen.getByLabelText(/From/), { target: { value: '2026-12-02T00:00' } });
    fireEvent.change(screen.getByLabelText(/To/), { target: { value: '2026-12-03T00:00' } });
    expect(result.current.range).toEqual({
      start: new Date('2026-12-02T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    fireEvent.change(screen.getByLabelText(/From/), { target: { value: '2026-12-04T00:00' } });
    expect(screen.getByRole('alert')).toHaveTextContent('A time range must start before it ends.');
    expect(screen.getByLabelText(/From/)).toHaveAttribute('aria-invalid', 'true');
    expect(result.current.range).toEqual({
      start: new Date('2026-12-02T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
  });
});
