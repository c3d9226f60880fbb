import { checkRange, isPreset, type TimeRange } from './range';

/** Everything a dashboard's URL holds. */
export interface DashboardState {
  range: TimeRange;
  filters: Readonly<Record<string, string>>;
}

const warn = (message: string) => console.warn(`react-tinybird dashboard: ${message}`);

/**
 * The state a query string describes: `range=7d`, or `from=…&to=…` (ISO 8601) for a fixed range, and each filter named
 * in `filterNames` under its own name. What cannot be read is ignored with a console warning and the default used.
 */
export function readSearch(
  search: URLSearchParams,
  filterNames: readonly string[],
  defaults: DashboardState,
): DashboardState {
  let range = defaults.range;
  const preset = search.get('range');
  const from = search.get('from');
  const to = search.get('to');
  if (from !== null || to !== null) {
    try {
      range = checkRange({ start: new Date(from ?? ''), end: new Date(to ?? '') });
    } catch (error) {
      warn(
        `ignoring from=${from ?? ''}&to=${to ?? ''} in the URL (${(error as Error).message}); using the default range.`,
      );
    }
  } else if (preset !== null) {
    if (isPreset(preset)) range = preset;
    else warn(`ignoring range=${preset} in the URL (not a preset); using the default range.`);
  }
  const filters: Record<string, string> = { ...defaults.filters };
  for (const name of filterNames) {
    const value = search.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  return { range, filters };
}

/**
 * `current` with the dashboard's keys replaced by `state`'s (other keys kept): a default range and absent filters
 * leave no key, so a plain dashboard has a plain URL.
 */
export function writeSearch(
  current: URLSearchParams,
  state: DashboardState,
  filterNames: readonly string[],
  defaultRange: TimeRange,
): string {
  const next = new URLSearchParams(current);
  for (const key of ['range', 'from', 'to', ...filterNames]) next.delete(key);
  const { range } = state;
  if (typeof range === 'object') {
    next.set('from', range.start.toISOString());
    next.set('to', range.end.toISOString());
  } else if (range !== defaultRange) {
    next.set('range', range);
  }
  for (const name of filterNames) {
    const value = state.filters[name];
    if (value !== undefined) next.set(name, value);
  }
  const text = next.toString();
  return text ? `?${text}` : '';
}
