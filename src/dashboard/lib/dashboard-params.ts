import type { Params } from 'react-tinybird';
import { checkRange, previousRange, rangeParams, resolveRange, type ResolvedRange, type TimeParams } from './range';
import { readSearch, type DashboardState } from './url';
import type { TimeRange } from './range';
import { zoneOf } from './zone';

/** A request's search params: a `URLSearchParams`, or a Next.js page's `searchParams` object. */
export type SearchParamsLike = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the provider and the server both need to turn a URL into params: the provider's props of the same names. */
export interface DashboardParamsOptions {
  /** The range shown when the URL names none. Default '24h'. */
  defaultRange?: TimeRange;
  /** Filters set when the URL names none. */
  defaultFilters?: Readonly<Record<string, string>>;
  /** Where days start ('today', 'yesterday', Date params): 'UTC' (default), 'local' (the viewer's) or an IANA name. */
  timeZone?: string;
  /** The param names and text format the endpoints expect for the range. Default `start`/`end`, DateTime text. */
  timeParams?: TimeParams;
  /** The filters the URL holds, by param name (others live in memory only). */
  filters?: readonly string[];
}

const MINUTE = 60_000;

/** The end of the minute holding `t`: rolling ranges reach up to now, and every widget resolves the same instant. */
export const minuteEnd = (t: number): number => Math.floor(t / MINUTE) * MINUTE + MINUTE;

/** The params a dashboard state sends at clock `now`, and the ranges they come from. */
export interface StateParams {
  resolved: ResolvedRange;
  previous: ResolvedRange;
  /** The time range's params and the filters: merged under every widget's own. */
  params: Params;
  /** The previous period's time params (what a Metric with `compare` sends). */
  previousParams: Params;
}

/** One place that turns a state into params: the provider in the browser and `resolveDashboardParams` on a server. */
export function stateParams(
  state: DashboardState,
  now: number,
  timeZone: string,
  timeParams?: TimeParams,
): StateParams {
  const resolved = resolveRange(state.range, now, timeZone);
  const previous = previousRange(resolved);
  return {
    resolved,
    previous,
    params: { ...rangeParams(resolved, timeParams ?? {}, timeZone), ...state.filters },
    previousParams: rangeParams(previous, timeParams ?? {}, timeZone),
  };
}

export function toSearch(searchParams: SearchParamsLike | undefined): URLSearchParams {
  if (searchParams instanceof URLSearchParams) return searchParams;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams ?? {})) {
    for (const v of typeof value === 'string' ? [value] : (value ?? [])) search.append(key, v);
  }
  return search;
}

/** The default state of these options. Throws a TypeError for a default range that cannot be drawn. */
export const defaultState = (options: DashboardParamsOptions): DashboardState => ({
  range: checkRange(options.defaultRange ?? '24h'),
  filters: options.defaultFilters ?? {},
});

/** The time zone these options name, checked. */
export const timeZoneOf = (options: DashboardParamsOptions): string => zoneOf(options.timeZone ?? 'UTC');

/** The state a URL's search params describe (unreadable keys warned about and the defaults used). */
export const stateOfSearch = (options: DashboardParamsOptions, searchParams: SearchParamsLike): DashboardState =>
  readSearch(toSearch(searchParams), options.filters ?? [], defaultState(options));
