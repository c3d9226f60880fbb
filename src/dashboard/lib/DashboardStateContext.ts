import { createContext } from 'react';
import type { ResolvedRange, TimeRange } from './range';

/** The dashboard's own state, for its controls (the hooks and charts read react-tinybird's DashboardContext). */
export interface DashboardStateValue {
  range: TimeRange;
  setRange: (range: TimeRange) => void;
  resolved: ResolvedRange;
  previous: ResolvedRange;
  timeZone: string;
  filters: Readonly<Record<string, string>>;
  setFilter: (name: string, value: string | null) => void;
  clearFilters: () => void;
}

export const DashboardStateContext = createContext<DashboardStateValue | undefined>(undefined);
