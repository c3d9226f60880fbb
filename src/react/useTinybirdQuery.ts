import { useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { QueryClient, UseQueryOptions, UseQueryResult } from '@tanstack/react-query';
import type { ColumnMeta, QueryResult, QueryStatistics } from '../core/client';
import { TinybirdError } from '../core/errors';
import type { TinybirdContextValue } from './context';
import type { TokenSource } from '../core/token-source';
import { noop } from '../core/internal/http';
import { abortError } from '../core/internal/sleep';
import { principalOfKey } from '../core/principal';

/**
 * react-query options for {@link useEndpoint} and useSql; `select` receives the rows.
 *
 * @example
 * ```ts
 * useEndpoint('kpis', {}, { refetchInterval: 10_000, staleTime: 5_000 } satisfies EndpointOptions<Record<string, unknown>>);
 * ```
 */
export type EndpointOptions<Row, TData = Row[]> = Omit<
  UseQueryOptions<QueryResult<Row>, TinybirdError, TData>,
  'queryKey' | 'queryFn' | 'select'
> & {
  /** Derive what `data` holds from the rows (memoise it, as with react-query). */
  select?: (rows: Row[]) => TData;
};

/**
 * The hooks' result: react-query's, with `data` the rows and the result's `meta` and `statistics` alongside.
 *
 * Renders: react-query re-renders a component only for the result fields it reads. `data` keeps its reference while
 * the rows are deep-equal, so a polling widget that reads only `data` (and status fields) does not re-render when a
 * poll brings the same rows. `meta` and `statistics` come from the latest response: reading either subscribes the
 * component to `dataUpdatedAt`, i.e. it re-renders after every successful fetch, since `statistics.elapsed` changes
 * each time even when the rows do not. Read them only where you show them.
 *
 * @example
 * ```ts
 * const { data, meta, statistics, isPending }: TinybirdQueryResult<Row[]> = useEndpoint<Row>('top_airlines');
 * ```
 */
export type TinybirdQueryResult<TData> = UseQueryResult<TData, TinybirdError> & {
  meta: ColumnMeta[] | undefined;
  statistics: QueryStatistics | undefined;
};

/** The last Tinybird response the hook's select saw (the query's cached value, or the placeholder being shown). */
type LastResponse = { current?: QueryResult<unknown> | undefined };

/**
 * The hooks' react-query `select`: the rows only, so react-query's structural sharing keeps `data` stable while the
 * rows are equal (selecting `{ data, meta, statistics }` made a new value on every poll: `elapsed` always differs).
 * The whole response goes to `last`, where `meta` and `statistics` are read from.
 */
function selectRows<Row, TData>(last: LastResponse, select?: (rows: Row[]) => TData) {
  return (result: QueryResult<Row>): TData => {
    last.current = result;
    return select ? select(result.data) : (result.data as TData);
  };
}

/**
 * A view of react-query's result that adds `meta` and `statistics` and puts a token-aware `refetch` in its place. A Proxy
 * rather than a spread keeps react-query's tracked properties: a component re-renders only for the fields it reads. The
 * two added fields read `dataUpdatedAt` first, so a component that shows them is notified of every new response.
 */
function unwrap<TData>(
  result: UseQueryResult<TData, TinybirdError>,
  last: LastResponse,
  refetch: (
    original: UseQueryResult<TData, TinybirdError>['refetch'],
  ) => UseQueryResult<TData, TinybirdError>['refetch'],
): TinybirdQueryResult<TData> {
  const added = (property: string | symbol): property is 'meta' | 'statistics' =>
    property === 'meta' || property === 'statistics';
  // The read of `dataUpdatedAt` is what subscribes: react-query tracks the fields read from its result.
  const read = (property: 'meta' | 'statistics') => (result.dataUpdatedAt, last.current?.[property]);
  return new Proxy(result, {
    // `refetch` is replaced on reads only: react-query's own property cannot be redefined (a Proxy invariant), so a
    // spread copy keeps react-query's.
    get: (target, property) =>
      added(property)
        ? read(property)
        : property === 'refetch'
          ? refetch(target.refetch)
          : (Reflect.get(target, property) as unknown),
    // So `{ ...result }` and `Object.keys(result)` see meta and statistics too (react-query's result has neither key).
    ownKeys: (target) => [...Reflect.ownKeys(target), 'meta', 'statistics'],
    getOwnPropertyDescriptor: (target, property) =>
      added(property)
        ? { enumerable: true, configurable: true, value: read(property) }
        : Reflect.getOwnPropertyDescriptor(target, property),
  }) as TinybirdQueryResult<TData>;
}

/** The token-aware refetch made for react-query's, kept while react-query's is the same (for the observer's life). */
type RefetchCache = { original?: unknown; wrapped?: unknown };

/**
 * react-query's refetch, but when there is no token because getting one failed (the route was down, signed out, sent
 * garbage) it asks for a new token first: automatic attempts wait out a cooldown, a Retry button must not. Built when
 * `refetch` is read, never during render: reading a field of react-query's result subscribes the component to it, and
 * a component that reads none is notified of every change.
 */
function refetchWithToken(tokens: TokenSource, cache: RefetchCache) {
  return <Refetch extends (...args: never[]) => Promise<unknown>>(original: Refetch): Refetch => {
    if (cache.original !== original) {
      cache.original = original;
      cache.wrapped = async (...args: Parameters<Refetch>) => {
        if (tokens.getState().status === 'error') await tokens.refresh().catch(noop);
        return original(...args);
      };
    }
    return cache.wrapped as Refetch;
  };
}

/** The client already retried what is worth retrying (429, 5xx, 403 once): a TinybirdError is final. */
function defaultRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof TinybirdError) && failureCount < 3;
}

