import { Profiler } from 'react';
import type { ReactNode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, inject, it } from 'vitest';
import { TinybirdProvider, useEndpoint, useSql } from '../../src/index';

// Polling widgets against the real local server. Every response carries a new statistics.elapsed, so this fails as
// soon as anything the hooks hand to react-query for `data` changes with the response rather than with the rows.
const tb = inject('tinybird');
const POLL_MS = 50;

async function appendBooking(user: string, price: number): Promise<void> {
  const row = {
    timestamp: '2024-06-01 10:00:00',
    user_id: user,
    airline: 'AA',
    origin: 'MAD',
    destination: 'JFK',
    price,
  };
  const response = await fetch(`${tb.url}/v0/events?name=events&wait=true`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tb.adminToken}`, 'Content-Type': 'application/x-ndjson' },
    body: JSON.stringify(row),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

type Booking = { booking_id: string; price: number };

/** Commits per widget, counted by a Profiler around each. */
const commits = new Map<string, number>();
function Counted({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Profiler id={id} onRender={() => commits.set(id, (commits.get(id) ?? 0) + 1)}>
      {children}
    </Profiler>
  );
}

/** Reads only `data`, as a chart body does. */
function Bookings({ id }: { id: string }) {
  const { data } = useEndpoint<Booking>('user_bookings', {}, { refetchInterval: POLL_MS });
  return <p data-testid={id}>{data ? `${data.length} bookings` : 'loading'}</p>;
}

/** The same through useSql. */
function Count({ user }: { user: string }) {
  const { data } = useSql<{ n: number }>(`SELECT count() AS n FROM events WHERE user_id = '${user}'`, {
    refetchInterval: POLL_MS,
  });
  return <p data-testid="sql">{data ? `${data[0]!.n} rows` : 'loading'}</p>;
}

/** Reads `statistics`: the documented trade-off is that this one follows every response. */
function Latency() {
  const { statistics } = useEndpoint<Booking>('user_bookings', {}, { refetchInterval: POLL_MS });
  return <p data-testid="latency">{statistics ? `${statistics.rows_read} rows read` : 'loading'}</p>;
}

const unique = (name: string) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

describe('renders while polling', () => {
  it('a widget reading only data re-renders when its rows change, not on every poll with equal rows', async () => {
    const still = unique('still');
    const moving = unique('moving');
    await appendBooking(still, 100);
    await appendBooking(still, 200);
    await appendBooking(moving, 300);

    // One provider per user: the token route pins user_bookings (and SQL reads of events) to `?user=`.
    const stillClient = new QueryClient();
    const { unmount } = render(
      <>
        <TinybirdProvider tokenUrl={`${tb.tokenUrl}?user=${still}`} queryClient={stillClient}>
          <Counted id="still">
            <Bookings id="still" />
          </Counted>
          <Counted id="sql">
            <Count user={still} />
          </Counted>
          <Counted id="latency">
            <Latency />
          </Counted>
        </TinybirdProvider>
        <TinybirdProvider tokenUrl={`${tb.tokenUrl}?user=${moving}`} queryClient={new QueryClient()}>
          <Counted id="moving">
            <Bookings id="moving" />
          </Counted>
        </TinybirdProvider>
      </>,
    );
    try {
      await waitFor(
        () => {
          expect(screen.getByTestId('still')).toHaveTextContent('2 bookings');
          expect(screen.getByTestId('sql')).toHaveTextContent('2 rows');
          expect(screen.getByTestId('latency')).toHaveTextContent(/\d+ rows read/);
          expect(screen.getByTestId('moving')).toHaveTextContent('1 bookings');
        },
        { timeout: 15_000 },
      );
      const loaded = new Map(commits);
      const fetches = () =>
        Math.min(
          ...stillClient
            .getQueryCache()
            .getAll()
            .map((query) => query.state.dataUpdateCount),
        );
      const fetchesAtLoad = fetches();

      // Three changes for `moving`, each seen by its widget, while `still` keeps polling the same rows.
      for (let n = 2; n <= 4; n += 1) {
        await appendBooking(moving, 300 + n);
        await waitFor(() => expect(screen.getByTestId('moving')).toHaveTextContent(`${n} bookings`), {
          timeout: 15_000,
        });
      }
      await waitFor(() => expect(fetches()).toBeGreaterThanOrEqual(fetchesAtLoad + 5), { timeout: 15_000 });

      expect(commits.get('moving')! - loaded.get('moving')!).toBeGreaterThanOrEqual(3);
      expect({ still: commits.get('still'), sql: commits.get('sql') }).toEqual({
        still: loaded.get('still'),
        sql: loaded.get('sql'),
      });
      // Reading statistics subscribes to each new response, equal rows or not.
      expect(commits.get('latency')! - loaded.get('latency')!).toBeGreaterThanOrEqual(3);
    } finally {
      unmount();
    }
  });
});
