import type { QueryFunction, QueryKey } from '@tanstack/react-query';
import type { TinybirdClient } from './client';
import { abortable } from './internal/sleep';
import type { TokenSource } from './token-source';

/** The key and fetcher of one Tinybird read, for react-query. */
export interface TinybirdQueryOptions<Data> {
  queryKey: QueryKey;
  queryFn: QueryFunction<Data>;
  gcTime?: number;
}

/** Marks the token sources that have no principal yet, so each waits under a key of its own. */
const waiting = new WeakMap<TokenSource, string>();
let waited = 0;

/**
 * The principal-aware react-query options of one Tinybird read, built once here for the hooks, the charts (through the
 * hooks) and the server entry: the key is `['tinybird', client.cacheKey, ...what, principal]`, so users of one
 * QueryClient never share rows, and `run` is told the principal to insist on (a token that changed hands between
 * building the key and sending fails with PRINCIPAL_CHANGED instead of filling this key with another user's rows).
 *
 * Before the first token there is no principal. The query then waits for the token in its own queryFn (react-query's
 * means: a failing token route is this query's error, and its polls and Retry work as usual) under a key of the token
 * source's own (never shared with another provider on the same QueryClient), and fetches through the principal's key
 * (`fetchQuery`), so the rows land there, once; the hook moves to that key as the token arrives. `gcTime: 0`: the
 * waiting entry leaves the cache as soon as nobody shows it.
 */
export function tinybirdQueryOptions<Data>(
  client: TinybirdClient,
  what: readonly unknown[],
  run: (principal: string, signal: AbortSignal) => Promise<Data>,
): TinybirdQueryOptions<Data> {
  const { tokens, cacheKey } = client;
  const forPrincipal = (principal: string): TinybirdQueryOptions<Data> => ({
    queryKey: ['tinybird', cacheKey, ...what, principal],
    queryFn: ({ signal }) => run(principal, signal),
  });
  const { principal } = tokens.getState();
  if (principal !== null) return forPrincipal(principal);
  if (!waiting.has(tokens)) waiting.set(tokens, `waiting:${++waited}`);
  return {
    queryKey: ['tinybird', cacheKey, ...what, waiting.get(tokens)],
    gcTime: 0,
    queryFn: async ({ signal, client: queryClient }) => {
      await abortable(tokens.getToken(), signal);
      return queryClient.fetchQuery(forPrincipal(tokens.getState().principal!));
    },
  };
}
