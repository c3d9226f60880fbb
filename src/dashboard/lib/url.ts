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
  // set() replaces a key where it stands and delete() removes it: the URL's other keys keep their order.
  const next = new URLSearchParams(current);
  const put = (key: string, value: string | undefined) =>
    value === undefined ? next.delete(key) : next.set(key, value);
  const { range } = state;
  const fixed = typeof range === 'object';
  put('range', fixed || range === defaultRange ? undefined : range);
  put('from', fixed ? range.start.toISOString() : undefined);
  put('to', fixed ? range.end.toISOString() : undefined);
  for (const name of filterNames) put(name, state.filters[name]);
  const text = next.toString();
  return text ? `?${text}` : '';
}
