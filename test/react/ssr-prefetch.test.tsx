// Server-side prefetch (Next.js App Router style): a server component signs a token, prefetches with
// endpointQueryOptions and dehydrates; the browser hydrates and shows the rows at once, with no token or query request.
import { render, screen } from '@testing-library/react';
import { HydrationBoundary, QueryClient, QueryClientProvider, dehydrate } from '@tanstack/react-query';
import { expect, inject, it } from 'vitest';
import { TinybirdProvider, createTinybirdClient, endpointQueryOptions, useEndpoint } from '../../src/index';

const tb = inject('tinybird');
type Airline = { airline: string; bookings: number };

function TopAirlines() {
  const { data, isPending } = useEndpoint<Airline>('top_airlines', { limit: 3 });
  return isPending ? (
    <p>loading</p>
  ) : (
    <ol>
      {data?.map((row) => (
        <li key={row.airline}>{row.airline}</li>
      ))}
    </ol>
  );
}

it('rows prefetched on the server render on the first browser render, without a request', async () => {
  // On the server: a token signed there (the demo route signs like createTokenHandler), a client holding it, a prefetch.
  const { token } = (await (await fetch(tb.tokenUrl)).json()) as { token: string };
  const server = createTinybirdClient({ token, baseUrl: tb.url });
  const serverCache = new QueryClient();
  await serverCache.prefetchQuery(endpointQueryOptions(server, 'top_airlines', { limit: 3 }));
  server.dispose();
  // What crosses to the browser is JSON: never the token (the key holds the base URL, the pipe and its params).
  const state = JSON.parse(JSON.stringify(dehydrate(serverCache))) as ReturnType<typeof dehydrate>;
  expect(JSON.stringify(state)).not.toContain(token);
  const expected = (state.queries[0]!.state.data as { data: Airline[] }).data.map((row) => row.airline);
  expect(expected).toHaveLength(3);

  // In the browser: the same baseUrl on both sides gives the same query key, so the hydrated rows are used as they are.
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(String(input));
    return fetch(input, init);
  };
  const browserCache = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } });
  render(
    <QueryClientProvider client={browserCache}>
      <HydrationBoundary state={state}>
        <TinybirdProvider tokenUrl={tb.tokenUrl} baseUrl={tb.url} initialToken={token} fetch={counting}>
          <TopAirlines />
        </TinybirdProvider>
      </HydrationBoundary>
    </QueryClientProvider>,
  );
  expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(expected);
  // render() has run the effects: the query is observed and react-query has decided whether to fetch. A fetch would
  // show as fetchStatus 'fetching' from that moment on, before any request reaches fetch.
  const [query] = browserCache.getQueryCache().getAll();
  expect(query!.getObserversCount()).toBe(1);
  expect(query!.state.fetchStatus).toBe('idle');
  expect(requests).toEqual([]);
});
