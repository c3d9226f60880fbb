import type { QueryClient, QueryFilters } from '@tanstack/react-query';
import type { TinybirdClient } from './client';
import type { TinybirdError } from './errors';
import { noop } from './internal/http';
import { onPageEvent } from './internal/lifecycle';
import { principalOfKey } from './principal';

/** Failures that end by themselves: the token route or the API was down, overloaded, or out of reach. */
const TRANSIENT: unknown[] = ['TOKEN_FETCH_FAILED', 'NETWORK', 'SERVER_ERROR', 'RATE_LIMITED'];
/** Probes are 3 s apart during an outage's first minute, then 10 s. */
const FIRST_MINUTE_MS = 60_000;
const PROBE_MS = 3_000;
const PROBE_MAX_MS = 10_000;

/**
 * Heals the client's failed queries that are on screen, polling or not, once what failed them is back: without it a
 * dashboard that does not poll stays on its error after an outage until someone clicks Retry. Only transient failures
 * (TRANSIENT above); any other needs a change to heal.
 *
 * The current principal's failed queries are probed together: one of them is refetched (or, while there is no token
 * because the route failed, the token route is asked), and when that probe succeeds every other one refetches. Probes
 * run 3 s apart during the first minute of an outage (so data is back within 3 s of the cause ending), then 10 s
 * apart, and at once when the page lifecycle says a cause ended (`online`, tab shown) or a token arrives after a
 * failure. A query react-query is already refetching (its own reconnect or focus refetch) is not started twice.
 * Returns the function that stops.
 *
 * Takes the QueryClient as an argument and uses only its public methods, so it stays React-free.
 */
export function healFailedQueries(client: TinybirdClient, queryClient: QueryClient): () => void {
  const { tokens } = client;
  const cache = queryClient.getQueryCache();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** When the outage began (0: none), and whether a probe is running. */
  let since = 0;
  let probing = false;

  /** The failures healing is for: this client's queries on screen, transient, of the current principal. */
  const failing: QueryFilters = {
    queryKey: ['tinybird', client.cacheKey],
    type: 'active',
    predicate: ({ queryKey, state: { error } }) => {
      const { principal } = tokens.getState();
      // Before the first token, the queries waiting for it; after, the current principal's only.
      return (
        (principal === null || principalOfKey(queryKey) === principal) &&
        TRANSIENT.includes((error as TinybirdError | null)?.code)
      );
    },
  };

  const refetch = (filters: QueryFilters) => queryClient.refetchQueries(filters, { cancelRefetch: false });

  const probe = async () => {
    clearTimeout(timer);
    timer = undefined;
    const [first] = cache.findAll(failing);
    if (!first) return void (since = 0);
    if (probing) return;
    probing = true;
    since ||= Date.now();
    const { status, error } = tokens.getState();
    // No token: the route is what to probe, and a token arriving heals everything (see the subscription below).
    if (status === 'error') {
      if (error?.code === 'TOKEN_FETCH_FAILED') await tokens.refresh().catch(noop);
    } else if ((await refetch({ predicate: (query) => query === first }), !first.state.error)) await refetch(failing);
    probing = false;
    timer = setTimeout(() => void probe(), Date.now() - since < FIRST_MINUTE_MS ? PROBE_MS : PROBE_MAX_MS);
  };

  // A failure starts the probes; nothing is scheduled while nothing failed.
  const stopCache = cache.subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error' && !timer && !probing)
      timer = setTimeout(() => void probe(), PROBE_MS);
  });
  let lacked = tokens.getState().error !== null;
  const stopTokens = tokens.subscribe(() => {
    const { error, token } = tokens.getState();
    if (lacked && !error && token) void refetch(failing);
    lacked = error !== null;
  });
  const stopPage = onPageEvent((event) => {
    if (event === 'online' || event === 'visible') void probe();
  });
  return () => {
    clearTimeout(timer);
    stopCache();
    stopTokens();
    stopPage();
  };
}
