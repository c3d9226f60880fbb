import {
  minuteEnd,
  stateOfSearch,
  stateParams,
  defaultState,
  timeZoneOf,
  type DashboardParamsOptions,
  type SearchParamsLike,
} from '../dashboard/lib/dashboard-params';
import type { Params } from '../core/params';

/**
 * Options of {@link resolveDashboardParams}: the same `defaultRange`, `defaultFilters`, `timeZone`, `timeParams` and
 * `filters` the page's `DashboardProvider` gets (share one object), and the request's search params.
 *
 * @example
 * ```ts
 * const options: ResolveDashboardParamsOptions = { defaultRange: '30d', filters: ['domain'], searchParams: { range: '7d' } };
 * ```
 */
export interface ResolveDashboardParamsOptions extends DashboardParamsOptions {
  /** The request's search params (a Next.js page's `searchParams`). Without them, the defaults. */
  searchParams?: SearchParamsLike;
  /** A frozen clock (ms), as the provider's `now`. */
  now?: number;
}

/**
 * What {@link resolveDashboardParams} returns.
 *
 * @example
 * ```ts
 * const { params, previousParams, initialNow }: ResolvedDashboardParams = resolveDashboardParams({ defaultRange: '7d' });
 * ```
 */
export interface ResolvedDashboardParams {
  /** The time range's params and the filters: what every widget under the provider merges under its own params. */
  params: Params;
  /** The previous period's time params (what a Metric with `compare` sends). */
  previousParams: Params;
  /** The clock these were resolved at: give it to the provider's `initialNow`, so hydration resolves the same minute. */
  initialNow: number;
}

/**
 * A dashboard's params on the server, exactly as a `DashboardProvider` with the same options resolves them for the same
 * URL: prefetch every widget with them (`endpointQueryOptions(client, pipe, { ...params, ...own })`), and the first HTML
 * shows the URL's view with no second fetch after hydration.
 *
 * @example
 * ```tsx
 * // app/page.tsx (a server component)
 * const { params, initialNow } = resolveDashboardParams({ ...DASHBOARD, searchParams: await searchParams });
 * await queryClient.prefetchQuery(endpointQueryOptions(client, 'top_pages', { ...params, limit: 8 }));
 * return <Dashboard rows={dehydrate(queryClient)} initialNow={initialNow} />; // <DashboardProvider {...DASHBOARD} initialNow={initialNow} url>
 * ```
 */
export function resolveDashboardParams(options: ResolveDashboardParamsOptions = {}): ResolvedDashboardParams {
  const state = options.searchParams ? stateOfSearch(options, options.searchParams) : defaultState(options);
  const initialNow = Date.now();
  const clock = typeof state.range === 'object' ? 0 : (options.now ?? minuteEnd(initialNow));
  const { params, previousParams } = stateParams(state, clock, timeZoneOf(options), options.timeParams);
  return { params, previousParams, initialNow };
}
