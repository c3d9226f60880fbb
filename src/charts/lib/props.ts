import type { ColumnMeta, EndpointOptions, EndpointParams, Params, PipeRef } from 'react-tinybird';
import type { ReactNode } from 'react';
import type { Row } from './columns';
import type { CrossFilter } from './crossFilter';
import type { DashboardOption } from './dashboardParams';
import type { ExportFormat } from './download';
import type { ValueFormatter } from './format';

/**
 * react-query options forwarded to useEndpoint (enabled, staleTime, retry...); the chart owns `select`.
 *
 * @example
 * ```ts
 * const queryOptions: EndpointQueryOptions = { enabled: Boolean(userId), staleTime: 30_000 };
 * ```
 */
export type EndpointQueryOptions<R extends Row = Row> = Omit<EndpointOptions<R>, 'select' | 'refetchInterval'>;

/**
 * A chart's `params`: a registered pipe's own (generated types, see `Register`); free-form for an @tinybirdco/sdk
 * definition or when nothing is registered.
 */
export type ChartParams<P> = P extends string ? EndpointParams<P> : Params;

/**
 * Where a chart's rows come from: a Tinybird endpoint it queries, or rows you pass.
 *
 * @example
 * ```ts
 * const live: ChartDataProps = { endpoint: 'top_airlines', params: { limit: 5 }, refreshInterval: 5_000 };
 * const given: ChartDataProps = { data: [{ airline: 'KLM', bookings: 12 }] };
 * ```
 */
export interface ChartDataProps<R extends Row = Row, P extends PipeRef = PipeRef> {
  /**
   * Pipe (API endpoint) to query through the nearest `<TinybirdProvider>`: its name, or an `@tinybirdco/sdk` endpoint
   * definition (its name is used; `params` stay free-form here, the hooks are where they are typed from it). With
   * generated types, one of the registered pipes, and `params` and the column props are typed from it.
   */
  endpoint?: P;
  /** Endpoint parameters; a change refetches (the previous rows stay on screen meanwhile). */
  params?: ChartParams<P>;
  /** Poll every n ms (react-query `refetchInterval`). */
  refreshInterval?: number;
  /** Any other react-query option for the endpoint query. */
  queryOptions?: EndpointQueryOptions<R>;
  /** Rows to draw instead of querying (no provider needed). */
  data?: readonly R[];
  /** Column types for `data` (as Tinybird's `meta`); inferred from values when absent. */
  meta?: readonly ColumnMeta[];
  /**
   * Under a DashboardProvider the chart merges its time range and filters under `params`. `false` opts out; `exclude`
   * and `rename` leave out or rename some of them.
   */
  dashboard?: DashboardOption;
  /**
   * Offer the rows as a file, in these formats: the chart's endpoint with the params it sends (a dashboard's
   * included), fetched with the token in the Authorization header and saved as `<pipe>.<format>`.
   */
  exportFormats?: readonly ExportFormat[];
}

/**
 * Class names for each part of a chart, on top of the stable `rtb-*` ones.
 *
 * @example
 * ```ts
 * const classNames: ChartClassNames = { root: 'shadow-sm', title: 'text-lg font-semibold' };
 * ```
 */
export interface ChartClassNames {
  root?: string;
  header?: string;
  title?: string;
  description?: string;
  body?: string;
  footer?: string;
  legend?: string;
  state?: string;
}

/**
 * The frame around every chart: heading, states, footer, theme.
 *
 * @example
 * ```ts
 * const chrome: ChartChromeProps = { title: 'Bookings', height: 200, theme: 'dark', showLatency: false };
 * ```
 */
export interface ChartChromeProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Height of the plot area in px (default depends on the chart). */
  height?: number;
  /** Fixed width in px; default is the container's width (responsive). */
  width?: number;
  /**
   * A responsive chart's width in px on the server and during hydration, before the browser can measure: the first
   * HTML draws the SVG at this width, scaled to the container, in a box of the final height (no layout shift).
   * Default 600.
   */
  initialWidth?: number;
  /** Class on the root element. */
  className?: string;
  classNames?: ChartClassNames;
  /** 'auto' follows a `.dark`/`data-theme` ancestor, then the OS. */
  theme?: 'light' | 'dark' | 'auto';
  /** Show the query latency (statistics.elapsed) in the footer. Default true. */
  showLatency?: boolean;
  /** Accessible name; default: the title. */
  'aria-label'?: string;
}

/**
 * Props of charts that draw one or more numeric series against a label/time column.
 *
 * @example
 * ```ts
 * const series: SeriesProps = { index: 'hour', categories: ['bookings', 'passengers'], colors: ['#2563eb', '#c2410c'] };
 * ```
 */
export interface SeriesProps<R extends Row = Row, C extends string = string> {
  /** Label (x axis) column. Default: the first time or text column. */
  index?: C;
  /** Numeric columns to draw. Default: every numeric column in meta except the index. */
  categories?: readonly C[];
  /** Series colours (any CSS colour). Default: the theme's `--rtb-series-*`. */
  colors?: readonly string[];
  valueFormatter?: ValueFormatter;
  /** Default: true when there is more than one series. */
  showLegend?: boolean;
  /** Called with the row of a clicked bar/point/slice. */
  onRowClick?: (row: R) => void;
  /**
   * Under a DashboardProvider: clicking an item sets this dashboard filter to its label (clicking it again clears it),
   * every other widget follows, this one keeps showing every item with the chosen one marked.
   */
  crossFilter?: CrossFilter;
  /** Time zone for a time index (Tinybird DateTime values are UTC). Default 'UTC'. */
  timeZone?: string;
}
