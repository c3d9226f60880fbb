import type { ReactNode } from 'react';
import { CartesianChart, type CartesianProps } from './lib/CartesianChart';
import type { PipeRef } from 'react-tinybird';
import type { Row } from './lib/columns';

/**
 * Props of {@link AreaChart}: the rows (`endpoint` + `params`, or `data`), the series and the frame.
 *
 * @example
 * ```ts
 * const props: AreaChartProps = { endpoint: 'bookings_per_hour', index: 'hour', categories: ['bookings'], stacked: true };
 * ```
 */
export type AreaChartProps<R extends Row = Row, P extends PipeRef = PipeRef> = CartesianProps<R, P>;

/**
 * Filled areas per category; `stacked` shows how the parts add up over time.
 *
 * @example
 * ```tsx
 * <AreaChart endpoint="bookings_per_hour" index="hour" categories={['bookings', 'passengers']} stacked />
 * ```
 */
export function AreaChart<R extends Row = Row, P extends PipeRef = PipeRef>(props: AreaChartProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  return <CartesianChart {...(props as AreaChartProps<R>)} kind="area" />;
}
