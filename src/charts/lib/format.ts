/**
 * Formats a value for labels, tooltips and the hidden data table.
 *
 * @example
 * ```ts
 * const euros: ValueFormatter = (v) => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(v);
 * ```
 */
export type ValueFormatter = (value: number) => string;

const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
// Two fraction digits: round ticks such as 12.5K or 1.25M keep every digit.
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });

export const formatNumber: ValueFormatter = (value) => plain.format(value);

/** Axis ticks: short (12K) so labels never collide. */
export const formatCompact: ValueFormatter = (value) => compact.format(value);

/** Latency from statistics.elapsed (seconds, as Tinybird reports it). */
export function formatLatency(seconds: number): string {
  const ms = seconds * 1000;
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const dtf = (options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(undefined, options)));
  return f;
};

/**
 * A tick formatter that fits the span on screen: hours within a day, weekday + hour within a week, else month and day
 * (and year when the data crosses one).
 */
export function timeTickFormatter(
  min: number,
  max: number,
  timeZone: string,
  dateOnly: boolean,
): (t: number) => string {
  const day = 86_400_000;
  const span = max - min;
  const crossesYear = new Date(min).getUTCFullYear() !== new Date(max).getUTCFullYear();
  const options: Intl.DateTimeFormatOptions =
    !dateOnly && span <= day
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }
      : !dateOnly && span <= 7 * day
        ? { weekday: 'short', hour: '2-digit', hourCycle: 'h23', timeZone }
        : crossesYear
          ? { year: 'numeric', month: 'short', day: 'numeric', timeZone }
          : { month: 'short', day: 'numeric', timeZone };
  const f = dtf(options);
  return (t) => f.format(t);
}

/** Full timestamp for tooltips and the data table. */
export function formatTime(t: number, timeZone: string, dateOnly: boolean): string {
  return dtf(
    dateOnly
      ? { year: 'numeric', month: 'short', day: 'numeric', timeZone }
      : {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone,
        },
  ).format(t);
}
