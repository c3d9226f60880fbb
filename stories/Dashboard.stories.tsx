import type { Meta, StoryObj } from '@storybook/react-vite';
import { AreaChart, BarList, DonutChart, Metric } from 'react-tinybird/charts';
import { expect, waitFor } from 'storybook/test';

const euros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const compactEuros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', notation: 'compact' });
const REFRESH = 5_000;

/** The demo project on one page, every widget polling: what `npm run playground` shows with live events. */
function Dashboard() {
  const kpi = { endpoint: 'kpis', params: { days: 7 }, refreshInterval: REFRESH, showLatency: false } as const;
  return (
    <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(6, minmax(0, 1fr))', maxWidth: 1100 }}>
      <div style={{ gridColumn: 'span 2' }}>
        <Metric {...kpi} title="Bookings" category="bookings" deltaCategory="bookings_delta" label="last 7 days" />
      </div>
      <div style={{ gridColumn: 'span 2' }}>
        <Metric
          {...kpi}
          title="Revenue"
          category="revenue"
          deltaCategory="revenue_delta"
          valueFormatter={euros.format}
          label="last 7 days"
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
          description="Last 24 hours, UTC"
          height={220}
        />
      </div>
      <div style={{ gridColumn: 'span 3' }}>
        <BarList
          endpoint="top_airlines"
          params={{ limit: 6 }}
          index="airline"
          category="bookings"
          refreshInterval={REFRESH}
          title="Top airlines"
          description="By bookings"
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
          title="Revenue share"
          description="Top 5 airlines"
          height={220}
        />
      </div>
    </div>
  );
}

const meta = {
  title: 'Dashboard',
  tags: ['screenshot'],
  render: () => <Dashboard />,
  parameters: { viewport: { width: 1100 } },
  play: async ({ canvasElement }) => {
    await waitFor(
      () => expect(canvasElement.querySelectorAll('figure.rtb-frame[data-state="ready"]')).toHaveLength(6),
      { timeout: 10_000 },
    );
  },
} satisfies Meta;
export default meta;

export const Light: StoryObj<typeof meta> = {};
export const Dark: StoryObj<typeof meta> = { globals: { theme: 'dark' } };
