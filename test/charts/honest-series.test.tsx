// Honest time series: a last bucket still filling is drawn distinctly or left out; a 0 % change is neutral; a Metric
// under a dashboard compares with the previous period (against the real local server).
import { render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TinybirdProvider } from 'react-tinybird';
import { AreaChart, BarChart, LineChart, Metric } from 'react-tinybird/charts';
import { DashboardProvider } from 'react-tinybird/dashboard';

const HOUR = 3_600_000;
const text = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
/** Six hourly buckets ending with the current hour (still filling), or ending `shift` hours ago. */
const hours = (shift = 0) => {
  const current = Math.floor(Date.now() / HOUR) * HOUR - shift * HOUR;
  return [5, 4, 3, 2, 1, 0].map((ago) => ({ hour: text(current - ago * HOUR), revenue: 100 + ago, bookings: 3 }));
};
const meta = [
  { name: 'hour', type: 'DateTime' },
  { name: 'revenue', type: 'Float64' },
  { name: 'bookings', type: 'UInt64' },
];
const hiddenRows = (figure: HTMLElement) =>
  [...figure.querySelectorAll('.rtb-sr-only table tbody tr')].map((tr) => tr.firstElementChild!.textContent!);

beforeAll(() => {
  window.matchMedia = ((query: string) => ({
    matches: query.includes('reduce'),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  })) as never;
});

describe('the last bucket still filling', () => {
  it('a line draws it dashed, and the hidden table says it is incomplete', async () => {
    const { container } = render(
      <LineChart data={hours()} meta={meta} index="hour" categories={['revenue']} width={500} height={200} title="L" />,
    );
    await waitFor(() => expect(container.querySelector('.rtb-incomplete path[stroke-dasharray="5 4"]')).not.toBeNull());
    const rows = hiddenRows(screen.getByRole('figure', { name: 'L' }));
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)).toMatch(/\(incomplete\)$/);
    expect(rows.slice(0, -1).every((r) => !r.includes('incomplete'))).toBe(true);
  });

  it("'hide' leaves it out; 'show' draws it like the others; finished buckets are never marked", async () => {
    render(
      <>
        <AreaChart
          data={hours()}
          meta={meta}
          index="hour"
          categories={['revenue']}
          incomplete="hide"
          width={500}
          height={200}
          title="H"
        />
        <AreaChart
          data={hours()}
          meta={meta}
          index="hour"
          categories={['revenue']}
          incomplete="show"
          width={500}
          height={200}
          title="S"
        />
        <AreaChart
          data={hours(3)}
          meta={meta}
          index="hour"
          categories={['revenue']}
          width={500}
          height={200}
          title="P"
        />
      </>,
    );
    expect(hiddenRows(screen.getByRole('figure', { name: 'H' }))).toHaveLength(5);
    for (const name of ['S', 'P']) {
      const figure = screen.getByRole('figure', { name });
      expect(hiddenRows(figure)).toHaveLength(6);
      expect(figure.querySelector('.rtb-incomplete')).toBeNull();
    }
  });

  it('a bar chart fades and outlines the last bar; a stacked area shades the last band', async () => {
    const { container } = render(
      <>
        <BarChart
          data={hours()}
          meta={meta}
          index="hour"
          categories={['bookings']}
          width={500}
          height={200}
          title="B"
        />
        <AreaChart
          data={hours()}
          meta={meta}
          index="hour"
          categories={['revenue', 'bookings']}
          stacked
          width={500}
          height={200}
          title="A"
        />
      </>,
    );
    await waitFor(() => expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6));
    const last = [...container.querySelectorAll('.recharts-bar-rectangle path')].at(-1)!;
    expect(last).toHaveAttribute('fill-opacity', '0.4');
    expect(last).toHaveAttribute('stroke-dasharray', '3 2');
    await waitFor(() =>
      expect(screen.getByRole('figure', { name: 'A' }).querySelector('.rtb-incomplete')).not.toBeNull(),
    );
  });
});

describe('Metric change', () => {
  it('0 % is neutral: no arrow up or down, no "-0%", read as no change', () => {
    render(
      <>
        <Metric data={[{ v: 100, p: 100 }]} category="v" previousCategory="p" title="same" />
        <Metric data={[{ v: 99_999, p: 100_000 }]} category="v" previousCategory="p" title="tiny" />
      </>,
    );
    for (const name of ['same', 'tiny']) {
      const delta = screen.getByRole('figure', { name }).querySelector('.rtb-delta')!;
      expect(delta).toHaveAttribute('data-trend', 'flat');
      expect(delta.textContent).toBe('■0% no change');
    }
  });

  it('under a dashboard, `compare` shows the change against the previous period of the same length', async () => {
    const tb = inject('tinybird');
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const range = { start: new Date(end - 48 * HOUR), end: new Date(end) };
    const { token } = (await (await fetch(tb.tokenUrl)).json()) as { token: string };
    const bookings = async (from: number, to: number) => {
      const res = await fetch(
        `${tb.url}/v0/pipes/top_airlines.json?limit=1&start=${encodeURIComponent(text(from))}&end=${encodeURIComponent(text(to))}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return ((await res.json()) as { data: { bookings: number }[] }).data[0]!.bookings;
    };
    const now = await bookings(end - 48 * HOUR, end);
    const before = await bookings(end - 96 * HOUR, end - 48 * HOUR);
    const expected = new Intl.NumberFormat(undefined, {
      style: 'percent',
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    }).format((now - before) / before);
    render(
      <TinybirdProvider tokenUrl={tb.tokenUrl} queryClient={new QueryClient()}>
        <DashboardProvider defaultRange={range}>
          <Metric endpoint="top_airlines" params={{ limit: 1 }} category="bookings" compare title="Top airline" />
        </DashboardProvider>
      </TinybirdProvider>,
    );
    const figure = screen.getByRole('figure', { name: 'Top airline' });
    await waitFor(() => expect(figure.querySelector('.rtb-delta')).not.toBeNull());
    expect(figure.querySelector('.rtb-delta')!.textContent).toContain(expected);
    expect(within(figure).getByTestId('rtb-metric-value').textContent).toBe(now.toLocaleString());
  });
});
