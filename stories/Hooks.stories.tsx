import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { TinybirdProvider, useAppend, useEndpoint, useSql } from 'react-tinybird';
import { BarChart, Table } from 'react-tinybird/charts';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { booking } from './lib/booking';
import { empty, expectCount, ready } from './lib/play';
import { auth } from './lib/tinybird';

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
  const query = useEndpoint('top_airlines', params);
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
  const { append, pending, sent, failed, error } = useAppend('events');
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

/** Rows this story's storage key holds in localStorage right now (every page's entry). */
function storedRows(storageKey: string): number {
  let rows = 0;
  for (const key of Object.keys(localStorage))
    if (key.startsWith(`${storageKey}:`))
      rows += (JSON.parse(localStorage.getItem(key)!) as { rows: unknown[] }).rows.length;
  return rows;
}

interface VisitProps {
  user: string;
  visit: number;
  /** Rows in storage right after the previous visit closed. */
  stored: number;
  onClose: (stored: number) => void;
}

function Visit({ user, visit, stored, onClose }: VisitProps): ReactNode {
  const { append, pending, sent } = useAppend('events');
  const arrived = useSql<{ rows: number; ids: number }>(
    `SELECT count() AS rows, uniqExact(booking_id) AS ids FROM events WHERE user_id = '${user}'`,
    { refetchInterval: 1_000 },
  );
  const [next, setNext] = useState(0);
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button
          type="button"
          onClick={() => {
            append(Array.from({ length: 600 }, (_, i) => ({ ...booking(user), booking_id: `${user}-${next + i}` })));
            setNext(next + 600);
          }}
        >
          Book 600 flights
        </button>
        <button
          type="button"
          onClick={() => {
            // What closing the tab does: pagehide sends what fits the keepalive budget and stores the rest.
            window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
            onClose(storedRows(`story:${user}`));
          }}
        >
          Close the page and open it again
        </button>
      </div>
      <output data-testid="visit">
        visit {visit} · pending {pending} · sent by this visit {sent} · stored at the last close {stored}
      </output>
      <output data-testid="arrived">
        on the server: {arrived.data?.[0]?.rows ?? '…'} rows, {arrived.data?.[0]?.ids ?? '…'} distinct
      </output>
    </div>
  );
}

function SurvivesCloseDemo(): ReactNode {
  const [user] = useState(() => `u_story_${Math.random().toString(36).slice(2, 10)}`);
  const [visit, setVisit] = useState(1);
  const [stored, setStored] = useState(0);
  // A new provider per visit, as a new page load would mount; a storage key of its own keeps other stories' rows apart.
  return (
    <div style={panel}>
      <TinybirdProvider key={visit} {...auth()} events={{ storageKey: `story:${user}` }}>
        <Visit
          user={user}
          visit={visit}
          stored={stored}
          onClose={(rows) => {
            setStored(rows);
            setVisit(visit + 1);
          }}
        />
      </TinybirdProvider>
    </div>
  );
}

/**
 * Events survive the page: 600 rows are twice what the browser lets keepalive requests carry at close. The rest is
 * stored in localStorage and sent by the next page that mounts a provider; the server ends with every row, once.
 */
export const UseAppendSurvivesClose: Story = {
  render: () => <SurvivesCloseDemo />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByTestId('arrived')).toHaveTextContent('on the server: 0 rows'), {
      timeout: 10_000,
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Book 600 flights' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Close the page and open it again' }));
    await waitFor(() => expect(canvas.getByTestId('visit')).toHaveTextContent('visit 2'));
    const stored = Number(/stored at the last close (\d+)/.exec(canvas.getByTestId('visit').textContent!)![1]);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(600);
    await waitFor(
      () => expect(canvas.getByTestId('arrived')).toHaveTextContent('on the server: 600 rows, 600 distinct'),
      {
        timeout: 15_000,
      },
    );
    expect(canvas.getByTestId('visit')).toHaveTextContent(`sent by this visit ${stored}`);
  },
};
