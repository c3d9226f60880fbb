import type { Params } from 'react-tinybird';
import { dayText, startOfDay } from './zone';

/** The preset ranges, by the name the URL holds. */
export const PRESETS = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '12mo': 'Last 12 months',
  today: 'Today',
  yesterday: 'Yesterday',
} as const;

/**
 * A dashboard's time range: a preset (rolling ones are resolved against the dashboard's clock, never once at load) or a
 * fixed `{ start, end }` (end excluded).
 *
 * @example
 * ```ts
 * const rolling: TimeRange = '7d';
 * const fixed: TimeRange = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-02T00:00:00Z') };
 * ```
 */
export type TimeRange = keyof typeof PRESETS | { start: Date; end: Date };

/** Bucket sizes a range suggests, smallest first. */
export type Granularity = 'minute' | 'hour' | 'day' | 'week' | 'month';

/**
 * How the range reaches the endpoints: param names (`null` leaves one out) and the text format. 'datetime' sends
 * Tinybird's `DateTime` text in UTC (`2026-12-04 10:00:00`, end excluded); 'date' sends `Date` text (`2026-12-04`) of
 * the days in the dashboard's time zone, end included (the last day of the range); a function formats it yourself.
 *
 * @example
 * ```ts
 * const kit: TimeParams = { start: 'date_from', end: 'date_to', format: 'date', granularity: 'granularity' };
 * ```
 */
export interface TimeParams {
  /** Default 'start'. */
  start?: string | null;
  /** Default 'end'. */
  end?: string | null;
  /** Default 'datetime'. */
  format?: 'datetime' | 'date' | ((instant: Date, edge: 'start' | 'end') => string);
  /** Send the suggested granularity under this name. Default: not sent. */
  granularity?: string | null;
}

/** A range resolved to instants: `end` excluded. */
export interface ResolvedRange {
  start: Date;
  end: Date;
  granularity: Granularity;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROLLING: Partial<Record<keyof typeof PRESETS, number>> = {
  '1h': HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
};

export const isPreset = (value: unknown): value is keyof typeof PRESETS =>
  typeof value === 'string' && Object.hasOwn(PRESETS, value);

/** Throws a TypeError for a range that cannot be drawn: an unknown preset, an invalid date, start not before end. */
export function checkRange(range: TimeRange): TimeRange {
  if (typeof range === 'string') {
    if (!isPreset(range)) {
      throw new TypeError(
        `Unknown time range "${range}": use one of ${Object.keys(PRESETS).join(', ')}, or { start, end }.`,
      );
    }
    return range;
  }
  const start = range.start.getTime();
  const end = range.end.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) throw new TypeError('A time range needs valid start and end dates.');
  if (start >= end) throw new TypeError('A time range must start before it ends.');
  return range;
}

/** The instants a range covers at clock `now` in `timeZone` (an IANA name). */
export function resolveRange(range: TimeRange, now: number, timeZone: string): ResolvedRange {
  let start: number;
  let end: number;
  if (typeof range === 'object') {
    start = range.start.getTime();
    end = range.end.getTime();
  } else if (range === 'today' || range === 'yesterday') {
    // The clock is the end of the current minute (excluded): its day is the day of the instant just before, or in the
    // last minute before midnight "today" would already be tomorrow.
    start = startOfDay(now - 1, timeZone, range === 'today' ? 0 : -1);
    end = startOfDay(now - 1, timeZone, range === 'today' ? 1 : 0);
  } else if (range === '12mo') {
    end = now;
    const year = new Date(now);
    year.setUTCFullYear(year.getUTCFullYear() - 1);
    start = year.getTime();
  } else {
    end = now;
    start = now - ROLLING[range]!;
  }
  return { start: new Date(start), end: new Date(end), granularity: granularityOf(end - start) };
}

/** A bucket size that gives a readable number of points: 60 minutes, 24 hours, 7 or 30 days, 52 weeks, 12 months. */
export function granularityOf(span: number): Granularity {
  if (span <= 3 * HOUR) return 'minute';
  if (span <= 3 * DAY) return 'hour';
  if (span <= 90 * DAY) return 'day';
  if (span <= 200 * DAY) return 'week';
  return 'month';
}

/** The period of the same length just before. */
export function previousRange({ start, end, granularity }: ResolvedRange): ResolvedRange {
  const span = end.getTime() - start.getTime();
  return { start: new Date(start.getTime() - span), end: start, granularity };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: what Tinybird's DateTime() reads. */
const dateTimeText = (t: Date): string => t.toISOString().slice(0, 19).replace('T', ' ');

/** The params a resolved range sends, by {@link TimeParams}. */
export function rangeParams(range: ResolvedRange, options: TimeParams, timeZone: string): Params {
  const { start = 'start', end = 'end', format = 'datetime', granularity = null } = options;
  const text = (instant: Date, edge: 'start' | 'end'): string =>
    typeof format === 'function'
      ? format(instant, edge)
      : format === 'date'
        ? dayText(edge === 'end' ? instant.getTime() - 1 : instant.getTime(), timeZone)
        : dateTimeText(instant);
  const params: Params = {};
  if (start) params[start] = text(range.start, 'start');
  if (end) params[end] = text(range.end, 'end');
  if (granularity) params[granularity] = range.granularity;
  return params;
}
