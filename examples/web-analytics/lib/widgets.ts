// lib/widgets.ts: which endpoint each widget reads, with its own params: the page prefetches them, the token grants them
import type { PipeName, RegisteredParams } from 'react-tinybird';
import type { DashboardProviderProps } from 'react-tinybird/dashboard';

/** The dashboard's options: the provider and the page's prefetch share them, so both resolve the same params. */
export const DASHBOARD = {
  defaultRange: '30d',
  filters: ['domain'],
  // The kit's endpoints read days: `date_from`/`date_to`, both included.
  timeParams: { start: 'date_from', end: 'date_to', format: 'date' },
} satisfies DashboardProviderProps;

/** The KPIs and the trend: the same params, so one request feeds both. */
export const KPI_PARAMS = { include_previous_period: 'true' };
/** The top lists show the first eight rows. */
export const TOP = { limit: 8 };

/** A widget's endpoint and the params it sends, checked against that endpoint's generated params (tinybird-types.ts). */
type Widget = {
  [P in PipeName]: { tab: 'analytics' | 'vitals'; pipe: P; params?: RegisteredParams<P>; crossFilter?: boolean };
}[PipeName];

const TOP_LISTS = ['top_pages', 'top_sources', 'top_browsers', 'top_locations'] as const;

export const WIDGETS: Widget[] = [
  { tab: 'analytics', pipe: 'kpis', params: KPI_PARAMS },
  { tab: 'analytics', pipe: 'current_visitors' },
  { tab: 'analytics', pipe: 'trend' },
  { tab: 'analytics', pipe: 'domains', crossFilter: true },
  ...TOP_LISTS.map((pipe) => ({ tab: 'analytics' as const, pipe, params: TOP })),
  { tab: 'analytics', pipe: 'top_devices' },
  { tab: 'vitals', pipe: 'web_vitals_distribution' },
];
