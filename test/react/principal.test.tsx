// Row-level security in the browser cache: one QueryClient shared by users whose tokens pin other rows (fixed_params),
// against the real local server and the demo token route. Each user here has bookings of their own, appended first.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { act, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { QueryClient, QueryClientProvider, keepPreviousData } from '@tanstack/react-query';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TinybirdProvider, useEndpoint, useTinybirdToken } from '../../src/index';
import type { TinybirdProviderProps } from '../../src/index';

const tb = inject('tinybird');
const run = Math.random().toString(36).slice(2, 8);
const alice = `alice_${run}`;
const bob = `bob_${run}`;

type Booking = { booking_id: string };

/** Each user's booking ids start with the user: a row on screen says whose it is. */
async function addBookings(user: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    booking_id: `${user}-${i}`,
    user_id: user,
    airline: 'AA',
    origin: 'JFK',
    destination: 'LAX',
    price: 100 + i,
  }));
  const response = await fetch(`${tb.url}/v0/events?name=events&wait=true`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tb.adminToken}` },
    body: rows.map((row) => JSON.stringify(row)).join('\n'),
  });
  expect(response.status).toBe(200);
}

/** The demo token route signs for `?user=`: this is a user's own token route, as their session would pick it. */
const tokenUrlOf = (user: string) => `${tb.tokenUrl}?user=${user}`;
const tokenOf = async (user: string) => (await (await fetch(tokenUrlOf(user))).json()) as { token: string };

beforeAll(async () => {
  await addBookings(alice, 3);
  await addBookings(bob, 2);
});

/** What a component rendered, and for whom (the user the provider's token was signed for at that render). */
type Seen = { tokenUser: string | undefined; rowsOf: string[] };

function Bookings({ seen, testId, keepPrevious = false }: { seen: Seen[]; testId: string; keepPrevious?: boolean }) {
  const { claims } = useTinybirdToken();
  const scopes = (claims?.scopes ?? []) as { fixed_params?: { user_id?: string } }[];
  const tokenUser = scopes.find((scope) => scope.fixed_params)?.fixed_params?.user_id;
  const { data } = useEndpoint<Booking>(
    'user_bookings',
    { limit: 10 },
    keepPrevious ? { placeholderData: keepPreviousData } : {},
  );
  const rowsOf = [...new Set((data ?? []).map((row) => row.booking_id.split('-')[0]!))];
  seen.push({ tokenUser, rowsOf });
  return <p data-testid={testId}>{data ? data.map((row) => row.booking_id).join(',') : 'loading'}</p>;
}

/** The app's own QueryClient, as most apps have one, with a staleTime that keeps rows cached for a minute. */
const appQueryClient = () => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } });

/** Every render where the token belonged to one user must show only that user's rows (or none yet). */
function expectOnlyOwnRows(seen: Seen[]): void {
  for (const { tokenUser, rowsOf } of seen) {
    if (tokenUser) expect(rowsOf.filter((owner) => owner !== tokenUser)).toEqual([]);
    else expect(rowsOf).toEqual([]); // no token yet: no principal, so no rows at all
  }
}

describe('one QueryClient, several users', () => {
  it('two providers side by side, same pipe and params: each renders its own user’s rows', async () => {
    const seen: Seen[] = [];
    render(
      <QueryClientProvider client={appQueryClient()}>
        <TinybirdProvider getToken={() => tokenOf(alice)}>
          <Bookings seen={seen} testId="alice" />
        </TinybirdProvider>
        <TinybirdProvider getToken={() => tokenOf(bob)}>
          <Bookings seen={seen} testId="bob" />
        </TinybirdProvider>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('alice').textContent).toMatch(/^alice/), { timeout: 15_000 });
    await waitFor(() => expect(screen.getByTestId('bob').textContent).toMatch(/^bob/), { timeout: 15_000 });
    expect(screen.getByTestId('alice').textContent!.split(',')).toHaveLength(3);
    expect(screen.getByTestId('bob').textContent!.split(',')).toHaveLength(2);
    expectOnlyOwnRows(seen);
  });

  it('sign-out, sign-in as another user, provider remounted with a key, same tokenUrl: never the previous rows', async () => {
    // A token route with a session: the same URL answers for whoever is signed in.
    let session = alice;
    const route = createServer((_request, response) => {
      void fetch(tokenUrlOf(session)).then(async (signed) => {
        response.writeHead(signed.status, { 'content-type': 'application/json' }).end(await signed.text());
      });
    });
    await new Promise<void>((done) => route.listen(0, '127.0.0.1', done));
    const tokenUrl = `http://127.0.0.1:${(route.address() as AddressInfo).port}/api/tinybird-token`;
    try {
      const seen: Seen[] = [];
      const queryClient = appQueryClient();
      const app = (user: string) => (
        <QueryClientProvider client={queryClient}>
          <TinybirdProvider key={user} tokenUrl={tokenUrl}>
            <Bookings seen={seen} testId="me" />
          </TinybirdProvider>
        </QueryClientProvider>
      );
      const { rerender } = render(app(alice));
      await waitFor(() => expect(screen.getByTestId('me').textContent).toMatch(/^alice/), { timeout: 15_000 });
      session = bob;
      rerender(app(bob));
      await waitFor(() => expect(screen.getByTestId('me').textContent).toMatch(/^bob/), { timeout: 15_000 });
      expectOnlyOwnRows(seen);
      expect(seen.some(({ tokenUser }) => tokenUser === bob)).toBe(true);
    } finally {
      route.close();
      route.closeAllConnections();
    }
  });

  it('refresh() to another principal inside one provider moves its queries, even with keepPreviousData', async () => {
    let user = alice;
    const seen: Seen[] = [];
    const handle: { refresh?: () => Promise<string> } = {};
    function RefreshHandle() {
      const { refresh } = useTinybirdToken();
      useEffect(() => void (handle.refresh = refresh), [refresh]);
      return null;
    }
    render(
      <QueryClientProvider client={appQueryClient()}>
        <TinybirdProvider getToken={() => tokenOf(user)}>
          <RefreshHandle />
          <Bookings seen={seen} testId="me" keepPrevious />
        </TinybirdProvider>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('me').textContent).toMatch(/^alice/), { timeout: 15_000 });
    user = bob;
    await act(() => handle.refresh!());
    await waitFor(() => expect(screen.getByTestId('me').textContent).toMatch(/^bob/), { timeout: 15_000 });
    expectOnlyOwnRows(seen);
    // The placeholder was not carried across: between alice's rows and bob's, the widget showed none.
    const firstBob = seen.findIndex(({ tokenUser }) => tokenUser === bob);
    expect(seen[firstBob]!.rowsOf).toEqual([]);
  });

  it('a refresh that keeps the principal keeps the cache: no loading state, no second key, same rows object', async () => {
    const queryClient = appQueryClient();
    const states: string[] = [];
    const probe: { refresh?: () => Promise<string>; rows?: unknown } = {};
    function Widget() {
      const { refresh } = useTinybirdToken();
      const { status, data } = useEndpoint<Booking>('user_bookings', { limit: 10 });
      states.push(status);
      useEffect(() => void Object.assign(probe, { refresh, rows: data }));
      return null;
    }
    render(
      <QueryClientProvider client={queryClient}>
        <TinybirdProvider getToken={() => tokenOf(alice)}>
          <Widget />
        </TinybirdProvider>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(states.at(-1)).toBe('success'), { timeout: 15_000 });
    const before = probe.rows;
    const keys = () => queryClient.getQueryCache().findAll({ queryKey: ['tinybird'] }).length;
    const keysBefore = keys();
    const rendersBefore = states.length;
    await act(() => probe.refresh!());
    expect(states.slice(rendersBefore)).not.toContain('pending');
    expect(probe.rows).toBe(before);
    expect(keys()).toBe(keysBefore);
  });
});

