import type { DashboardContextValue, Params } from 'react-tinybird';

/**
 * How a chart follows the enclosing dashboard: `false` ignores it; `exclude` leaves some of its params out; `rename`
 * sends a dashboard param under this endpoint's own name (`{ airline: 'carrier' }`).
 *
 * @example
 * ```ts
 * const follow: DashboardOption = { exclude: ['airline'], rename: { start: 'date_from', end: 'date_to' } };
 * ```
 */
export type DashboardOption = false | { exclude?: readonly string[]; rename?: Readonly<Record<string, string>> };

/**
 * The params a chart sends itself: what it leaves out of or renames from the dashboard's params as explicit ones (the
 * hook merges the dashboard's under them, and an explicit `undefined` is not sent), then its own. A chart that sets a
 * cross-filter leaves that filter out of its own query, so it keeps showing every item, the chosen one marked.
 */
export function dashboardParams(
  dashboard: DashboardContextValue | undefined,
  option: DashboardOption | undefined,
  ownFilter: string | undefined,
  params: Params | undefined,
): Params | undefined {
  if (!dashboard || (option === undefined && ownFilter === undefined)) return params;
  const scoped: Params = {};
  if (option === false) for (const name of Object.keys(dashboard.params)) scoped[name] = undefined;
  else if (option) {
    for (const name of option.exclude ?? []) scoped[name] = undefined;
    for (const [from, to] of Object.entries(option.rename ?? {})) {
      scoped[from] = undefined;
      scoped[to] = dashboard.params[from];
    }
  }
  if (ownFilter !== undefined) scoped[ownFilter] = undefined;
  return { ...scoped, ...params };
}
