import type { Meta, StoryObj } from '@storybook/react-vite';
import { AreaChart, BarList, DonutChart, Metric } from 'react-tinybird/charts';
import { DashboardProvider, FilterChips, TimeRangePicker } from 'react-tinybird/dashboard';
import { expect, waitFor, within } from 'storybook/test';
import { endpointRows } from './lib/tinybird';

const euros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const compactEuros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', notation: 'compact' });
const REFRESH = 5_000;
const HOUR = 3_600_000;

/**
 * The demo project as one dashboard: a time range and an airline filter shared by every widget, in the URL. Click an
 * airline (a row or a slice) and the revenue chart follows; the chip removes it. The KPIs read `end` but no airline:
 * an endpoint ignores a filter it does not read.
 */
function Dashboard({ now }: { now: number }) {
  const kpi = { endpoint: 'kpis', params: { days: 7 }, refreshInterval: REFRESH, showLatency: false } as const;
  return (
    // `now` is the latest hour of data: the story's pictures are taken on a frozen data set, the playground's is live.
    <DashboardProvider defaultRange="24h" now={now} url filters={['airline']}>
      <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(6, minmax(0, 1fr))', maxWidth: 1100 }}>
        <div style={{ gridColumn: 'span 6', display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
          <TimeRangePicker presets={['1h', '24h', '7d', '30d']} />
          <FilterChips labels={{ airline: 'Airline' }} />
        </div>
        <div style={{ gridColumn: 'span 2' }}>
          <Metric
            {...kpi}
            title="Bookings"
            category="bookings"
            deltaCategory="bookings_delta"
            label="7 days to the end"
          />
        </div>
        <div style={{ gridColumn: 'span 2' }}>
          <Metric
            {...kpi}
            title="Revenue"
            category="revenue"
            deltaCategory="revenue_delta"
            valueFormatter={euros.format}
            label="7 days to the end"
          />
        </div>
        <div style={{ gridColumn: 'span 2' }}>
          <Metric {...kpi} title="Travellers" category="users" label="distinct users" />
        </div>
        <div style={{ gridColumn: 'span 6' }}>
          <AreaChart
            endpoint="bookings_per_hour"
            index="hour"
            categories={['revenue']}
            valueFormatter={compactEuros.format}
            refreshInterval={REFRESH}
            title="Revenue per hour"
            description="In the chosen range, for the chosen airline"
            height={220}
            exportFormats={['csv']}
          />
        </div>
        <div style={{ gridColumn: 'span 3' }}>
          <BarList
            endpoint="top_airlines"
            params={{ limit: 6 }}
            index="airline"
            category="bookings"
            refreshInterval={REFRESH}
            crossFilter="airline"
            title="Top airlines"
            description="By bookings; click one to filter"
          />
        </div>
        <div style={{ gridColumn: 'span 3' }}>
          <DonutChart
            endpoint="top_airlines"
            params={{ limit: 5 }}
            index="airline"
            category="revenue"
            valueFormatter={compactEuros.format}
            refreshInterval={REFRESH}
            crossFilter="airline"
            title="Revenue share"
            description="Top 5 airlines"
            height={220}
          />
        </div>
      </div>
    </DashboardProvider>
  );
}

const ready = async (canvas: HTMLElement) =>
  waitFor(() => expect(canvas.querySelectorAll('figure.rtb-frame[data-state="ready"]')).toHaveLength(6), {
    timeout: 10_000,
  });

const meta = {
  title: 'Dashboard',
  tags: ['screenshot'],
  // The end of the latest hour with data: the pipe's default window ends at the data's "now".
  loaders: [
    async () => {
      const rows = await endpointRows('bookings_per_hour');
      const last = rows.at(-1)?.hour;
      return { now: last ? Date.parse(`${last.replace(' ', 'T')}Z`) + HOUR : Date.now() };
    },
  ],
  render: (_, { loaded }) => <Dashboard now={(loaded as { now: number }).now} />,
  parameters: { viewport: { width: 1100 } },
  beforeEach: () => {
    // Each story starts from the default state: the dashboard keeps its state in the URL (Storybook's own keys stay).
    const search = new URLSearchParams(window.location.search);
    for (const key of ['range', 'from', 'to', 'airline']) search.delete(key);
    const query = search.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`,
    );
  },
  play: async ({ canvasElement }) => ready(canvasElement),
} satisfies Meta;
export default meta;

export const Light: StoryObj<typeof meta> = {};
export const Dark: StoryObj<typeof meta> = { globals: { theme: 'dark' } };

/** An airline clicked: the revenue chart shows that airline only, the row and slice are marked, a chip says so. */
export const Filtered: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const canvas = within(canvasElement);
    const airlines = canvas.getByRole('list', { name: 'Top airlines' });
    const second = within(airlines).getAllByRole('button')[1]!;
    const name = second.querySelector('.rtb-barlist-label')!.textContent!;
    second.click();
    await waitFor(() => expect(second).toHaveAttribute('aria-pressed', 'true'));
    await canvas.findByText(name, { selector: '.rtb-chips strong' });
    expect(new URLSearchParams(window.location.search).get('airline')).toBe(name);
    await waitFor(() => expect(canvasElement.querySelectorAll('.rtb-fetching')).toHaveLength(0), { timeout: 10_000 });
    await ready(canvasElement);
  },
};
