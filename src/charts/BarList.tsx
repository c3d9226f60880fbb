import type { CSSProperties, ReactNode } from 'react';
import type { PipeRef, RegisteredColumn } from 'react-tinybird';
import { ChartFrame } from './ChartFrame';
import { ChartSource, type ChartState } from './lib/ChartSource';
import { crossFilterParam, useCrossFilter } from './lib/crossFilter';
import { pickCategories, pickIndex, toNumber, type Row } from './lib/columns';
import { formatNumber } from './lib/format';
import { memoView } from './lib/memoView';
import type { ChartChromeProps, ChartDataProps, SeriesProps } from './lib/props';

/**
 * Props of {@link BarList}: the rows, the label column (`index`) and the value column (`category`).
 *
 * @example
 * ```ts
 * const props: BarListProps = { endpoint: 'top_airlines', params: { limit: 8 }, index: 'airline', category: 'bookings' };
 * ```
 */
export interface BarListProps<R extends Row = Row, P extends PipeRef = PipeRef>
  extends
    ChartDataProps<R, P>,
    ChartChromeProps,
    Omit<SeriesProps<R, RegisteredColumn<P>>, 'categories' | 'showLegend' | 'timeZone'> {
  /** The value column. Default: the first numeric column. */
  category?: RegisteredColumn<P>;
}

/**
 * A ranked list with a bar behind each label: plain HTML (no SVG, no recharts), readable as a list by screen readers.
 *
 * @example
 * ```tsx
 * <BarList endpoint="top_airlines" params={{ limit: 8 }} index="airline" category="bookings" onRowClick={(r) => setAirline(r.airline)} />
 * ```
 */
export function BarList<R extends Row = Row, P extends PipeRef = PipeRef>(props: BarListProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  const untyped = props as BarListProps<R>;
  return (
    <ChartSource props={untyped} ownFilter={crossFilterParam(untyped.crossFilter)}>
      {(state) => <BarListView {...untyped} state={state} />}
    </ChartSource>
  );
}

// Memoised: a poll that brings equal rows re-renders the frame's footer, not this.
const BarListView = memoView(function BarListView<R extends Row>(
  props: BarListProps<R> & { state: ChartState<R> },
): ReactNode {
  const { state, colors, onRowClick, height } = props;
  const index = pickIndex(state.meta, props.index) ?? '';
  const category = props.category ?? pickCategories(state.meta, index)[0] ?? '';
  const f = props.valueFormatter ?? formatNumber;
  const values = state.data.map((r) => toNumber(r[category]) ?? 0);
  const max = Math.max(0, ...values);
  const tint = colors?.[0] ? ({ '--rtb-series-1': colors[0] } as CSSProperties) : undefined;
  const label = props['aria-label'] ?? (typeof props.title === 'string' ? props.title : `${category} by ${index}`);
  const cross = useCrossFilter(props.crossFilter, index);
  const click =
    onRowClick || cross.toggle
      ? (row: R) => {
          cross.toggle?.(row);
          onRowClick?.(row);
        }
      : undefined;

  return (
    <ChartFrame {...props} aria-label={label} height={height ?? 200} state={state} skeleton="list">
      <ul
        className="rtb-barlist"
        aria-label={label}
        style={{ ...tint, maxHeight: height, overflowY: height ? 'auto' : undefined }}
      >
        {state.data.map((row, i) => {
          const chosen = cross.selected !== undefined && cross.valueOf(row) === cross.selected;
          const dim = cross.selected !== undefined && !chosen;
          const content = (
            <>
              <span className="rtb-barlist-bar">
                <span
                  className="rtb-barlist-fill"
                  style={{
                    width: `${max > 0 ? Math.max(1, (values[i]! / max) * 100) : 0}%`,
                    opacity: dim ? 0.4 : undefined,
                  }}
                />
                <span className="rtb-barlist-label">{String(row[index] ?? '')}</span>
              </span>
              <span className="rtb-barlist-value">{f(values[i]!)}</span>
            </>
          );
          return (
            <li key={i}>
              {click ? (
                <button
                  type="button"
                  className="rtb-barlist-row"
                  aria-pressed={cross.toggle ? chosen : undefined}
                  style={chosen ? { fontWeight: 600 } : undefined}
                  onClick={() => click(row)}
                >
                  {content}
                </button>
              ) : (
                <div className="rtb-barlist-row">{content}</div>
              )}
            </li>
          );
        })}
      </ul>
    </ChartFrame>
  );
});
