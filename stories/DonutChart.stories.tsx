import type { Meta, StoryObj } from '@storybook/react-vite';
import { DonutChart } from 'react-tinybird/charts';
import { expect, within } from 'storybook/test';
import { empty, expectCount, failed, ready } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const meta = {
  title: 'Charts/DonutChart',
  component: DonutChart,
  tags: ['screenshot'],
  args: {
    endpoint: 'top_airlines',
    params: { limit: 5 },
    index: 'airline',
    category: 'bookings',
    title: 'Share of bookings',
    description: 'Top 5 airlines',
  },
} satisfies Meta<typeof DonutChart>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('top_airlines', { limit: 5 });
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-pie-sector', rows.length);
    const total = rows.reduce((sum, r) => sum + r.bookings, 0);
    expect(figure).toHaveTextContent(new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(total));
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving, so the chart moves. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Share of bookings (live)' },
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
    await expectCount(await ready(canvasElement), '.recharts-pie-sector', 5);
  },
};

export const Empty: Story = {
  args: { params: { limit: 0 } },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
