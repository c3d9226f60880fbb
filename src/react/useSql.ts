import { useCallback, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { QueryResult } from '../core/client';
import { defaultRetry, selectRows, unwrap } from '../lib/query-result';
import type { LastResponse, TinybirdQueryResult } from '../lib/query-result';
import { useTinybirdContext } from './context';
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
  const { client, queryClient } = useTinybirdContext('useSql');
  const { select, ...rest } = options ?? {};
  const [last] = useState<LastResponse>({});
  const selectResult = useCallback(selectRows<Row, TData>(last, select), [select]);
  const result = useQuery(
    {
      retry: defaultRetry,
      ...rest,
      queryKey: ['tinybird', client.cacheKey, 'sql', sql],
      queryFn: ({ signal }): Promise<QueryResult<Row>> => client.sql<Row>(sql, { signal }),
      select: selectResult,
    },
    queryClient,
  );
  return unwrap(result, last);
}
