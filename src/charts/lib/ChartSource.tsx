import {
  DashboardContext,
  encodeParams,
  useEndpoint,
  useTinybird,
  type ColumnMeta,
  type EndpointOptions,
  type Params,
  type TinybirdQueryResult,
} from 'react-tinybird';
import { useContext, useMemo, type ReactNode } from 'react';
import { dashboardParams } from './dashboardParams';
import { fetchExport, saveFile, type ExportFormat } from './download';
import { inferMeta, type Row } from './columns';
import { LiveContext } from './LiveContext';
import type { ChartDataProps } from './props';

/**
 * What a chart draws from, whichever way its rows arrived; named like a useEndpoint() result so it is a
 * ChartFrameState as is. The same object while rows, meta and status are: charts are memoised on it. What changes with
 * every poll (latency, fetching) goes to the frame through {@link LiveContext}.
 */
export interface ChartState<R extends Row = Row> {
  status: 'pending' | 'error' | 'success';
  data: readonly R[];
  meta: readonly ColumnMeta[];
  error: Error | null;
  refetch?: () => unknown;
}

interface SourceProps<R extends Row> {
  props: ChartDataProps<R>;
  /** The dashboard filter this chart sets by clicking: left out of its own query. */
  ownFilter?: string | undefined;
  children: (state: ChartState<R>) => ReactNode;
}

/**
 * Rows from `data`, or from the endpoint through useEndpoint. Two components rather than one hook with a flag, so a chart
 * given `data` needs no TinybirdProvider at all.
 */
export function ChartSource<R extends Row>({ props, ownFilter, children }: SourceProps<R>): ReactNode {
  if (props.data !== undefined) return <StaticSource props={props}>{children}</StaticSource>;
  if (props.endpoint === undefined) {
    throw new TypeError('A react-tinybird chart needs either `endpoint` (a pipe name) or `data` (rows to draw).');
  }
  return (
    <EndpointSource props={props} ownFilter={ownFilter}>
      {children}
    </EndpointSource>
  );
}

function StaticSource<R extends Row>({ props, children }: SourceProps<R>): ReactNode {
  const { data = [], meta } = props;
  const state = useMemo<ChartState<R>>(
    () => ({ status: 'success', data, meta: meta ?? inferMeta(data), error: null }),
    [data, meta],
  );
  return children(state);
}

// Keep the previous rows while new params load: a chart that blinks to a skeleton on every filter change is worse.
const keepPrevious = <T,>(previous: T | undefined): T | undefined => previous;

const NONE: readonly never[] = [];

// The chart's props were typed at its call site (generated types, see Register); here the pipe is any name.
const useRows = useEndpoint as <R>(
  pipe: string,
  params?: Params,
  options?: EndpointOptions<R>,
) => TinybirdQueryResult<R[]>;

function EndpointSource<R extends Row>({ props, ownFilter, children }: SourceProps<R>): ReactNode {
  const { endpoint, refreshInterval, queryOptions } = props;
  // A definition is used by name: a chart's params and rows are free-form (see ChartDataProps.endpoint).
  const pipe = typeof endpoint === 'string' ? endpoint : endpoint!._name;
  const dashboard = useContext(DashboardContext);
  const params = dashboardParams(dashboard, props.dashboard, ownFilter, props.params as Params | undefined);
  const download = useDownload(pipe, props.exportFormats ? { ...dashboard?.params, ...params } : undefined);
  const query = useRows<R>(pipe, params, {
    placeholderData: keepPrevious,
    ...queryOptions,
    refetchInterval: refreshInterval,
  });
  // react-query's structural sharing keeps `data` and `meta` the same arrays while a poll returns equal ones.
  const { data, meta: columns, status, error, refetch, statistics, isFetching } = query;
  const meta = useMemo(() => columns ?? (data ? inferMeta(data) : NONE), [columns, data]);
  const state = useMemo<ChartState<R>>(
    () => ({ status, data: data ?? NONE, meta, error, refetch }),
    [status, data, meta, error, refetch],
  );
  const formats = props.exportFormats?.join();
  const live = useMemo(
    () => ({ statistics, isFetching, download, formats: formats?.split(',') as ExportFormat[] | undefined }),
    [statistics, isFetching, download, formats],
  );
  return <LiveContext.Provider value={live}>{children(state)}</LiveContext.Provider>;
}

/**
 * Saves the chart's rows as a file: `sent` is what its query sends (the dashboard's params merged as useEndpoint merges
 * them), so the file holds exactly what the chart shows. Undefined when the chart offers no export.
 */
function useDownload(pipe: string, sent: Record<string, unknown> | undefined) {
  const client = useTinybird();
  // By value: the params object is new on every render, the callback need not be.
  const key = sent === undefined ? undefined : JSON.stringify(encodeParams(sent as never));
  return useMemo(
    () =>
      key === undefined
        ? undefined
        : async (format: ExportFormat) =>
            saveFile(
              await fetchExport(client, pipe, JSON.parse(key) as Record<string, string>, format),
              `${pipe}.${format}`,
            ),
    [client, pipe, key],
  );
}
