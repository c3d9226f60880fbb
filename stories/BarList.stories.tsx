import type { Meta, StoryObj } from '@storybook/react-vite';
import { BarList } from 'react-tinybird/charts';
import { expect, fn, userEvent, within } from 'storybook/test';
import { empty, ready, retriedAfterTokenFailure } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const meta = {
  title: 'Charts/BarList',
  component: BarList,
  tags: ['screenshot'],
  args: {
    endpoint: 'top_airlines',
    params: { limit: 8 },
    index: 'airline',
    category: 'bookings',
    title: 'Top airlines',
    description: 'Click a row',
    onRowClick: fn(),
  },
} satisfies Meta<typeof BarList>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const rows = await endpointRows('top_airlines', { limit: 8 });
    const figure = await ready(canvasElement);
    const items = within(figure).getAllByRole('listitem');
    expect(items).toHaveLength(rows.length);
    await userEvent.click(within(figure).getByRole('button', { name: new RegExp(rows[1]!.airline) }));
    expect(args.onRowClick).toHaveBeenCalledWith(expect.objectContaining({ airline: rows[1]!.airline }));
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving and the ranking follows. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Top airlines (live)' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
};

export const Loading: Story = { decorators: [withPendingToken], parameters: ownProvider };

export const ErrorThenRetry: Story = {
  decorators: [withFlakyTokenService],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    expect(within(await retriedAfterTokenFailure(canvasElement)).getAllByRole('listitem')).toHaveLength(8);
  },
};

export const Empty: Story = {
  args: { params: { limit: 0 } },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
