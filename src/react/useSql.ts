import { useTinybirdQuery } from './useTinybirdQuery';
import type { TinybirdQueryResult } from './useTinybirdQuery';
import { useTinybirdContext } from './context';
import { tinybirdQueryOptions } from '../core/query-options';
import type { EndpointOptions } from './useEndpoint';

/**
 * Runs SQL through Tinybird's Query API with react-query. The token needs DATASOURCES:READ scopes for the tables read
 * (their `filter` applies). `FORMAT JSON` is added when missing. Same result shape and options as `useEndpoint`.
 *
 * @example
 * ```tsx
 * const { data } = useSql<{ airline: string; n: number }>(
 *   'SELECT airline, count() AS n FROM events GROUP BY airline ORDER BY n DESC LIMIT 5',
 * );
 * ```
 */
export function useSql<Row = Record<string, unknown>, TData = Row[]>(
  sql: string,
  options?: EndpointOptions<Row, TData>,
): TinybirdQueryResult<TData> {
  const context = useTinybirdContext('useSql');
  const { client } = context;
  return useTinybirdQuery(
    context,
    () =>
      tinybirdQueryOptions(client, ['sql', sql], (principal, signal) => client.sql<Row>(sql, { signal, principal })),
    options,
  );
}