describe('a page heals after a short outage of the token route', () => {
  it('a widget that does not poll shows its data by itself once the route is back; token requests stay bounded', async () => {
    let requests = 0;
    const failures = 3; // one whole round of attempts fails
    const route = createServer((_request, response) => {
      if (++requests <= failures) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"deploying"}');
        return;
      }
      void fetch(tb.tokenUrl).then(async (signed) => {
        response.writeHead(signed.status, { 'content-type': 'application/json' }).end(await signed.text());
      });
    });
    await new Promise<void>((done) => route.listen(0, '127.0.0.1', done));
    const tokenUrl = `http://127.0.0.1:${(route.address() as AddressInfo).port}/api/tinybird-token`;
    const codes: (string | undefined)[] = [];
    function Widget() {
      const { data, error } = useEndpoint<{ airline: string }>('top_airlines', { limit: 2 });
      codes.push(error?.code);
      return <p data-testid="widget">{data ? data.map((row) => row.airline).join(',') : (error?.code ?? '…')}</p>;
    }
    try {
      const props: TinybirdProviderProps = { tokenUrl, queryClient: appQueryClient() };
      render(
        <TinybirdProvider {...props}>
          <Widget />
        </TinybirdProvider>,
      );
      await waitFor(() => expect(screen.getByTestId('widget').textContent).toBe('TOKEN_FETCH_FAILED'), {
        timeout: 15_000,
      });
      // No click, no refetchInterval: the token source retries after its cooldown and the widget refetches.
      await waitFor(() => expect(screen.getByTestId('widget').textContent).toMatch(/^\w+,\w+$/), { timeout: 15_000 });
      expect(codes).toContain('TOKEN_FETCH_FAILED');
      expect(requests).toBeLessThanOrEqual(failures + 2);
    } finally {
      route.close();
      route.closeAllConnections();
    }
  });

  it('a widget whose token expired while the route was down refetches by itself once a token is back', async () => {
    // Five-second tokens; the route goes down, the token expires, the widget's next fetch fails for want of one and
    // keeps its key (the principal is kept: the next token is most likely the same user's). The token source retries
    // after its cooldown, and the provider refetches the failed query once a token is back.
    let failing = false;
    let requests = 0;
    const route = createServer((_request, response) => {
      requests++;
      if (failing) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"deploying"}');
        return;
      }
      void fetch(`${tokenUrlOf(alice)}&ttl=5`).then(async (signed) => {
        response.writeHead(signed.status, { 'content-type': 'application/json' }).end(await signed.text());
      });
    });
    await new Promise<void>((done) => route.listen(0, '127.0.0.1', done));
    const tokenUrl = `http://127.0.0.1:${(route.address() as AddressInfo).port}/api/tinybird-token`;
    const probe: { refetch?: () => Promise<unknown>; tokenStatus?: string } = {};
    function Widget() {
      const tokenStatus = useTinybirdToken().status;
      const { data, error, refetch } = useEndpoint<Booking>('user_bookings', { limit: 10 });
      useEffect(() => void Object.assign(probe, { tokenStatus, refetch }));
      return <p data-testid="widget">{error ? error.code : data ? `${data.length} rows` : '…'}</p>;
    }
    try {
      render(
        <TinybirdProvider tokenUrl={tokenUrl} queryClient={appQueryClient()}>
          <Widget />
        </TinybirdProvider>,
      );
      await waitFor(() => expect(screen.getByTestId('widget').textContent).toBe('3 rows'), { timeout: 15_000 });
      failing = true;
      await waitFor(() => expect(probe.tokenStatus).toBe('error'), { timeout: 15_000 });
      await act(async () => {
        await probe.refetch!(); // what a poll or a focus refetch does meanwhile: it fails for want of a token
      });
      await waitFor(() => expect(screen.getByTestId('widget').textContent).toBe('TOKEN_FETCH_FAILED'));
      const whileDown = requests;
      failing = false;
      await waitFor(() => expect(screen.getByTestId('widget').textContent).toBe('3 rows'), { timeout: 15_000 });
      expect(requests - whileDown).toBeLessThanOrEqual(2);
    } finally {
      route.close();
      route.closeAllConnections();
    }
  }, 40_000);
});
