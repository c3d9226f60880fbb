import type { ReactNode } from 'react';
import { CartesianChart, type CartesianProps } from './lib/CartesianChart';
import type { Row } from './lib/columns';

export type LineChartProps<R extends Row = Row> = CartesianProps<R>;

/**
 * A line per category. A Date/DateTime index gets a time axis with ticks on round times.
 *
 * @example
 * ```tsx
 * <LineChart endpoint="bookings_per_hour" params={{ start, end }} index="hour" title="Bookings per hour" />
 * ```
 */
export function LineChart<R extends Row = Row>(props: LineChartProps<R>): ReactNode {
  return <CartesianChart {...props} kind="line" />;
}
