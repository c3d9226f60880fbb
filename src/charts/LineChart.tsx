import type { ReactNode } from 'react';
import { CartesianChart, type CartesianProps } from './lib/CartesianChart';
import type { PipeRef } from 'react-tinybird';
import type { Row } from './lib/columns';

/**
 * Props of {@link LineChart}: the rows (`endpoint` + `params`, or `data`), the series and the frame.
 *
 * @example
 * ```ts
 * const props: LineChartProps = { endpoint: 'bookings_per_hour', index: 'hour', categories: ['bookings'], timeZone: 'Europe/Madrid' };
 * ```
 */
export type LineChartProps<R extends Row = Row, P extends PipeRef = PipeRef> = CartesianProps<R, P>;

/**
 * A line per category. A Date/DateTime index gets a time axis with ticks on round times.
 *
 * @example
 * ```tsx
 * <LineChart endpoint="bookings_per_hour" params={{ start, end }} index="hour" title="Bookings per hour" />
 * ```
 */
export function LineChart<R extends Row = Row, P extends PipeRef = PipeRef>(props: LineChartProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  return <CartesianChart {...(props as LineChartProps<R>)} kind="line" />;
}
