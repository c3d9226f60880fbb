import type { ColumnMeta } from 'react-tinybird';
import { secondsOrMs } from '../../core/internal/epoch';

/**
 * A row as Tinybird returns it: column name -> JSON value.
 *
 * @example
 * ```ts
 * const row: Row = { airline: 'Iberia', bookings: 300 };
 * ```
 */
export type Row = Record<string, unknown>;

// ClickHouse wraps types (Nullable(Int64), LowCardinality(String)); look through the wrappers.
const unwrap = (type: string): string => {
  const m = /^(?:Nullable|LowCardinality|SimpleAggregateFunction\([^,]+,)\((.*)\)$/.exec(type.trim());
  return m?.[1] !== undefined ? unwrap(m[1]) : type.trim();
};

/** Date, Date32, DateTime, DateTime('UTC'), DateTime64(3): drawn on a time axis. */
export const isTimeType = (type: string): boolean => /^Date(Time(64)?)?(32)?\b/.test(unwrap(type));

export const isNumericType = (type: string): boolean => /^(U?Int\d+|Float\d+|Decimal)/.test(unwrap(type));

export const isDateOnlyType = (type: string): boolean => /^Date(32)?$/.test(unwrap(type));

/** Meta for rows that came without it (the `data` prop): numbers and Dates are recognised by value. */
export function inferMeta(rows: readonly Row[]): ColumnMeta[] {
  const first = rows[0];
  if (!first) return [];
  return Object.keys(first).map((name) => {
    const value = rows.find((r) => r[name] !== null && r[name] !== undefined)?.[name];
    const type = typeof value === 'number' ? 'Float64' : value instanceof Date ? 'DateTime' : 'String';
    return { name, type };
  });
}

/** The label column: the one asked for, else the first time or text column, else the first column. */
export function pickIndex(meta: readonly ColumnMeta[], index?: string): string | undefined {
  if (index) return index;
  return (meta.find((c) => isTimeType(c.type)) ?? meta.find((c) => !isNumericType(c.type)) ?? meta[0])?.name;
}

/** The series: the ones asked for, else every numeric column except the index. */
export function pickCategories(
  meta: readonly ColumnMeta[],
  index: string | undefined,
  categories?: readonly string[],
): string[] {
  if (categories) return [...categories];
  return meta.filter((c) => c.name !== index && isNumericType(c.type)).map((c) => c.name);
}

/**
 * Epoch ms for a Date/DateTime value. Tinybird sends DateTime as 'YYYY-MM-DD hh:mm:ss' without a zone; ClickHouse means the
 * server's zone, which is UTC on Tinybird, so read it as UTC.
 */
export function toTime(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return secondsOrMs(value);
  const text = String(value);
  const iso = text.includes('T') || /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  return Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : iso);
}

/** Numbers can arrive as strings (Decimal, UInt64 with quoting on): charts need real numbers. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
