import type { UseQueryOptions } from '@tanstack/react-query';
import type { QueryResult } from '../core/client';
import type { TinybirdError } from '../core/errors';
import { useTinybirdQuery } from '../lib/query-result';
import type { TinybirdQueryResult } from '../lib/query-result';
import type { EndpointParams, EndpointRow } from '../lib/sdk-types';
import { useTinybirdContext } from './context';
import { endpointQueryOptions } from './endpointQueryOptions';
import type { PipeRef } from './endpointQueryOptions';

/**
 * react-query options for {@link useEndpoint}; `select` receives the rows.
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
 * Calls a published pipe through react-query. Waits for the first token instead of firing a request that would 403;
 * the query key holds the pipe, the params and the token's principal (whose rows it can see), never the token. Returns react-query's result with `data` = rows, plus
 * `meta` (columns) and `statistics`. Every react-query option passes through. `pipe` may be an @tinybirdco/sdk
 * endpoint definition, which types `params` and the rows.
 *
 * Polling without wasted renders: `data` keeps its reference while the rows are deep-equal, so a component that reads
 * only `data` (and status fields) re-renders when the rows change, not on every `refetchInterval`. Reading `meta` or
 * `statistics` subscribes to every new response instead (`statistics.elapsed` differs each time): read them where you
 * show them, e.g. a latency footer, not in a component that only draws rows.
 *
 * @example
 * ```tsx
 * function TopAirlines() {
 *   const { data, isPending, error } = useEndpoint<{ airline: string; bookings: number }>(
 *     'top_airlines', { limit: 10 }, { refetchInterval: 10_000, placeholderData: keepPreviousData },
 *   );
 *   if (isPending) return <Spinner />;
 *   if (error) return <p>{error.code}: {error.message}</p>;
 *   return <ul>{data.map((row) => <li key={row.airline}>{row.airline}: {row.bookings}</li>)}</ul>;
 * }
 * ```
 */
export function useEndpoint<Row = Record<string, unknown>, P extends PipeRef = string, TData = EndpointRow<P, Row>[]>(
  pipe: P,
  params?: EndpointParams<P>,
  options?: EndpointOptions<EndpointRow<P, Row>, TData>,
): TinybirdQueryResult<TData> {
  const context = useTinybirdContext('useEndpoint');
  const { client } = context;
  return useTinybirdQuery(context, () => endpointQueryOptions<Row, P>(client, pipe, params), options);
}
