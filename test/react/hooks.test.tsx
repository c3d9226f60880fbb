import { StrictMode } from 'react';
import type { ReactNode } from 'react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider, keepPreviousData } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TinybirdProvider,
  createTinybirdClient,
  useAppend,
  useEndpoint,
  useSql,
  useTinybird,
  useTinybirdToken,
} from '../../src/index';
import type { TinybirdClient, TinybirdProviderProps } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  await server.close();
});

/** A fresh provider (and QueryClient) per test, pointed at the fixture. */
function wrapperFor(props: Partial<TinybirdProviderProps> = {}) {
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TinybirdProvider tokenUrl={server.tokenUrl} baseUrl={server.url} queryClient={queryClient} {...props}>
      {children}
    </TinybirdProvider>
  );
  return { wrapper, queryClient };
}

type Echo = { airline: string; bookings: number; params: Record<string, string> };

describe('useEndpoint', () => {
  it('50 mounted hooks make exactly one token request', async () => {
    const { wrapper } = wrapperFor();
    function Widget({ i }: { i: number }) {
      const { data } = useEndpoint<Echo>('top_airlines', { limit: i });
      return <li>{data ? `w${data[0]!.params.limit}` : 'loading'}</li>;
    }
    render(
      <ul>
        {Array.from({ length: 50 }, (_, i) => (
          <Widget key={i} i={i} />
        ))}
      </ul>,
      { wrapper },
    );
    await waitFor(() => expect(screen.queryAllByText(/^w\d+$/)).toHaveLength(50), { timeout: 15_000 });
    expect(server.counts.token).toBe(1);
    expect(server.counts.pipe).toBe(50);
    expect(server.requests.every((r) => r.valid)).toBe(true);
  }, 30_000); // 50 widgets rendered in jsdom: slow on a loaded 2-core machine, whatever the library does

  it('returns rows as data, with meta and statistics; the key never holds the token', async () => {
    const { wrapper, queryClient } = wrapperFor();
    const { result } = renderHook(() => useEndpoint<Echo>('top_airlines', { limit: 3 }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toEqual([expect.objectContaining({ airline: 'AA', bookings: 3 })]);
    expect(result.current.meta).toEqual([
      { name: 'airline', type: 'String' },
      { name: 'bookings', type: 'UInt64' },
    ]);
    expect(result.current.statistics).toMatchObject({ rows_read: 10 });
    expect({ ...result.current }).toMatchObject({ meta: expect.any(Array), statistics: expect.any(Object) });
    const keys = JSON.stringify(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.queryKey),
    );
    // The last element is the principal: whose rows these are (a hash of the token's workspace and scopes).
    const principal = queryClient.getQueryCache().getAll()[0]!.queryKey.at(-1);
    expect(principal).toMatch(/^j:[0-9a-z]+$/);
    expect(keys).toBe(JSON.stringify([['tinybird', server.url, 'pipe', 'top_airlines', { limit: 3 }, principal]]));
    expect(keys).not.toContain('eyJ'); // every JWT starts with eyJ
  });

  it('passes react-query options through: select, enabled, placeholderData', async () => {
    const { wrapper } = wrapperFor();
    const { result, rerender } = renderHook(
      ({ limit, enabled }) =>
        useEndpoint<Echo, string, string>(
          'top_airlines',
          { limit },
          { enabled, select: (rows) => rows[0]!.params.limit!, placeholderData: keepPreviousData },
        ),
      { wrapper, initialProps: { limit: 1, enabled: false } },
    );
    expect(result.current.fetchStatus).toBe('idle');
    expect(server.counts.pipe).toBe(0);
    rerender({ limit: 1, enabled: true });
    await waitFor(() => expect(result.current.data).toBe('1'));
    rerender({ limit: 2, enabled: true });
    expect(result.current.data).toBe('1'); // previous data kept while the next loads
    expect(result.current.isPlaceholderData).toBe(true);
    // meta and statistics describe the response being shown, the placeholder's too.
    expect(result.current.meta).toEqual([
      { name: 'airline', type: 'String' },
      { name: 'bookings', type: 'UInt64' },
    ]);
    expect(result.current.statistics).toMatchObject({ rows_read: 10 });
    await waitFor(() => expect(result.current.data).toBe('2'));
    expect(result.current.meta).toHaveLength(2);
  });

  it('surfaces TinybirdError codes without react-query retrying what the client already retried', async () => {
    const { wrapper } = wrapperFor();
    const { result } = renderHook(() => useEndpoint('missing'), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toMatchObject({ code: 'NOT_FOUND', serverMessage: "Pipe 'missing' not found" });
    expect(server.counts.pipe).toBe(1);
  });

  it('throws a helpful error without a provider', () => {
    expect(() => renderHook(() => useEndpoint('top_airlines'))).toThrow(/inside <TinybirdProvider>/);
    expect(() => renderHook(() => useTinybird())).toThrow(/Wrap your tree/);
  });
});

describe('TinybirdProvider', () => {
  it('is StrictMode safe: one token request, data arrives, refresh armed', async () => {
    let client: TinybirdClient | undefined;
    function Probe() {
      client = useTinybird();
      const { data } = useEndpoint<Echo>('top_airlines');
      return <p>{data ? 'done' : 'loading'}</p>;
    }
    const { wrapper } = wrapperFor();
    render(
      <StrictMode>
        <Probe />
      </StrictMode>,
      { wrapper },
    );
    await screen.findByText('done');
    expect(server.counts.token).toBe(1);
    await waitFor(() => expect(client!.tokens.getState().refreshAt).not.toBeNull());
  });

  it('disposes its timers on unmount', async () => {
    let client: TinybirdClient | undefined;
    function Probe() {
      client = useTinybird();
      const { append } = useAppend('events');
      const { data } = useEndpoint<Echo>('top_airlines');
      return <button onClick={() => append({ id: 1 })}>{data ? 'done' : 'loading'}</button>;
    }
    const { wrapper } = wrapperFor({ events: { flushInterval: 60_000 } });
    const { unmount } = render(<Probe />, { wrapper });
    await screen.findByText('done');
    act(() => screen.getByRole('button').click());
    expect(client!.tokens.getState().refreshAt).not.toBeNull();
    unmount();
    expect(client!.tokens.getState().refreshAt).toBeNull();
    // Dispose made one best-effort send of the queued row rather than leaving a timer behind.
    await waitFor(() => expect(server.rows.get('events')).toHaveLength(1));
  });

  it('uses the ambient QueryClientProvider when no queryClient prop is given, else its own', async () => {
    const ambient = new QueryClient();
    const { result } = renderHook(() => useEndpoint<Echo>('top_airlines'), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={ambient}>
          <TinybirdProvider tokenUrl={server.tokenUrl} baseUrl={server.url}>
            {children}
          </TinybirdProvider>
        </QueryClientProvider>
      ),
    });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    // One query, once the stand-in that waited for the first token has left the cache.
    await waitFor(() => expect(ambient.getQueryCache().getAll()).toHaveLength(1));

    const own = renderHook(() => useEndpoint<Echo>('top_airlines'), {
      wrapper: ({ children }) => (
        <TinybirdProvider tokenUrl={server.tokenUrl} baseUrl={server.url}>
          {children}
        </TinybirdProvider>
      ),
    });
    await waitFor(() => expect(own.result.current.isSuccess).toBe(true));
  });

  it('calls the latest inline getToken and sends no request before the first token', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    // A new inline getToken per render; the first query (and so the first token call) waits for the second render.
    function App({ n }: { n: number }) {
      return (
        <TinybirdProvider
          baseUrl={server.url}
          getToken={async () => (asked++, await gate, server.sign({ name: `app-${n}` }))}
        >
          <Widget enabled={n > 0} />
        </TinybirdProvider>
      );
    }
    function Widget({ enabled }: { enabled: boolean }) {
      const { data } = useEndpoint<Echo>('top_airlines', {}, { enabled });
      return <p>{data ? 'done' : 'waiting'}</p>;
    }
    const { rerender } = render(<App n={0} />);
    rerender(<App n={1} />);
    // The query is waiting for its token (held by the gate): nothing may have gone to the API yet.
    await waitFor(() => expect(asked).toBe(1));
    expect(server.requests).toHaveLength(0);
    release();
    await screen.findByText('done');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.valid).toBe(true);
    const claims = JSON.parse(
      atob(server.requests[0]!.token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ) as { name: string };
    expect(claims.name).toBe('app-1');
  });

  it('initialToken: the first query goes out with no token round trip', async () => {
    const initialToken = await server.sign();
    const { wrapper } = wrapperFor({ initialToken });
    const { result } = renderHook(() => useEndpoint<Echo>('top_airlines'), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(server.counts.token).toBe(0);
    expect(server.requests[0]!.token).toBe(initialToken);
  });

  it('shares a client made with createTinybirdClient and leaves it undisposed', async () => {
    const client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url });
    const { result, unmount } = renderHook(() => useTinybird(), {
      wrapper: ({ children }) => <TinybirdProvider client={client}>{children}</TinybirdProvider>,
    });
    expect(result.current).toBe(client);
    await client.tokens.getToken();
    unmount();
    expect(client.tokens.getState().refreshAt).not.toBeNull();
    client.dispose();
  });
});

