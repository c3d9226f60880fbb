import type { ReactNode } from 'react';
import type { PipeRef, RegisteredColumn } from 'react-tinybird';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { ChartFrame } from './ChartFrame';
import { ChartSource, type ChartState } from './lib/ChartSource';
import { crossFilterParam, useCrossFilter } from './lib/crossFilter';
import { ChartTooltip } from './lib/ChartTooltip';
import { pickCategories, pickIndex, toNumber, type Row } from './lib/columns';
import { formatNumber } from './lib/format';
import { Legend } from './lib/Legend';
import { memoView } from './lib/memoView';
import { seriesColor } from './lib/palette';
import type { ChartChromeProps, ChartDataProps, SeriesProps } from './lib/props';
import { SrTable } from './lib/SrTable';
import { StaticDonut } from './lib/StaticDonut';
import { useHydrated } from './lib/useHydrated';
import { useHiddenSeries } from './lib/useHiddenSeries';
import { useReducedMotion } from './lib/useReducedMotion';

/**
 * Props of {@link DonutChart}: the rows, the slice names (`index`) and sizes (`category`).
 *
 * @example
 * ```ts
 * const props: DonutChartProps = { endpoint: 'top_airlines', params: { limit: 5 }, index: 'airline', category: 'bookings', showTotal: false };
 * ```
 */
export interface DonutChartProps<R extends Row = Row, P extends PipeRef = PipeRef>
  extends ChartDataProps<R, P>, ChartChromeProps, Omit<SeriesProps<R, RegisteredColumn<P>>, 'categories' | 'timeZone'> {
  /** The value column. Default: the first numeric column. */
  category?: RegisteredColumn<P>;
  /** Show the total in the hole. Default true. */
  showTotal?: boolean;
}

/**
 * One slice per row: `index` names it, `category` sizes it.
 *
 * @example
 * ```tsx
 * <DonutChart endpoint="top_airlines" params={{ limit: 5 }} index="airline" category="bookings" title="Share of bookings" />
 * ```
 */
export function DonutChart<R extends Row = Row>(props: DonutChartProps<R>): ReactNode {
  return (
    <ChartSource props={props} ownFilter={crossFilterParam(props.crossFilter)}>
      {(state) => <DonutView {...props} state={state} />}
    </ChartSource>
  );
}

// Memoised: a poll that brings equal rows re-renders the frame's footer, not this.
const DonutView = memoView(function DonutView<R extends Row>(
  props: DonutChartProps<R> & { state: ChartState<R> },
): ReactNode {
  const { state, colors, height = 260, width, showTotal = true } = props;
  const cross = useCrossFilter(props.crossFilter, pickIndex(state.meta, props.index));
  const onRowClick =
    props.onRowClick || cross.toggle
      ? (row: R) => {
          cross.toggle?.(row);
          props.onRowClick?.(row);
        }
      : undefined;
  const reducedMotion = useReducedMotion();
  const hydrated = useHydrated();
  const [hidden, toggle] = useHiddenSeries();
  const index = pickIndex(state.meta, props.index) ?? '';
  const category = props.category ?? pickCategories(state.meta, index)[0] ?? '';
  const f = props.valueFormatter ?? formatNumber;
  const slices = state.data.map((row, i) => ({
    key: String(row[index] ?? i),
    value: toNumber(row[category]) ?? 0,
    color: seriesColor(i, colors),
    row,
  }));
  const visible = slices.filter((s) => !hidden.has(s.key));
  const total = visible.reduce((sum, s) => sum + s.value, 0);
  const label =
    props['aria-label'] ??
    (typeof props.title === 'string' ? props.title : `Donut chart${props.endpoint ? ` of ${props.endpoint}` : ''}`);
  const top = [...slices].sort((a, b) => b.value - a.value)[0];
  const pct = (v: number) => (total > 0 ? `${Math.round((v / total) * 100)}%` : '');
  const summary = `Donut chart, ${slices.length} slices of ${category} by ${index}, total ${f(total)}.${
    top ? ` Largest: ${top.key} ${f(top.value)} (${pct(top.value)}).` : ''
  }`;
  const pie = (
    <>
      <Pie
        data={visible}
        dataKey="value"
        nameKey="key"
        innerRadius="62%"
        outerRadius="92%"
        paddingAngle={visible.length > 1 ? 1 : 0}
        stroke="var(--rtb-bg)"
        isAnimationActive={!reducedMotion}
        animationDuration={700}
        onClick={onRowClick ? (_: unknown, i: number) => visible[i] && onRowClick(visible[i].row) : undefined}
        style={onRowClick ? { cursor: 'pointer' } : undefined}
      >
        {visible.map((s) => (
          <Cell
            key={s.key}
            fill={s.color}
            fillOpacity={cross.selected !== undefined && cross.valueOf(s.row) !== cross.selected ? 0.35 : 1}
          />
        ))}
      </Pie>
      <Tooltip
        isAnimationActive={false}
        content={
          <ChartTooltip
            formatLabel={(_, e) => String(e?.name ?? '')}
            formatValue={(v) => `${f(v)} (${pct(v)})`}
            colorOf={() => ''}
          />
        }
      />
    </>
  );

  return (
    <ChartFrame
      {...props}
      aria-label={label}
      height={height}
      state={state}
      skeleton="donut"
      summary={summary}
      after={
        <>
          {(props.showLegend ?? true) && (
            <Legend
              items={slices.map((s) => ({ key: s.key, label: s.key, color: s.color }))}
              hidden={hidden}
              // Cross-filtering: a legend item chooses its slice (pressed = the filter) instead of hiding it.
              onToggle={cross.toggle ? (key) => cross.toggle!(slices.find((s) => s.key === key)!.row) : toggle}
              pressed={cross.toggle ? (key) => key === cross.selected : undefined}
              className={props.classNames?.legend}
            />
          )}
          <SrTable
            caption={label}
            columns={[index, category, 'share']}
            rows={slices.map((s) => [s.key, f(s.value), pct(s.value)])}
          />
        </>
      }
    >
      <div className="rtb-chart" aria-hidden style={{ height, position: 'relative' }}>
        {!hydrated ? (
          <StaticDonut
            slices={visible}
            width={width ?? props.initialWidth ?? 600}
            height={height}
            fluid={width === undefined}
          />
        ) : width !== undefined ? (
          <PieChart width={width} height={height} accessibilityLayer={false}>
            {pie}
          </PieChart>
        ) : (
          <ResponsiveContainer width="100%" height={height} minWidth={0}>
            <PieChart accessibilityLayer={false}>{pie}</PieChart>
          </ResponsiveContainer>
        )}
        {showTotal && (
          <div
            style={{
              position: 'absolute',
              inset: 0,
              display: 'grid',
              placeItems: 'center',
              pointerEvents: 'none',
              textAlign: 'center',
            }}
          >
            <div>
              <div style={{ fontSize: 22, fontWeight: 650, fontVariantNumeric: 'tabular-nums' }}>{f(total)}</div>
              <div style={{ fontSize: 12, color: 'var(--rtb-muted)' }}>{category}</div>
            </div>
          </div>
        )}
      </div>
    </ChartFrame>
  );
});
