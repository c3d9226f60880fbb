import type { Meta, StoryObj } from '@storybook/react-vite';
import { Metric } from 'react-tinybird/charts';
import { expect, within } from 'storybook/test';
import { ready } from './lib/play';
import { ownProvider, withPendingToken } from './lib/states';
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
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const [kpis] = await endpointRows<{ bookings: number }>('kpis', { days: 7 });
    const figure = await ready(canvasElement);
    expect(within(figure).getByTestId('rtb-metric-value')).toHaveTextContent(
      new Intl.NumberFormat().format(kpis!.bookings),
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

export const Loading: Story = { decorators: [withPendingToken], parameters: ownProvider };

export const Dark: Story = { globals: { theme: 'dark' }, play: Default.play };
