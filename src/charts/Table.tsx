import { useMemo, useState, type ReactNode } from 'react';
import type { PipeRef, RegisteredColumn } from 'react-tinybird';
import { ChartFrame } from './ChartFrame';
import { ChartSource, type ChartState } from './lib/ChartSource';
import { crossFilterParam, useCrossFilter } from './lib/crossFilter';
import { isDateOnlyType, isNumericType, isTimeType, toNumber, toTime, type Row } from './lib/columns';
import { formatNumber, formatTime } from './lib/format';
import { memoView } from './lib/memoView';
import type { ChartChromeProps, ChartDataProps, SeriesProps } from './lib/props';

/**
 * Props of {@link Table}: the rows, which columns to show and what to call them.
 *
 * @example
 * ```ts
 * const props: TableProps = { endpoint: 'user_bookings', columns: ['timestamp', 'price'], headers: { price: 'Price (€)' } };
 * ```
 */
export interface TableProps<R extends Row = Row, P extends PipeRef = PipeRef>
  extends
    ChartDataProps<R, P>,
    ChartChromeProps,
    Pick<SeriesProps<R>, 'valueFormatter' | 'onRowClick' | 'timeZone' | 'crossFilter'> {
  /** Columns to show, in order. Default: every column in meta. */
  columns?: readonly RegisteredColumn<P>[];
  /** Column headers' labels. Default: the column names. */
  headers?: Partial<Record<string, ReactNode>>;
}

// Text sorts as people expect: case-insensitive, numbers inside strings by value.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type Sort = { column: string; dir: 'ascending' | 'descending' } | null;

/**
 * The rows as an HTML table: numbers right-aligned and formatted, times readable, sortable headers, keyboard-clickable rows.
 * `height` caps the table's height (it scrolls, headers stay put).
 *
 * @example
 * ```tsx
 * <Table endpoint="user_bookings" columns={['timestamp', 'origin', 'destination', 'price']} height={320} />
 * ```
 */
export function Table<R extends Row = Row, P extends PipeRef = PipeRef>(props: TableProps<R, P>): ReactNode {
  // Typed at the call site; drawn from free-form props.
  const untyped = props as TableProps<R>;
  return (
    <ChartSource props={untyped} ownFilter={crossFilterParam(untyped.crossFilter)}>
      {(state) => <TableView {...untyped} state={state} />}
    </ChartSource>
  );
}

// Memoised: a poll that brings equal rows re-renders the frame's footer, not this.
const TableView = memoView(function TableView<R extends Row>(
  props: TableProps<R> & { state: ChartState<R> },
): ReactNode {
  const { state, height, timeZone = 'UTC', headers = {} } = props;
  const cross = useCrossFilter(props.crossFilter, undefined);
  const onRowClick =
    props.onRowClick || cross.toggle
      ? (row: R) => {
          cross.toggle?.(row);
          props.onRowClick?.(row);
        }
      : undefined;
  const [sort, setSort] = useState<Sort>(null);
  const f = props.valueFormatter ?? formatNumber;
  const columns = props.columns ?? state.meta.map((c) => c.name);
  const typeOf = (c: string) => state.meta.find((m) => m.name === c)?.type ?? '';
  const cell = (c: string, v: unknown): string => {
    const type = typeOf(c);
    if (v === null || v === undefined) return '';
    if (isTimeType(type)) return formatTime(toTime(v), timeZone, isDateOnlyType(type));
    if (isNumericType(type)) return toNumber(v) === null ? String(v) : f(toNumber(v)!);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const rows = useMemo(() => {
    if (!sort) return state.data;
    const type = state.meta.find((m) => m.name === sort.column)?.type ?? '';
    const key = (v: unknown) =>
      isNumericType(type) ? (toNumber(v) ?? -Infinity) : isTimeType(type) ? toTime(v) : String(v ?? '');
    const sign = sort.dir === 'ascending' ? 1 : -1;
    return [...state.data].sort((a, b) => {
      const x = key(a[sort.column]);
      const y = key(b[sort.column]);
      const order =
        typeof x === 'string' && typeof y === 'string' ? collator.compare(x, y) : x < y ? -1 : x > y ? 1 : 0;
      return order * sign;
    });
  }, [state.data, state.meta, sort]);
  const label =
    props['aria-label'] ??
    (typeof props.title === 'string' ? props.title : `Table${props.endpoint ? ` of ${props.endpoint}` : ''}`);

  return (
    <ChartFrame {...props} aria-label={label} height={height ?? 200} state={state} skeleton="table">
      <div className="rtb-table-wrap" style={{ maxHeight: height }}>
        <table className="rtb-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c}
                  scope="col"
                  className={isNumericType(typeOf(c)) ? 'rtb-num' : undefined}
                  aria-sort={sort?.column === c ? sort.dir : undefined}
                >
                  <button
                    type="button"
                    className="rtb-legend-item"
                    style={{ padding: 0, color: 'inherit', fontWeight: 'inherit', textDecoration: 'none' }}
                    onClick={() =>
                      setSort((s) =>
                        s?.column !== c
                          ? { column: c, dir: 'descending' }
                          : s.dir === 'descending'
                            ? { column: c, dir: 'ascending' }
                            : null,
                      )
                    }
                  >
                    {headers[c] ?? c}
                    <span aria-hidden>{sort?.column === c ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr
                key={i}
                aria-current={
                  cross.selected !== undefined && cross.valueOf(row) === cross.selected ? 'true' : undefined
                }
                tabIndex={onRowClick ? 0 : undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                onKeyDown={
                  onRowClick
                    ? (e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          onRowClick(row);
                        }
                      }
                    : undefined
                }
              >
                {columns.map((c) => (
                  <td key={c} className={isNumericType(typeOf(c)) ? 'rtb-num' : undefined}>
                    {cell(c, row[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartFrame>
  );
});
