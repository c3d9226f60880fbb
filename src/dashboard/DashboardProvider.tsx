import { DashboardContext, type DashboardContextValue } from 'react-tinybird';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DashboardStateContext, type DashboardStateValue } from './lib/DashboardStateContext';
import { historyAdapter, type UrlAdapter } from './historyAdapter';
import { checkRange, type TimeRange } from './lib/range';
import { readSearch, writeSearch, type DashboardState } from './lib/url';
import { stateParams, toSearch, type DashboardParamsOptions, type SearchParamsLike } from './lib/dashboard-params';
import { zoneOf } from './lib/zone';
import { useClock } from './lib/useClock';

/**
 * Props of {@link DashboardProvider}.
 *
 * @example
 * ```ts
 * const props: DashboardProviderProps = { defaultRange: '7d', timeZone: 'local', url: true, filters: ['airline'] };
 * ```
 */
export interface DashboardProviderProps extends DashboardParamsOptions {
  /**
   * Keep the state in the URL query: `true` uses the history API ({@link historyAdapter}, fine for the Next.js App
   * Router too), or pass your own {@link UrlAdapter}. Default false (state in memory).
   */
  url?: boolean | UrlAdapter;
  /**
   * The request's search params when rendering on a server (a Next.js page's `searchParams`), so the first HTML shows
   * the state the URL describes and hydration matches. `resolveDashboardParams` (react-tinybird/server) gives the
   * same params to prefetch with.
   */
  searchParams?: SearchParamsLike;
  /**
   * The server's clock (ms) when rendering on a server: hydration resolves rolling ranges at the same minute. Pass
   * `resolveDashboardParams`' `initialNow`.
   */
  initialNow?: number;
  /**
   * Freeze the clock at this instant (ms): rolling ranges end at it (excluded) and do not roll, and 'today' is the day
   * of the instant just before it (tests, a past report).
   */
  now?: number;
  /** Writes to the URL this close together (ms) replace the last entry instead of adding one: typing, dragging. Default 1000. */
  coalesceMs?: number;
  children?: ReactNode;
}

/** The default state from its JSON (Dates came out as ISO text). */
function parseDefaults(json: string): DashboardState {
  const { range, filters } = JSON.parse(json) as {
    range: string | { start: string; end: string };
    filters: Record<string, string>;
  };
  return {
    range: checkRange(
      typeof range === 'string' ? (range as TimeRange) : { start: new Date(range.start), end: new Date(range.end) },
    ),
    filters,
  };
}

/**
 * A dashboard: one time range and a set of filters that every useEndpoint and chart under it merges into its own params
 * (its own win; a chart can opt out or rename with its `dashboard` prop). Rolling ranges follow a clock that advances
 * every minute. With `url`, the state lives in the query string: a link reproduces the view, back and forward move
 * through states.
 *
 * @example
 * ```tsx
 * <TinybirdProvider tokenUrl="/api/tinybird-token">
 *   <DashboardProvider defaultRange="7d" url filters={['airline']}>
 *     <TimeRangePicker />
 *     <FilterChips />
 *     <BarList endpoint="top_airlines" index="airline" crossFilter="airline" />
 *     <AreaChart endpoint="bookings_per_hour" index="hour" categories={['revenue']} />
 *   </DashboardProvider>
 * </TinybirdProvider>
 * ```
 */
export function DashboardProvider(props: DashboardProviderProps): ReactNode {
  const { defaultRange = '24h', defaultFilters, timeParams, coalesceMs = 1_000, children } = props;
  const adapter = props.url === true ? historyAdapter : props.url || null;
  const timeZone = zoneOf(props.timeZone ?? 'UTC');
  // Literal props each render must not reset anything: they are compared by value.
  const namesKey = (props.filters ?? []).join('\n');
  const filterNames = useMemo(() => (namesKey ? namesKey.split('\n') : []), [namesKey]);
  const defaultsKey = JSON.stringify({ range: defaultRange, filters: defaultFilters ?? {} });
  const defaults = useMemo(() => parseDefaults(defaultsKey), [defaultsKey]);

  const [state, setState] = useState<DashboardState>(() => {
    if (!adapter) return defaults;
    if (props.searchParams) return readSearch(toSearch(props.searchParams), filterNames, defaults);
    if (typeof window === 'undefined') return defaults;
    return readSearch(new URLSearchParams(adapter.getSearch()), filterNames, defaults);
  });

  // The URL: read back on back/forward (and once after hydration: a server render without searchParams), written when
  // the state changes. A write close after the last one replaces it: typing a date adds one history entry, not ten.
  useEffect(() => {
    if (!adapter) return;
    // The same state kept when the URL says nothing new: no re-render of every widget, and an adapter passed as an
    // inline object (a new one each render) cannot loop.
    const sync = () => {
      const next = readSearch(new URLSearchParams(adapter.getSearch()), filterNames, defaults);
      setState((s) => (JSON.stringify(s) === JSON.stringify(next) ? s : next));
    };
    sync();
    return adapter.subscribe(sync);
  }, [adapter, filterNames, defaults]);
  const lastWrite = useRef<number | null>(null);
  useEffect(() => {
    if (!adapter) return;
    // The first run makes the URL canonical in place: opening a page adds no history entry.
    const loading = lastWrite.current === null;
    if (loading) lastWrite.current = -Infinity;
    const current = adapter.getSearch();
    const next = writeSearch(new URLSearchParams(current), state, filterNames, defaults.range);
    if (next === (current === '?' ? '' : current)) return;
    const now = performance.now();
    adapter.setSearch(next, loading || now - lastWrite.current! < coalesceMs ? 'replace' : 'push');
    lastWrite.current = now;
  }, [adapter, state, filterNames, defaults, coalesceMs]);

  const rolling = typeof state.range === 'string';
  const ticking = useClock(rolling && props.now === undefined, props.initialNow);
  const clock = !rolling ? 0 : props.now === undefined ? ticking : props.now;
  const setRange = useCallback((range: TimeRange) => {
    checkRange(range);
    setState((s) => ({ ...s, range }));
  }, []);
  const setFilter = useCallback((name: string, value: string | null) => {
    setState((s) => {
      const filters = { ...s.filters };
      if (value === null) delete filters[name];
      else filters[name] = value;
      return { ...s, filters };
    });
  }, []);
  const clearFilters = useCallback(() => setState((s) => ({ ...s, filters: {} })), []);

  const timeKey = JSON.stringify(timeParams ?? {}, (_, v: unknown) => (typeof v === 'function' ? String(v) : v));
  const dashboard = useMemo(() => {
    const { resolved, previous, params, previousParams } = stateParams(state, clock, timeZone, timeParams);
    const control: DashboardStateValue = {
      range: state.range,
      setRange,
      resolved,
      previous,
      timeZone,
      filters: state.filters,
      setFilter,
      clearFilters,
    };
    const hooks: DashboardContextValue = {
      params,
      previousParams,
      filters: state.filters,
      setFilter,
    };
    return { control, hooks };
    // timeParams compared by value (timeKey): an inline object each render must not rebuild every widget's params.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, clock, timeZone, timeKey, setRange, setFilter, clearFilters]);

  return (
    <DashboardStateContext.Provider value={dashboard.control}>
      <DashboardContext.Provider value={dashboard.hooks}>{children}</DashboardContext.Provider>
    </DashboardStateContext.Provider>
  );
}
