import { DashboardContext } from 'react-tinybird';
import { useContext, type ReactNode } from 'react';
import type { PipeRef, RegisteredColumn } from 'react-tinybird';
import { ChartFrame } from './ChartFrame';
import { ChartSource, type ChartState } from './lib/ChartSource';
import { pickCategories, toNumber, type Row } from './lib/columns';
import { formatNumber } from './lib/format';
import { memoView } from './lib/memoView';
import type { ChartChromeProps, ChartDataProps, SeriesProps } from './lib/props';

/**
 * Props of {@link Metric}: the value column of the first row and, optionally, what its change is measured against.
 *
 * @example
 * ```ts
 * const props: MetricProps = { data: [{ p99_ms: 41, p99_prev_ms: 48 }], category: 'p99_ms', previousCategory: 'p99_prev_ms', lowerIsBetter: true };
 * ```
 */
export interface MetricProps<R extends Row = Row, P extends PipeRef = PipeRef>
  extends ChartDataProps<R, P>, ChartChromeProps, Pick<SeriesProps<R>, 'valueFormatter'> {
  /** The value column (first row). Default: the first numeric column. */
  category?: RegisteredColumn<P>;
  /** A column holding the previous period's value: the delta is computed from it. */
  previousCategory?: RegisteredColumn<P>;
  /** A column holding the absolute change against the previous period (value - previous). */
  deltaCategory?: RegisteredColumn<P>;
  /** The change as a fraction (0.12 = +12%), when you computed it yourself. */
  delta?: number;
  /** Set when a fall is the good news (latency, errors): colours flip. */
  lowerIsBetter?: boolean;
  /** Label under the number. Default: the column name. */
  label?: ReactNode;
  /**
   * Under a DashboardProvider: also query the previous period of the same length (the dashboard's previous time
   * params, the same filters) and show the change against it.
   */
  compare?: boolean;
}

const pct = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });

/**
 * A KPI: one big number from the first row, with an optional change against a previous value.
 *
 * @example
 * ```tsx
 * <Metric endpoint="kpis" params={{ days: 7 }} category="bookings" deltaCategory="bookings_delta" title="Bookings, last 7 days" />
 * ```
 */
export function Metric<R extends Row = Row, P extends PipeRef = PipeRef>(props: MetricProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  const untyped = props as MetricProps<R>;
  const dashboard = useContext(DashboardContext);
  if (!untyped.compare || !dashboard || untyped.endpoint === undefined) {
    return <ChartSource props={untyped}>{(state) => <MetricView {...untyped} state={state} />}</ChartSource>;
  }
  // The previous period's time params as this widget's own (they win over the dashboard's), its own params over both.
  const previous = { ...untyped, params: { ...dashboard.previousParams, ...untyped.params } };
  return (
    <ChartSource props={previous}>
      {(before) => (
        <ChartSource props={untyped}>
          {(state) => <MetricView {...untyped} state={state} before={before} />}
        </ChartSource>
      )}
    </ChartSource>
  );
}

// Memoised: a poll that brings equal rows re-renders the frame's footer, not this.
const MetricView = memoView(function MetricView<R extends Row>(
  props: MetricProps<R> & { state: ChartState<R>; before?: ChartState<R> },
): ReactNode {
  const { state, before, deltaCategory, lowerIsBetter = false } = props;
  const f = props.valueFormatter ?? formatNumber;
  const category = props.category ?? pickCategories(state.meta, undefined)[0] ?? '';
  const row = state.data[0];
  const value = toNumber(row?.[category]);
  const change = deltaCategory ? toNumber(row?.[deltaCategory]) : null;
  const previous = before
    ? toNumber(before.data[0]?.[category])
    : props.previousCategory
      ? toNumber(row?.[props.previousCategory])
      : value !== null && change !== null
        ? value - change
        : null;
  const delta = props.delta ?? (value !== null && previous ? (value - previous) / Math.abs(previous) : undefined);
  // Under half a tenth of a percent is no change: neutral, with no arrow that says up or down (nor "-0%").
  const flat = delta !== undefined && Math.abs(delta) < 0.0005;
  const trend = delta === undefined || flat ? 'flat' : delta > 0 !== lowerIsBetter ? 'good' : 'bad';
  const label = props.label ?? category;
  const aria =
    props['aria-label'] ??
    (typeof props.title === 'string' ? props.title : typeof label === 'string' ? label : category);

  return (
    <ChartFrame
      {...props}
      aria-label={aria}
      state={state}
      isEmpty={value === null}
      skeleton="metric"
      height={props.height ?? 64}
    >
      <div className="rtb-metric">
        <span className="rtb-metric-value" data-testid="rtb-metric-value">
          {value === null ? '' : f(value)}
        </span>
        <span style={{ display: 'flex', gap: 8, alignItems: 'center', color: 'var(--rtb-muted)' }}>
          {delta !== undefined && (
            <span className="rtb-delta" data-trend={trend}>
              <span aria-hidden>{flat ? '■' : delta > 0 ? '▲' : '▼'}</span>
              {pct.format(flat ? 0 : delta)}
              <span className="rtb-sr-only">{flat ? ' no change' : delta > 0 ? ' increase' : ' decrease'}</span>
            </span>
          )}
          <span>{label}</span>
        </span>
      </div>
    </ChartFrame>
  );
});
