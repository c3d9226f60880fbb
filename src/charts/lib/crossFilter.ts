import { DashboardContext } from 'react-tinybird';
import { useContext } from 'react';
import type { Row } from './columns';

/**
 * A chart that filters its dashboard when clicked: the dashboard param it sets, and the column whose value it takes
 * (default: the chart's label column, `index`; for a Table, the column named like the param).
 *
 * @example
 * ```ts
 * const byAirline: CrossFilter = 'airline';
 * const byCode: CrossFilter = { param: 'airline', column: 'airline_code' };
 * ```
 */
export type CrossFilter = string | { param: string; column?: string };

export interface CrossFilterState {
  /** The param the chart sets (left out of its own query), when under a dashboard. */
  param: string | undefined;
  /** The value selected now, if any. */
  selected: string | undefined;
  /** The value a row stands for. */
  valueOf: (row: Row) => string;
  /** Sets the filter to the row's value, or clears it when that value is the one selected. Undefined when off. */
  toggle: ((row: Row) => void) | undefined;
}

const OFF: CrossFilterState = { param: undefined, selected: undefined, valueOf: () => '', toggle: undefined };

/** Cross-filtering for one chart: off outside a dashboard or without `crossFilter`. */
export function useCrossFilter(
  crossFilter: CrossFilter | undefined,
  defaultColumn: string | undefined,
): CrossFilterState {
  const dashboard = useContext(DashboardContext);
  if (!dashboard || crossFilter === undefined) return OFF;
  const param = typeof crossFilter === 'string' ? crossFilter : crossFilter.param;
  const column = (typeof crossFilter === 'string' ? undefined : crossFilter.column) ?? defaultColumn ?? param;
  const selected = dashboard.filters[param];
  const valueOf = (row: Row) => String(row[column] ?? '');
  return {
    param,
    selected,
    valueOf,
    toggle: (row) => dashboard.setFilter(param, valueOf(row) === selected ? null : valueOf(row)),
  };
}

/** The param a chart's `crossFilter` sets: what its source leaves out of its own query. */
export const crossFilterParam = (crossFilter: CrossFilter | undefined): string | undefined =>
  typeof crossFilter === 'object' ? crossFilter.param : crossFilter;
