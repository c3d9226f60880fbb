import { createContext, useContext } from 'react';
import type { Params } from '../core/params';

/**
 * What a dashboard gives the hooks and charts under it. Provided by `DashboardProvider` (react-tinybird/dashboard);
 * defined here so the context exists once, whichever entries a page imports. A page with no dashboard pays for one
 * `createContext` and one `useContext` per hook.
 *
 * @example
 * ```tsx
 * const dashboard = useContext(DashboardContext); // undefined outside a DashboardProvider
 * dashboard?.setFilter('airline', 'KLM');
 * ```
 */
export interface DashboardContextValue {
  /** The time range's params and the active filters: merged under every query's own params. */
  params: Params;
  /** The time params of the previous period of the same length (what a Metric compares with). */
  previousParams: Params;
  /** The active filters by param name. */
  filters: Readonly<Record<string, string>>;
  /** Sets a filter, or removes it with `null`. */
  setFilter: (name: string, value: string | null) => void;
}

/** Undefined outside a dashboard: hooks then send their own params only. */
export const DashboardContext = createContext<DashboardContextValue | undefined>(undefined);

/**
 * A hook's params with the enclosing dashboard's merged under them: the hook's own win, and one set to `undefined`
 * is not sent (how a widget opts out of one filter). Outside a dashboard, the params as given.
 */
export function useDashboardParams<P>(params: P): P {
  const dashboard = useContext(DashboardContext);
  return dashboard ? ({ ...dashboard.params, ...params } as P) : params;
}
