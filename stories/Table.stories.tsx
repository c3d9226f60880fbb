import type { Meta, StoryObj } from '@storybook/react-vite';
import { Table } from 'react-tinybird/charts';
import { expect, userEvent, within } from 'storybook/test';
import { empty, ready, retriedAfterTokenFailure } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

const meta = {
  title: 'Charts/Table',
  component: Table,
  tags: ['screenshot'],
  args: {
    endpoint: 'top_airlines',
    params: { limit: 10 },
    title: 'Top airlines',
    description: 'Sortable: click a header',
    height: 320,
  },
} satisfies Meta<typeof Table>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('top_airlines', { limit: 10 });
    const figure = await ready(canvasElement);
    const table = within(figure).getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(rows.length + 1);
    const header = within(table).getByRole('button', { name: /airline/ });
    await userEvent.click(header);
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'descending');
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving, so the chart moves. */
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
    expect(within(await retriedAfterTokenFailure(canvasElement)).getAllByRole('row')).toHaveLength(11);
  },
};

export const Empty: Story = {
  args: { params: { limit: 0 } },
  play: ({ canvasElement }) => empty(canvasElement),
};

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
