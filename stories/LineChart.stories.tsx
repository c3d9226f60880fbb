import type { Meta, StoryObj } from '@storybook/react-vite';
import { LineChart } from 'react-tinybird/charts';
import { expect, waitFor, within } from 'storybook/test';
import { empty, expectCount, expectNoHiddenHeight, failed, ready } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const meta = {
  title: 'Charts/LineChart',
  component: LineChart,
  tags: ['screenshot'],
  args: {
    endpoint: 'bookings_per_hour',
    index: 'hour',
    categories: ['bookings'],
    title: 'Bookings per hour',
    description: 'bookings_per_hour, last 24 hours of data',
  },
} satisfies Meta<typeof LineChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A DateTime index: time axis, ticks on round hours; a dot per point while the series is short. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('bookings_per_hour');
    expect(rows.length).toBeGreaterThan(1);
    const figure = await ready(canvasElement);
    expect(figure.querySelectorAll('.rtb-sr-only table tbody tr')).toHaveLength(rows.length);
    expectNoHiddenHeight(figure);
    if (rows.length <= 48) await expectCount(figure, '.recharts-line-dots circle, .recharts-line-dot', rows.length);
    const ticks = () =>
      [...figure.querySelectorAll('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')].map(
        (t) => t.textContent ?? '',
      );
    await waitFor(() => expect(ticks().length).toBeGreaterThan(1));
    // Readable times, never raw epoch numbers.
    for (const t of ticks()) expect(t).not.toMatch(/^\d{6,}$/);
  },
};

/** Polls every 2 s: with `npm run playground` events keep arriving, so the line moves. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Bookings per hour (live)' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
};

export const Loading: Story = { decorators: [withPendingToken], parameters: ownProvider };

export const ErrorThenRetry: Story = {
  decorators: [withFlakyTokenService],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    within(await failed(canvasElement))
      .getByRole('button', { name: 'Retry' })
      .click();
    await ready(canvasElement);
  },
};

export const Empty: Story = {
  // An airline nobody flies: empty whatever else the shared test server has been sent.
  args: { params: { airline: 'No Such Air' } },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