describe('useTinybirdToken', () => {
  it('follows loading -> ready, and refresh() gets a new token', async () => {
    const { wrapper } = wrapperFor();
    const { result } = renderHook(() => ({ token: useTinybirdToken(), query: useEndpoint('top_airlines') }), {
      wrapper,
    });
    expect(result.current.token.status).toBe('loading');
    await waitFor(() => expect(result.current.token.status).toBe('ready'));
    const first = result.current.token.token;
    expect(result.current.token.claims).toMatchObject({ name: 'fixture' });
    await act(() => result.current.token.refresh());
    expect(result.current.token.token).not.toBe(first);
    expect(result.current.token.refreshCount).toBe(1);
  });

  it('shows UNAUTHENTICATED from the token route', async () => {
    server.tokenMode = 'unauthorized';
    const { wrapper } = wrapperFor();
    const { result } = renderHook(() => ({ token: useTinybirdToken(), query: useEndpoint('top_airlines') }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.token.status).toBe('error'));
    expect(result.current.token.error?.code).toBe('UNAUTHENTICATED');
    await waitFor(() => expect(result.current.query.error?.code).toBe('UNAUTHENTICATED'));
    expect(server.counts.pipe).toBe(0);
  });
});

describe('a token route that was down', () => {
  it('polls answer with the failure without asking the route again; refetch() (a Retry button) asks at once', async () => {
    server.tokenMode = 'fail';
    const { wrapper } = wrapperFor();
    // Read in render, as a component showing the query does (react-query re-renders for the fields read).
    const { result } = renderHook(
      () => {
        const { status, error, errorUpdateCount, refetch } = useEndpoint('top_airlines', {}, { refetchInterval: 20 });
        return { status, error, errorUpdateCount, refetch };
      },
      { wrapper },
    );
    await waitFor(() => expect(result.current.error?.code).toBe('TOKEN_FETCH_FAILED'), { timeout: 5_000 });
    const asked = server.counts.token;
    expect(asked).toBe(3);
    // Polling every 20 ms during the cooldown (at least 1 s): many failed polls, not one token request more.
    const failures = result.current.errorUpdateCount;
    await waitFor(() => expect(result.current.errorUpdateCount).toBeGreaterThan(failures + 3));
    expect(server.counts.token).toBe(asked);

    server.tokenMode = 'json';
    await act(() => result.current.refetch());
    expect(server.counts.token).toBe(asked + 1);
    await waitFor(() => expect(result.current.status).toBe('success'));
  });
});

describe('useSql and useAppend', () => {
  it('useSql runs SQL with FORMAT JSON', async () => {
    const { wrapper } = wrapperFor();
    const { result } = renderHook(() => useSql<{ q: string }>('SELECT count() FROM events'), { wrapper });
    await waitFor(() => expect(result.current.data?.[0]?.q).toBe('SELECT count() FROM events FORMAT JSON'));
  });

  it('useAppend queues rows and re-renders with pending and sent', async () => {
    const { wrapper } = wrapperFor({ events: { flushInterval: 60_000 } });
    const { result } = renderHook(() => useAppend<{ id: number }>('events'), { wrapper });
    act(() => result.current.append([{ id: 1 }, { id: 2 }]));
    expect(result.current.pending).toBe(2);
    await act(() => result.current.flush());
    expect(result.current).toMatchObject({ pending: 0, sent: 2, failed: 0, quarantined: 0, error: null });
    expect(server.rows.get('events')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(() => result.current.append({ id: 1n } as unknown as { id: number })).toThrow(/BigInt/);
  });
});
