import { useContext } from 'react';
import { DashboardStateContext, type DashboardStateValue } from './lib/DashboardStateContext';

/**
 * What {@link useDashboard} returns: the range (as chosen and as resolved now), the previous period, the filters and
 * their setters.
 *
 * @example
 * ```ts
 * const { resolved, setFilter }: DashboardState = useDashboard();
 * ```
 */
export type DashboardState = DashboardStateValue;

/**
 * The enclosing dashboard's state, for controls of your own: read the range and filters, set them.
 *
 * @example
 * ```tsx
 * function Title() {
 *   const { resolved, filters, setFilter } = useDashboard();
 *   return <h1 onClick={() => setFilter('airline', null)}>{filters.airline ?? 'All airlines'} since {resolved.start.toLocaleString()}</h1>;
 * }
 * ```
 */
export function useDashboard(): DashboardState {
  const value = useContext(DashboardStateContext);
  if (!value) {
    throw new Error(
      'useDashboard must be used inside <DashboardProvider>. Wrap your dashboard: <DashboardProvider defaultRange="7d">',
    );
  }
  return value;
}
