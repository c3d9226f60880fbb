import { useMemo, type ReactNode } from 'react';
import type { PipeRef, RegisteredColumn } from 'react-tinybird';
import {
  Area,
  AreaChart as RAreaChart,
  Bar,
  BarChart as RBarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart as RLineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from '../ChartFrame';
import { ChartSource, type ChartState } from './ChartSource';
import { ChartTooltip } from './ChartTooltip';
import { crossFilterParam, useCrossFilter } from './crossFilter';
import { isDateOnlyType, isTimeType, pickCategories, pickIndex, toNumber, toTime, type Row } from './columns';
import { formatCompact, formatNumber, formatTime, timeTickFormatter } from './format';
import { lastBucketFilling } from './incomplete';
import { Legend } from './Legend';
import { memoView } from './memoView';
import { niceTicks } from './niceTicks';
import { seriesColor } from './palette';
import type { ChartChromeProps, ChartDataProps, SeriesProps } from './props';
import { SrTable } from './SrTable';
import { StaticCartesian } from './StaticCartesian';
import { useHydrated } from './useHydrated';
import { timeTicks } from './timeTicks';
import { useHiddenSeries } from './useHiddenSeries';
import { useReducedMotion } from './useReducedMotion';

export interface CartesianProps<R extends Row, P extends PipeRef = PipeRef>
  extends ChartDataProps<R, P>, ChartChromeProps, SeriesProps<R, RegisteredColumn<P>> {
  /** Stack the series on top of each other. */
  stacked?: boolean;
  /**
   * The last bucket of a time series while it is still filling (its period has not ended): 'mark' draws it dashed
   * (faded bars, a shaded band when stacked), 'hide' leaves it out, 'show' draws it like the others. Default 'mark'.
   */
  incomplete?: 'mark' | 'hide' | 'show';
}

type Kind = 'bar' | 'line' | 'area';

const KIND_NAME: Record<Kind, string> = { bar: 'Bar chart', line: 'Line chart', area: 'Area chart' };
const TIME = '__rtb_time';
/** Suffix of the dashed series that draws the last, still-filling bucket of a line or area. */
const PARTIAL = '__rtb_partial';
/** What a responsive chart is drawn at before the browser measures it (see ChartChromeProps.initialWidth). */
const DEFAULT_WIDTH = 600;

/** Bar, line and area charts share everything but the mark they draw. */
export function CartesianChart<R extends Row>(
  props: CartesianProps<R> & { kind: Kind; layout?: 'vertical' | 'horizontal' },
): ReactNode {
  return (
    <ChartSource props={props} ownFilter={crossFilterParam(props.crossFilter)}>
      {(state) => <CartesianView {...props} state={state} />}
    </ChartSource>
  );
}

// Memoised: a poll that brings equal rows re-renders the frame's footer, not this.
const CartesianView = memoView(function CartesianView<R extends Row>(
  props: CartesianProps<R> & { kind: Kind; layout?: 'vertical' | 'horizontal' | undefined; state: ChartState<R> },
): ReactNode {
  const { state, kind, stacked = false, colors, timeZone = 'UTC', height = 280, width } = props;
  const reducedMotion = useReducedMotion();
  const hydrated = useHydrated();
  const [hidden, toggle] = useHiddenSeries();
  const index = pickIndex(state.meta, props.index);
  const indexType = state.meta.find((c) => c.name === index)?.type ?? '';
  const isTime = isTimeType(indexType);
  const dateOnly = isDateOnlyType(indexType);
  // The same array while the series are the same (keyed on their names), so the points below are rebuilt when the
  // rows or the series change, not on every render (a legend toggle, a hover, a fresh `categories` literal).
  const seriesKey = JSON.stringify(pickCategories(state.meta, index, props.categories));
  const categories = useMemo(() => JSON.parse(seriesKey) as string[], [seriesKey]);
  const valueFormatter = props.valueFormatter ?? formatNumber;
  const cross = useCrossFilter(props.crossFilter, index);
  const onRowClick =
    props.onRowClick || cross.toggle
      ? (row: R) => {
          cross.toggle?.(row);
          props.onRowClick?.(row);
        }
      : undefined;
  const incomplete = props.incomplete ?? 'mark';
  const filling = isTime && index !== undefined && incomplete !== 'show' && lastBucketFilling(state.data, index);
  const rows = useMemo(
    () => (filling && incomplete === 'hide' ? state.data.slice(0, -1) : state.data),
    [state.data, filling, incomplete],
  );
  // Dashed continuation for unstacked lines and areas; stacked ones get a shaded band, bars a faded last bar.
  const marked = filling && incomplete === 'mark';
  const dashed = marked && kind !== 'bar' && !stacked;
  const chosen = cross.selected === undefined ? -1 : rows.findIndex((row) => cross.valueOf(row) === cross.selected);
  const vertical = kind === 'bar' && props.layout === 'vertical';

  const points = useMemo(
    () =>
      rows.map((row, i) => {
        const point: Record<string, unknown> = { ...row };
        if (isTime && index) point[TIME] = toTime(row[index]);
        for (const c of categories) {
          point[c] = toNumber(row[c]);
          if (!dashed) continue;
          // The last segment moves to a dashed series of its own; the solid one stops at the last finished bucket.
          point[`${c}${PARTIAL}`] = i >= rows.length - 2 ? point[c] : null;
          if (i === rows.length - 1) point[c] = null;
        }
        return point;
      }),
    [rows, isTime, index, categories, dashed],
  );

  const times = isTime ? points.map((p) => p[TIME] as number) : [];
  const tMin = Math.min(...times);
  const tMax = Math.max(...times);
  const tickFormat = isTime ? timeTickFormatter(tMin, tMax, timeZone, dateOnly) : undefined;
  const labelOf = (value: unknown): string =>
    isTime ? formatTime(typeof value === 'number' ? value : toTime(value), timeZone, dateOnly) : String(value ?? '');

  const colorOf = (key: string) => seriesColor(categories.indexOf(key), colors);
  const showLegend = props.showLegend ?? categories.length > 1;
  const name = KIND_NAME[kind];
  const label =
    props['aria-label'] ??
    (typeof props.title === 'string' ? props.title : `${name}${props.endpoint ? ` of ${props.endpoint}` : ''}`);

  const summary = summarize(name, rows, index, categories, labelOf, valueFormatter);
  const xKey = isTime ? TIME : index;
  // Bars sit in bands, so a time index there stays categorical (one band per row) with time-formatted labels.
  const numericTime = isTime && kind !== 'bar';

  const chartProps = {
    data: points,
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
    accessibilityLayer: false,
    layout: vertical ? ('vertical' as const) : ('horizontal' as const),
    style: onRowClick ? { cursor: 'pointer' } : undefined,
    // Bars report their own index on click; lines and areas go by the hovered band.
    onClick:
      onRowClick && kind !== 'bar'
        ? (e: { activeTooltipIndex?: unknown } | null) => {
            const row = rows[Number(e?.activeTooltipIndex)];
            if (row) onRowClick(row);
          }
        : undefined,
  };
  const axisStyle = { stroke: 'var(--rtb-grid)' };
  const categoryAxis = {
    dataKey: xKey,
    tickLine: false,
    axisLine: axisStyle,
    tickFormatter: tickFormat ? (v: unknown) => tickFormat(typeof v === 'number' ? v : toTime(v)) : undefined,
    minTickGap: 16,
  };
  const shown = categories.filter((c) => !hidden.has(c));
  const valueTicks = valueAxisTicks(
    points,
    dashed ? [...shown, ...shown.map((c) => `${c}${PARTIAL}`)] : shown,
    stacked,
  );
  const valueAxis = {
    type: 'number' as const,
    ticks: valueTicks,
    domain: [valueTicks[0] ?? 0, valueTicks.at(-1) ?? 1],
    interval: 0 as const,
    tickLine: false,
    axisLine: false,
    tickFormatter: (v: number) => (props.valueFormatter ? props.valueFormatter(v) : formatCompact(v)),
    width: 'auto' as const,
  };
  const children = (
    <>
      <CartesianGrid stroke="var(--rtb-grid)" vertical={false} horizontal={!vertical} strokeDasharray="0" />
      {vertical ? (
        <>
          <XAxis {...valueAxis} />
          <YAxis type="category" {...categoryAxis} width={110} />
        </>
      ) : (
        <>
          <XAxis
            {...categoryAxis}
            {...(numericTime
              ? { type: 'number' as const, scale: 'time' as const, domain: [tMin, tMax], ticks: timeTicks(tMin, tMax) }
              : { type: 'category' as const })}
          />
          <YAxis {...valueAxis} />
        </>
      )}
      {marked && kind !== 'bar' && stacked && points.length >= 2 && (
        <ReferenceArea
          x1={points.at(-2)![xKey!] as number | string}
          x2={points.at(-1)![xKey!] as number | string}
          fill="var(--rtb-muted)"
          fillOpacity={0.12}
          className="rtb-incomplete"
        />
      )}
      {kind !== 'bar' && chosen >= 0 && (
        <ReferenceLine x={points[chosen]![xKey!] as number | string} stroke="var(--rtb-muted)" strokeWidth={2} />
      )}
      <Tooltip
        cursor={
          kind === 'bar'
            ? { fill: 'var(--rtb-grid)', opacity: 0.6 }
            : { stroke: 'var(--rtb-muted)', strokeDasharray: '3 3' }
        }
        content={<ChartTooltip formatLabel={(l) => labelOf(l)} formatValue={valueFormatter} colorOf={colorOf} />}
        isAnimationActive={false}
      />
      {categories.map((c) => {
        const common = {
          dataKey: c,
          name: c,
          hide: hidden.has(c),
          isAnimationActive: !reducedMotion,
          animationDuration: 700,
          stackId: stacked ? 'stack' : undefined,
        };
        const color = colorOf(c);
        if (kind === 'bar') {
          return (
            <Bar
              key={c}
              {...common}
              fill={color}
              radius={stacked ? 0 : vertical ? [0, 4, 4, 0] : [4, 4, 0, 0]}
              maxBarSize={56}
              onClick={onRowClick ? (_: unknown, i: number) => rows[i] && onRowClick(rows[i]) : undefined}
            >
              {/* The chosen bar stays, the others fade; a still-filling last bar is faded and outlined dashed. */}
              {(chosen >= 0 || marked) &&
                points.map((_, i) =>
                  marked && i === points.length - 1 ? (
                    <Cell key={i} fillOpacity={0.4} stroke={color} strokeDasharray="3 2" className="rtb-incomplete" />
                  ) : (
                    <Cell key={i} fillOpacity={chosen < 0 || i === chosen ? 1 : 0.35} />
                  ),
                )}
            </Bar>
          );
        }
        // The still-filling last bucket: the same series, dashed, left out of the tooltip (the solid one has it).
        const partial = dashed
          ? {
              ...common,
              dataKey: `${c}${PARTIAL}`,
              tooltipType: 'none' as const,
              strokeDasharray: '5 4',
              className: 'rtb-incomplete',
            }
          : undefined;
        if (kind === 'line') {
          const dot = points.length <= 48 ? { r: 3, fill: color } : false;
          return [
            <Line key={c} {...common} type="monotone" stroke={color} strokeWidth={2} dot={dot} />,
            partial && (
              <Line key={`${c}${PARTIAL}`} {...partial} type="monotone" stroke={color} strokeWidth={2} dot={dot} />
            ),
          ];
        }
        const fillOpacity = stacked ? 0.55 : 0.18;
        return [
          <Area
            key={c}
            {...common}
            type="monotone"
            stroke={color}
            strokeWidth={2}
            fill={color}
            fillOpacity={fillOpacity}
          />,
          partial && (
            <Area
              key={`${c}${PARTIAL}`}
              {...partial}
              type="monotone"
              stroke={color}
              strokeWidth={2}
              fill={color}
              fillOpacity={fillOpacity / 2}
            />
          ),
        ];
      })}
    </>
  );
  const Chart = kind === 'bar' ? RBarChart : kind === 'line' ? RLineChart : RAreaChart;

  return (
    <ChartFrame
      {...props}
      aria-label={label}
      height={height}
      state={state}
      skeleton={kind}
      summary={summary}
      after={
        <>
          {showLegend && (
            <Legend
              items={categories.map((c) => ({ key: c, label: c, color: colorOf(c) }))}
              hidden={hidden}
              onToggle={toggle}
              className={props.classNames?.legend}
            />
          )}
          <SrTable
            caption={label}
            columns={[index ?? '', ...categories]}
            rows={rows.map((r, i) => [
              `${labelOf(r[index ?? ''])}${marked && i === rows.length - 1 ? ' (incomplete)' : ''}`,
              ...categories.map((c) => fmt(r[c], valueFormatter)),
            ])}
          />
        </>
      }
    >
      {/* The SVG repeats what the hidden table says; screen readers get the table. */}
      <div className="rtb-chart" aria-hidden style={{ height }}>
        {!hydrated ? (
          <StaticCartesian
            kind={kind}
            points={points}
            categories={dashed ? [...shown, ...shown.map((c) => `${c}${PARTIAL}`)] : shown}
            xs={numericTime ? times : undefined}
            ticks={valueTicks}
            stacked={stacked}
            vertical={vertical}
            colorOf={(key) => colorOf(key.replace(PARTIAL, ''))}
            width={width ?? props.initialWidth ?? DEFAULT_WIDTH}
            height={height}
            fluid={width === undefined}
          />
        ) : width !== undefined ? (
          <Chart width={width} height={height} {...chartProps}>
            {children}
          </Chart>
        ) : (
          <ResponsiveContainer width="100%" height={height} minWidth={0}>
            <Chart {...chartProps}>{children}</Chart>
          </ResponsiveContainer>
        )}
      </div>
    </ChartFrame>
  );
});

/** Round ticks over what is drawn: each visible series' values, or their per-row totals when stacked. */
function valueAxisTicks(points: readonly Record<string, unknown>[], categories: readonly string[], stacked: boolean) {
  let min = 0;
  let max = 0;
  for (const point of points) {
    let up = 0;
    let down = 0;
    for (const c of categories) {
      const v = point[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (stacked) {
        if (v > 0) up += v;
        else down += v;
      } else {
        up = Math.max(up, v);
        down = Math.min(down, v);
      }
    }
    max = Math.max(max, up);
    min = Math.min(min, down);
  }
  return niceTicks(min, max);
}

const fmt = (v: unknown, f: (n: number) => string): string => {
  const n = toNumber(v);
  return n === null ? '' : f(n);
};

/** "Bar chart, 10 rows of bookings by airline. Highest: Ryanair 1,234. Lowest: ..." */
function summarize(
  name: string,
  rows: readonly Row[],
  index: string | undefined,
  categories: readonly string[],
  labelOf: (v: unknown) => string,
  f: (n: number) => string,
): string {
  const parts = [
    `${name}, ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} of ${categories.join(', ')} by ${index}.`,
  ];
  for (const c of categories.slice(0, 3)) {
    let hi: Row | undefined;
    let lo: Row | undefined;
    for (const r of rows) {
      const v = toNumber(r[c]);
      if (v === null) continue;
      if (!hi || v > (toNumber(hi[c]) ?? -Infinity)) hi = r;
      if (!lo || v < (toNumber(lo[c]) ?? Infinity)) lo = r;
    }
    if (hi && lo && index) {
      parts.push(
        `${c}: highest ${f(toNumber(hi[c])!)} at ${labelOf(hi[index])}, lowest ${f(toNumber(lo[c])!)} at ${labelOf(lo[index])}.`,
      );
    }
  }
  return parts.join(' ');
}
