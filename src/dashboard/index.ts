'use client';
/**
 * react-tinybird/dashboard: a time range and filters shared by every hook and chart under a DashboardProvider, kept in
 * the URL if you like, with their controls. Imports the hooks' context through 'react-tinybird', so it exists once.
 */
export { DashboardProvider, type DashboardProviderProps } from './DashboardProvider';
export { useDashboard, type DashboardState } from './useDashboard';
export { TimeRangePicker, type TimeRangePickerProps } from './TimeRangePicker';
export { FilterChips, type FilterChipsProps } from './FilterChips';
export { historyAdapter, type UrlAdapter } from './historyAdapter';
export type { Granularity, ResolvedRange, TimeParams, TimeRange } from './lib/range';
