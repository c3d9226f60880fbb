import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { useAppend, useEndpoint } from 'react-tinybird';
import { BarChart, Table } from 'react-tinybird/charts';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { booking, type Booking } from './lib/booking';
import { empty, expectCount, ready } from './lib/play';

const meta = { title: 'Hooks' } satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

const panel = { display: 'grid', gap: 16, maxWidth: 980 } as const;
const code = {
  fontSize: 12,
  background: 'var(--rtb-bg, #fff)',
  border: '1px solid #cbd5e1',
  borderRadius: 8,
  padding: 12,
  maxHeight: 260,
  overflow: 'auto',
} as const;

function UseEndpointDemo(): ReactNode {
  const [limit, setLimit] = useState(5);
  const params = { limit };
  const query = useEndpoint<{ airline: string; bookings: number }>('top_airlines', params);
  return (
    <div style={panel}>
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        limit
        <input
          type="number"
          min={0}
          max={20}
          value={limit}
          onChange={(e) => setLimit(Number(e.target.value))}
          aria-label="limit"
        />
        <span data-testid="status">
          {query.status}
          {query.isFetching ? ' (fetching)' : ''}
        </span>
      </label>
      <BarChart
        endpoint="top_airlines"
        params={params}
        index="airline"
        categories={['bookings']}
        title={`useEndpoint('top_airlines', { limit: ${limit} })`}
      />
      <pre style={code} data-testid="rows">
        {JSON.stringify({ data: query.data, meta: query.meta, statistics: query.statistics }, null, 2)}
      </pre>
    </div>
  );
}

/** Edit the params: the hook refetches (react-query key = pipe + params), the chart follows. */
export const UseEndpoint: Story = {
  render: () => <UseEndpointDemo />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expectCount(await ready(canvasElement), '.recharts-bar-rectangle path', 5);
    const input = canvas.getByLabelText('limit');
    await userEvent.clear(input);
    await userEvent.type(input, '3');
    await waitFor(() => expect(JSON.parse(canvas.getByTestId('rows').textContent!).data).toHaveLength(3), {
      timeout: 8_000,
    });
    await expectCount(canvasElement, '.recharts-bar-rectangle path', 3);
  },
};

function UseAppendDemo(): ReactNode {
  // A user of our own, so this story's rows start empty and are the only ones it sees.
  const [user] = useState(() => `u_story_${Math.random().toString(36).slice(2, 10)}`);
  const { append, pending, sent, failed, error } = useAppend<Booking>('events');
  return (
    <div style={panel}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button type="button" onClick={() => append(booking(user))}>
          Book a flight
        </button>
        <button type="button" onClick={() => append(Array.from({ length: 3 }, () => booking(user)))}>
          Book 3 flights
        </button>
        <output data-testid="queue">
          pending {pending} · sent {sent} · failed {failed}
          {error ? ` · ${error.code}: ${error.message}` : ''}
        </output>
      </div>
      <Table
        endpoint="user_bookings"
        params={{ user_id: user }}
        refreshInterval={1_000}
        columns={['timestamp', 'airline', 'origin', 'destination', 'passengers', 'price']}
        title={`user_bookings for ${user}`}
        description="Polls every second; appended rows arrive within a flush interval"
        height={260}
      />
    </div>
  );
}

/** useAppend batches rows to the Events API; the table (polling user_bookings) shows them arrive. */
export const UseAppendLive: Story = {
  render: () => <UseAppendDemo />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await empty(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Book 3 flights' }));
    await waitFor(() => expect(canvas.getByTestId('queue')).toHaveTextContent('sent 3'), { timeout: 10_000 });
    const figure = await ready(canvasElement, 10_000);
    await waitFor(() => expect(within(figure).getAllByRole('row')).toHaveLength(4), { timeout: 10_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Book a flight' }));
    await waitFor(() => expect(within(figure).getAllByRole('row')).toHaveLength(5), { timeout: 10_000 });
    expect(canvas.getByTestId('queue')).toHaveTextContent('failed 0');
  },
};
