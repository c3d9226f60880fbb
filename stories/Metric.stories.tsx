import type { Meta, StoryObj } from '@storybook/react-vite';
import { Metric } from 'react-tinybird/charts';
import { expect, waitFor, within } from 'storybook/test';
import { empty, ready, retriedAfterTokenFailure } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const meta = {
  title: 'Charts/Metric',
  component: Metric,
  tags: ['screenshot'],
  args: {
    endpoint: 'kpis',
    params: { days: 7 },
    title: 'Bookings',
    category: 'bookings',
    deltaCategory: 'bookings_delta',
    label: 'last 7 days, vs the 7 before',
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 320 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Metric>;

export default meta;

const kpisBookings = async () => (await endpointRows('kpis', { days: 7 }))[0]!.bookings;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const figure = await ready(canvasElement);
    // The count moves while bookings arrive and old ones leave the 7-day window: compare with the endpoint's answer
    // fetched just before and just after reading the drawn number.
    await waitFor(
      async () => {
        const before = await kpisBookings();
        const shown = within(figure).getByTestId('rtb-metric-value').textContent;
        const after = await kpisBookings();
        expect([before, after].map((n) => new Intl.NumberFormat().format(n))).toContain(shown);
      },
      { timeout: 8_000 },
    );
    expect(figure.querySelector('.rtb-delta')).not.toBeNull();
  },
};

/** A delta from a previous-period column, coloured by whether the change is good news. */
export const WithDelta: Story = {
  parameters: ownProvider,
  args: {
    endpoint: undefined,
    params: undefined,
    deltaCategory: undefined,
    title: 'p99 latency',
    category: 'p99_ms',
    previousCategory: 'p99_prev_ms',
    lowerIsBetter: true,
    label: 'ms, vs last week',
    data: [{ p99_ms: 41, p99_prev_ms: 48 }],
  },
  play: async ({ canvasElement }) => {
    const figure = await ready(canvasElement);
    expect(figure.querySelector('.rtb-delta')).toHaveAttribute('data-trend', 'good');
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving, so the number moves. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Bookings (live)' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
};

export const Loading: Story = { decorators: [withPendingToken], parameters: ownProvider };

export const ErrorThenRetry: Story = {
  decorators: [withFlakyTokenService],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    await retriedAfterTokenFailure(canvasElement);
  },
};

/** A value column with no row behind it: the bookings of an airline nobody flies. */
export const Empty: Story = {
  args: {
    endpoint: 'bookings_per_hour',
    params: { airline: 'No Such Air' },
    deltaCategory: undefined,
    label: 'No Such Air, last 24 hours',
  },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
