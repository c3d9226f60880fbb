import { useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { UseQueryOptions, UseQueryResult } from '@tanstack/react-query';
import type { ColumnMeta, QueryResult, QueryStatistics } from '../core/client';
import { TinybirdError } from '../core/errors';
import type { TinybirdContextValue } from './context';
import type { TokenSource } from '../core/token-source';
import { noop } from '../core/internal/http';
import { principalOfKey } from '../core/principal';
import type { TinybirdQueryOptions } from '../core/query-options';

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
type LastResponse = {
  current?: QueryResult<unknown> | undefined;
  /** The token-aware refetch, made once: react-query's own is stable for the observer, which lives as long as the hook. */
  refetch?: unknown;
};

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
 * react-query's result with `meta` and `statistics` added and a token-aware `refetch`, as a plain object of getters
 * over it (no Proxy): each field is read from react-query's own result when the component reads it, so react-query
 * still re-renders a component only for the fields it reads. The two added fields read `dataUpdatedAt` first, so a
 * component that shows them is notified of every new response.
 *
 * `refetch` is the one thing react-query cannot do itself: a Retry button must ask the token route at once when the
 * last failure was the token's, while polls during the token source's cooldown must not; react-query gives a queryFn
 * nothing that tells an explicit refetch from a poll, so the difference is made here.
 */
function view<TData>(
  result: UseQueryResult<TData, TinybirdError>,
  last: LastResponse,
  tokens: TokenSource,
): TinybirdQueryResult<TData> {
  const out = {} as Record<string, unknown>;
  const field = (key: string, get: () => unknown) =>
    Object.defineProperty(out, key, { enumerable: true, configurable: true, get });
  for (const key of Object.keys(result)) field(key, () => result[key as keyof typeof result]);
  // The read of `dataUpdatedAt` is what subscribes: react-query tracks the fields read from its result.
  for (const key of ['meta', 'statistics'] as const) field(key, () => (result.dataUpdatedAt, last.current?.[key]));
  // Built on the first read (reading react-query's subscribes to it), then the same function: a stable identity.
  field('refetch', () => {
    const { refetch } = result;
    return (last.refetch ??= async (...args: Parameters<typeof refetch>) => {
      if (tokens.getState().status === 'error') await tokens.refresh().catch(noop);
      return refetch(...args);
    });
  });
  return out as unknown as TinybirdQueryResult<TData>;
}

/** The client already retried what is worth retrying (429, 5xx, 403 once): a TinybirdError is final. */
function defaultRetry(failureCount: number, error: unknown): boolean {
  return !(error instanceof TinybirdError) && failureCount < 3;
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
 * The react-query call behind useEndpoint and useSql, which differ only in their options (core's principal-aware
 * key and fetcher, `query`): the caller's options pass through, `data` is the rows (or what the caller's `select`
 * makes of them), `meta` and `statistics` are added. `query` is asked again on every render, and the hook re-renders
 * when the token's principal changes, so the key follows the principal.
 */
export function useTinybirdQuery<Row, TData>(
  { client, queryClient }: TinybirdContextValue,
  query: () => TinybirdQueryOptions<QueryResult<Row>>,
  options: EndpointOptions<Row, TData> = {},
): TinybirdQueryResult<TData> {
  const { select, placeholderData, ...rest } = options;
  const { tokens } = client;
  const principalNow = () => tokens.getState().principal;
  const principal = useSyncExternalStore(tokens.subscribe, principalNow, principalNow);
  const [last] = useState<LastResponse>({});
  const selectResult = useMemo(() => selectRows<Row, TData>(last, select), [last, select]);
  const guarded = useMemo(
    () => placeholderFor(placeholderData as Placeholder, principal),
    [placeholderData, principal],
  ) as EndpointOptions<Row, TData>['placeholderData'];
  const result = useQuery(
    { retry: defaultRetry, ...rest, placeholderData: guarded, ...query(), select: selectResult },
    queryClient,
  );
  return view(result, last, tokens);
}
