import { useEndpoint, type ColumnMeta, type QueryStatistics } from 'react-tinybird';
import { useMemo, type ReactNode } from 'react';
import { inferMeta, type Row } from './columns';
import type { ChartDataProps } from './props';

/** What a chart draws from, whichever way its rows arrived. */
export interface ChartState<R extends Row = Row> {
  status: 'pending' | 'error' | 'success';
  rows: readonly R[];
  meta: readonly ColumnMeta[];
  statistics?: QueryStatistics | undefined;
  error: Error | null;
  isFetching: boolean;
  refetch?: () => unknown;
}

interface SourceProps<R extends Row> {
  props: ChartDataProps<R>;
  children: (state: ChartState<R>) => ReactNode;
}

/**
 * Rows from `data`, or from the endpoint through useEndpoint. Two components rather than one hook with a flag, so a chart
 * given `data` needs no TinybirdProvider at all.
 */
export function ChartSource<R extends Row>({ props, children }: SourceProps<R>): ReactNode {
  if (props.data !== undefined) return <StaticSource props={props}>{children}</StaticSource>;
  if (props.endpoint === undefined) {
    throw new TypeError('A react-tinybird chart needs either `endpoint` (a pipe name) or `data` (rows to draw).');
  }
  return <EndpointSource props={props}>{children}</EndpointSource>;
}

function StaticSource<R extends Row>({ props, children }: SourceProps<R>): ReactNode {
  const { data = [], meta } = props;
  const state = useMemo<ChartState<R>>(
    () => ({ status: 'success', rows: data, meta: meta ?? inferMeta(data), error: null, isFetching: false }),
    [data, meta],
  );
  return children(state);
}

// Keep the previous rows while new params load: a chart that blinks to a skeleton on every filter change is worse.
const keepPrevious = <T,>(previous: T | undefined): T | undefined => previous;

function EndpointSource<R extends Row>({ props, children }: SourceProps<R>): ReactNode {
  const { endpoint, params, refreshInterval, queryOptions } = props;
  const query = useEndpoint<R>(endpoint!, params, {
    placeholderData: keepPrevious,
    ...queryOptions,
    refetchInterval: refreshInterval,
  });
  const state: ChartState<R> = {
    status: query.status,
    rows: query.data ?? [],
    meta: query.meta ?? (query.data ? inferMeta(query.data) : []),
    statistics: query.statistics,
    error: query.error,
    isFetching: query.isFetching,
    refetch: query.refetch,
  };
  return children(state);
}