type TinybirdQuery<Row> = Pick<
  UseQueryOptions<QueryResult<Row>, TinybirdError>,
  'queryKey' | 'queryFn' | 'gcTime' | 'retry'
>;

/** Numbers the token sources that have no principal yet, so each waits under a key of its own. */
const waiting = new WeakMap<TokenSource, number>();
let waited = 0;

/**
 * Stands in for a query until the first token says whose rows to show: it gets the token (so a failing token route
 * shows as this query's error), then cancels itself back to the state it had, storing nothing, while the hook moves
 * to the real key. Cancelling rather than waiting to be left keeps an awaited `refetch()` from hanging where renders
 * are held back (React 18's act). Its key is the token source's own, never shared with another provider.
 */
function waitForToken<Row>(tokens: TokenSource, cacheKey: string, queryClient: QueryClient): TinybirdQuery<Row> {
  if (!waiting.has(tokens)) waiting.set(tokens, ++waited);
  return {
    queryKey: ['tinybird', cacheKey, 'token', waiting.get(tokens)],
    gcTime: 0, // nothing in it to keep: gone from the cache as soon as the hook moves on
    retry: false,
    queryFn: async ({ queryKey, signal }) => {
      await tokens.getToken();
      void queryClient.cancelQueries({ queryKey, exact: true });
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortError(signal))));
    },
  };
}

type Placeholder = UseQueryOptions<QueryResult<never>, TinybirdError>['placeholderData'];

/**
 * The caller's placeholderData, but never another principal's rows: `keepPreviousData` would otherwise show the last
 * user's result under the new user's key. A new function whenever the principal changes, so react-query asks it again
 * instead of reusing the placeholder it showed before.
 */
function placeholderFor(placeholder: Placeholder, principal: string | null): Placeholder {
  if (typeof placeholder !== 'function') return placeholder;
  return (previous, previousQuery) =>
    previousQuery && principalOfKey(previousQuery.queryKey) !== principal
      ? undefined
      : placeholder(previous, previousQuery);
}

/**
 * The react-query call behind useEndpoint and useSql, which differ only in their key and fetcher: the caller's options
 * pass through, `data` is the rows (or what the caller's `select` makes of them), `meta` and `statistics` are added.
 * `query` is asked for its key once the token's principal is known, and again whenever it changes.
 */
export function useTinybirdQuery<Row, TData>(
  { client, queryClient }: TinybirdContextValue,
  query: () => TinybirdQuery<Row>,
  options: EndpointOptions<Row, TData> = {},
): TinybirdQueryResult<TData> {
  const { select, placeholderData, ...rest } = options;
  const { tokens } = client;
  const principalNow = () => tokens.getState().principal;
  const principal = useSyncExternalStore(tokens.subscribe, principalNow, principalNow);
  const [last] = useState<LastResponse>({});
  const [retry] = useState<RefetchCache>({});
  const selectResult = useMemo(() => selectRows<Row, TData>(last, select), [last, select]);
  const guarded = useMemo(
    () => placeholderFor(placeholderData as Placeholder, principal),
    [placeholderData, principal],
  ) as EndpointOptions<Row, TData>['placeholderData'];
  const current = principal === null ? waitForToken<Row>(tokens, client.cacheKey, queryClient) : query();
  const result = useQuery(
    { retry: defaultRetry, ...rest, placeholderData: guarded, ...current, select: selectResult },
    queryClient,
  );
  return unwrap(result, last, refetchWithToken(tokens, retry));
}
