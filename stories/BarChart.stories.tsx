import type { Meta, StoryObj } from '@storybook/react-vite';
import { BarChart } from 'react-tinybird/charts';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { empty, expectCount, failed, ready } from './lib/play';
import { ownProvider, withFlakyTokenService, withPendingToken } from './lib/states';
import { endpointRows } from './lib/tinybird';

/** The params of the top_airlines stories. */
const TOP = { limit: 10 };

const meta = {
  title: 'Charts/BarChart',
  component: BarChart,
  tags: ['screenshot'],
  args: {
    endpoint: 'top_airlines',
    params: TOP,
    index: 'airline',
    categories: ['bookings'],
    title: 'Top airlines',
    description: 'Bookings by airline, all time',
  },
} satisfies Meta<typeof BarChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** One bar per row of top_airlines: the play function asks the endpoint itself how many rows there are. */
export const Default: Story = {
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('top_airlines', TOP);
    expect(rows.length).toBeGreaterThan(0);
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-bar-rectangle path', rows.length);
    expect(figure).toHaveAttribute('role', 'figure');
    expect(figure).toHaveAccessibleName('Top airlines');
    // The visually hidden table carries the same rows for screen readers.
    expect(figure.querySelectorAll('.rtb-sr-only table tbody tr')).toHaveLength(rows.length);
    expect(within(figure).getByText(/^Latency /)).toBeInTheDocument();
  },
};

/** Long labels read better on the left. */
export const Horizontal: Story = {
  args: { layout: 'vertical', params: { limit: 6 }, height: 260 },
  play: async ({ canvasElement }) => {
    const rows = await endpointRows('top_airlines', { limit: 6 });
    await expectCount(await ready(canvasElement), '.recharts-bar-rectangle path', rows.length);
  },
};

/** `onRowClick` gets the row behind the clicked band. */
export const Clickable: Story = {
  args: { params: { limit: 5 }, onRowClick: fn() },
  play: async ({ canvasElement, args }) => {
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-bar-rectangle path', 5);
    const rows = await endpointRows('top_airlines', { limit: 5 });
    // A plain click: user-event's hover first makes recharts redraw the bar as a new element before the click lands.
    figure
      .querySelectorAll('.recharts-bar-rectangle path')[1]!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitFor(() =>
      expect(args.onRowClick).toHaveBeenCalledWith(expect.objectContaining({ airline: rows[1]!.airline })),
    );
  },
};

/** Polls every 2 s: with `npm run playground` bookings keep arriving, so the chart moves. */
export const Live: Story = {
  args: { refreshInterval: 2_000, title: 'Top airlines (live)' },
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
  },
};

export const Loading: Story = {
  decorators: [withPendingToken],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    const figure = canvasElement.querySelector('figure.rtb-frame')!;
    expect(figure).toHaveAttribute('aria-busy', 'true');
    expect(figure.querySelectorAll('.rtb-skeleton-block').length).toBeGreaterThan(3);
  },
};

/** The token service is down for a moment: the error names the cause, Retry brings the chart back. */
export const ErrorThenRetry: Story = {
  decorators: [withFlakyTokenService],
  parameters: ownProvider,
  play: async ({ canvasElement }) => {
    const alert = await failed(canvasElement);
    expect(alert).toHaveTextContent(/simulated outage/);
    expect(alert).toHaveTextContent('TOKEN_FETCH_FAILED');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    const rows = await endpointRows('top_airlines', { limit: 10 });
    await expectCount(await ready(canvasElement), '.recharts-bar-rectangle path', rows.length);
  },
};

/** Tinybird's own message for a bad parameter reaches the user. */
export const ErrorBadParameter: Story = {
  args: { params: { limit: 'ten' } },
  play: async ({ canvasElement }) => {
    expect(await failed(canvasElement)).toHaveTextContent('BAD_REQUEST');
  },
};

export const Empty: Story = {
  args: { params: { limit: 0 } },
  play: ({ canvasElement }) => empty(canvasElement),
};

/** Rows you already have: no endpoint, no provider needed. */
export const FromData: Story = {
  parameters: ownProvider,
  args: {
    endpoint: undefined,
    params: undefined,
    title: 'Passengers by cabin',
    description: 'Static rows, two series',
    index: 'month',
    categories: ['economy', 'business'],
    data: [
      { month: 'Jan', economy: 1200, business: 310 },
      { month: 'Feb', economy: 1350, business: 290 },
      { month: 'Mar', economy: 1610, business: 405 },
      { month: 'Apr', economy: 1490, business: 380 },
    ],
  },
  play: async ({ canvasElement }) => {
    const figure = await ready(canvasElement);
    await expectCount(figure, '.recharts-bar-rectangle path', 8);
    // Legend items are buttons: focusable, and they hide their series.
    const business = within(figure).getByRole('button', { name: 'business' });
    business.focus();
    expect(business).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(business).toHaveAttribute('aria-pressed', 'false');
    await expectCount(figure, '.recharts-bar-rectangle path', 4);
  },
};

export const Stacked: Story = {
  ...FromData,
  args: { ...FromData.args, stacked: true, title: 'Passengers by cabin (stacked)' },
  play: async ({ canvasElement }) => {
    await expectCount(await ready(canvasElement), '.recharts-bar-rectangle path', 8);
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  play: Default.play,
};
