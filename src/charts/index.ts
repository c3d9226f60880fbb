'use client';
/**
 * react-tinybird/charts: drop-in charts over Tinybird endpoints (recharts under the hood; an optional peer dependency).
 * Every chart takes `endpoint` + `params` (queried through the nearest TinybirdProvider) or `data`.
 */
export { AreaChart, type AreaChartProps } from './AreaChart';
export { BarChart, type BarChartProps } from './BarChart';
export { BarList, type BarListProps } from './BarList';
export { ChartFrame, type ChartFrameProps, type ChartFrameState } from './ChartFrame';
export { chartStyles } from './chartStyles';
export { DonutChart, type DonutChartProps } from './DonutChart';
export { LineChart, type LineChartProps } from './LineChart';
export { Metric, type MetricProps } from './Metric';
export { Table, type TableProps } from './Table';
export type { Row } from './lib/columns';
export type { CrossFilter } from './lib/crossFilter';
export type { DashboardOption } from './lib/dashboardParams';
export type { ExportFormat } from './lib/download';
export type { ValueFormatter } from './lib/format';
export type { ChartChromeProps, ChartClassNames, ChartDataProps, EndpointQueryOptions, SeriesProps } from './lib/props';
export type { SkeletonShape } from './lib/Skeleton';
