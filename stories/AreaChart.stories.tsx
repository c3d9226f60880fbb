import type { Meta, StoryObj } from '@storybook/react-vite';
import { AreaChart } from 'react-tinybird/charts';
import { expect, within } from 'storybook/test';
import { empty, expectCount, expectNoHiddenHeight, ready, retriedAfterTokenFailure } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const euros = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', notation: 'compact' });

const meta = {
  title: 'Charts/AreaChart',
  component: AreaChart,
  tags: ['screenshot'],
  args: {
    endpoint: 'bookings_per_hour',
    index: 'hour',
    categories: ['revenue'],
    valueFormatter: (v: number) => euros.format(v),
    title: 'Revenue per hour',
    description: 'bookings_per_hour, last 24 hours',
  },
} satisfies Meta<typeof AreaChart>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('bookings_per_hour');
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-area', 1);
    expect(figure.querySelectorAll('.rtb-sr-only table tbody tr')).toHaveLength(rows.length);
    expectNoHiddenHeight(figure);
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving, so the last hour grows. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Revenue per hour (live)' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
};

/** Without `categories` every numeric column is a series; `stacked` adds them up. */
export const Stacked: Story = {
  parameters: ownProvider,
  args: {
    endpoint: undefined,
    categories: undefined,
    valueFormatter: undefined,
    stacked: true,
    title: 'Passengers by cabin per day',
    description: 'Static rows',
    index: 'day',
    meta: [
      { name: 'day', type: 'Date' },
      { name: 'economy', type: 'UInt64' },
      { name: 'premium', type: 'UInt64' },
      { name: 'business', type: 'UInt64' },
    ],
    data: Array.from({ length: 14 }, (_, i) => ({
      day: `2026-11-${String(i + 1).padStart(2, '0')}`,
      economy: 900 + Math.round(300 * Math.sin(i / 2)),
      premium: 260 + ((i * 37) % 90),
      business: 140 + ((i * 23) % 60),
    })),
  },
  play: async ({ canvasElement }) => {
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-area', 3);
    expect(
      within(figure)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['economy', 'premium', 'business']);
  },
};

export const Loading: Story = { decorators: [withPendingToken], parameters: ownProvider };

export const ErrorThenRetry: Story = {
  decorators: [withFlakyTokenService],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    await expectCount(await retriedAfterTokenFailure(canvasElement), '.recharts-area', 1);
  },
};

export const Empty: Story = {
  // An airline nobody flies: empty whatever else the shared test server has been sent.
  args: { params: { airline: 'No Such Air' } },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
