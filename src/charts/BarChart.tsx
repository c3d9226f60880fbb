import type { ReactNode } from 'react';
import { CartesianChart, type CartesianProps } from './lib/CartesianChart';
import type { PipeRef } from 'react-tinybird';
import type { Row } from './lib/columns';

/**
 * Props of {@link BarChart}: the rows (`endpoint` + `params`, or `data`), the series, the frame and the bars' layout.
 *
 * @example
 * ```ts
 * const props: BarChartProps = { endpoint: 'top_airlines', params: { limit: 10 }, index: 'airline', layout: 'vertical' };
 * ```
 */
export interface BarChartProps<R extends Row = Row, P extends PipeRef = PipeRef> extends CartesianProps<R, P> {
  /** 'vertical' draws horizontal bars (labels on the left), for long labels. Default 'horizontal'. */
  layout?: 'horizontal' | 'vertical';
}

/**
 * Bars for each category of each row: queries `endpoint` with `params`, or draws `data`.
 *
 * @example
 * ```tsx
 * <BarChart endpoint="top_airlines" params={{ limit: 10 }} index="airline" categories={['bookings']} refreshInterval={5000} />
 * ```
 */
export function BarChart<R extends Row = Row, P extends PipeRef = PipeRef>(props: BarChartProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  return <CartesianChart {...(props as BarChartProps<R>)} kind="bar" />;
}
