import { useTinybirdQuery } from './useTinybirdQuery';
import type { EndpointOptions, TinybirdQueryResult } from './useTinybirdQuery';
import type { EndpointParams, EndpointRow } from '../core/sdk-types';
import { useTinybirdContext } from './context';
import { useDashboardParams } from './DashboardContext';
import { pipeQueryOptions } from '../core/endpoint-query-options';
import type { PipeRef } from '../core/endpoint-query-options';
import type { ParamsAndOptions, PipeName } from '../core/register';

export type { EndpointOptions } from './useTinybirdQuery';

/**
 * Calls a published pipe through react-query. Waits for the first token instead of firing a request that would 403;
 * the query key holds the pipe, the params and the token's principal (whose rows it can see), never the token. Returns react-query's result with `data` = rows, plus
 * `meta` (columns) and `statistics`. Every react-query option passes through. `pipe` may be an @tinybirdco/sdk
 * endpoint definition, which types `params` and the rows; so do generated types (`react-tinybird types`, see
 * `Register`), with no generic: then a wrong pipe name, param or column does not compile.
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
export function useEndpoint<Row = Record<string, unknown>, P extends PipeRef = PipeName, TData = EndpointRow<P, Row>[]>(
  pipe: P,
  // Params must be given when the endpoint requires one (generated types or an SDK definition say so).
  ...[params, options]: ParamsAndOptions<EndpointParams<P>, EndpointOptions<EndpointRow<P, Row>, TData>>
): TinybirdQueryResult<TData> {
  const context = useTinybirdContext('useEndpoint');
  const { client } = context;
  const merged = useDashboardParams(params); // an enclosing dashboard's time range and filters, under these params
  return useTinybirdQuery(context, () => pipeQueryOptions<Row, P>(client, pipe, merged), options);
}
