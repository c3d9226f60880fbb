import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, inject, it } from 'vitest';
import {
  TinybirdProvider,
  createTinybirdClient,
  useAppend,
  useEndpoint,
  useSql,
  useTinybirdToken,
} from '../../src/index';
import type { TinybirdProviderProps } from '../../src/index';

// The hooks against the real local server (chDB) and the demo token route that globalSetup started.
const tb = inject('tinybird');

function wrapperFor(props: Partial<TinybirdProviderProps> = {}) {
  const queryClient = new QueryClient();
  return ({ children }: { children: ReactNode }) => (
    <TinybirdProvider tokenUrl={tb.tokenUrl} queryClient={queryClient} {...props}>
      {children}
    </TinybirdProvider>
  );
}

type Airline = { airline: string; bookings: number; passengers: number; revenue: number };

describe('against the local server', () => {
  it('useEndpoint reads top_airlines through the token route (baseUrl from the route)', async () => {
    const { result } = renderHook(
      () => ({ rows: useEndpoint<Airline>('top_airlines', { limit: 3 }), token: useTinybirdToken() }),
      {
        wrapper: wrapperFor(),
      },
    );
    await waitFor(() => expect(result.current.rows.isSuccess).toBe(true), { timeout: 15_000 });
    const rows = result.current.rows.data!;
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      airline: expect.any(String),
      bookings: expect.any(Number),
      passengers: expect.any(Number),
      revenue: expect.any(Number),
    });
    expect(rows[0]!.bookings).toBeGreaterThanOrEqual(rows[1]!.bookings);
    expect(result.current.rows.meta?.map((c) => c.name)).toEqual(['airline', 'bookings', 'passengers', 'revenue']);
    expect(result.current.rows.statistics?.rows_read).toBeGreaterThan(0);
    expect(result.current.token.baseUrl).toBe(tb.url);
  });

  it('Date params are accepted by DateTime(): a timestamp and a whole UTC day', async () => {
    const client = createTinybirdClient({ tokenUrl: tb.tokenUrl });
    try {
      // Other test files append to events while this runs, so the ranged count is bracketed by two unranged reads
      // (rows are only ever added) instead of compared with one.
      const sum = (rows: Airline[]) => rows.reduce((n, row) => n + row.bookings, 0);
      const before = sum((await client.query<Airline>('top_airlines', { limit: 100 })).data);
      const ranged = await client.query<Airline>('top_airlines', {
        limit: 100,
        start: new Date('2000-01-01T00:00:00Z'),
        end: new Date('2100-01-01T12:30:00Z'),
      });
      const after = sum((await client.query<Airline>('top_airlines', { limit: 100 })).data);
      expect(before).toBeGreaterThan(0);
      expect(sum(ranged.data)).toBeGreaterThanOrEqual(before);
      expect(sum(ranged.data)).toBeLessThanOrEqual(after);
      const empty = await client.query<Airline>('top_airlines', { start: new Date('2100-01-01T00:00:00Z') });
      expect(empty.data).toEqual([]);
    } finally {
      client.dispose();
    }
  });

  it('a wrong parameter is BAD_REQUEST with the server’s message; an unknown pipe NOT_FOUND', async () => {
    const client = createTinybirdClient({ tokenUrl: tb.tokenUrl });
    try {
      await expect(client.query('top_airlines', { limit: 'abc' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        status: 400,
      });
      await expect(client.query('no_such_pipe')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    } finally {
      client.dispose();
    }
  });

  it('useAppend writes into events and useSql reads them back', async () => {
    const user = `u_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const wrapper = wrapperFor({ tokenUrl: `${tb.tokenUrl}?user=${user}` });
    const { result } = renderHook(() => useAppend('events'), { wrapper });
    const rows = Array.from({ length: 250 }, (_, i) => ({
      timestamp: '2024-06-01 10:00:00',
      user_id: user,
      airline: 'AA',
      origin: 'MAD',
      destination: 'JFK',
      passengers: 1 + (i % 3),
      price: 100 + i,
    }));
    act(() => result.current.append(rows));
    await act(() => result.current.flush());
    expect(result.current).toMatchObject({ pending: 0, sent: 250, failed: 0, quarantined: 0, error: null });

    const read = renderHook(
      () =>
        useSql<{ n: number; passengers: number }>(
          `SELECT count() AS n, sum(passengers) AS passengers FROM events WHERE user_id = '${user}'`,
        ),
      { wrapper },
    );
    await waitFor(() => expect(read.result.current.isSuccess).toBe(true), { timeout: 15_000 });
    expect(read.result.current.data).toEqual([{ n: 250, passengers: rows.reduce((n, row) => n + row.passengers, 0) }]);
  });

  it('rows that do not fit the schema are reported as quarantined, not lost', async () => {
    const client = createTinybirdClient({ tokenUrl: tb.tokenUrl });
    try {
      client.events.append('events', [
        { timestamp: 'not a date', user_id: 'q', airline: 'AA', origin: 'A', destination: 'B', price: 'free' },
      ]);
      await client.events.flush('events');
      expect(client.events.stats('events')).toMatchObject({ pending: 0, sent: 1, quarantined: 1, failed: 0 });
    } finally {
      client.dispose();
    }
  });
});
