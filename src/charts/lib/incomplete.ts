import { toTime, type Row } from './columns';

/**
 * Whether the last row of a time series is a bucket still filling: its period (the spacing of the last rows) has not
 * ended yet, so its value will still grow. A revenue-per-hour chart otherwise ends in a cliff at the current hour.
 */
export function lastBucketFilling(rows: readonly Row[], index: string, now = Date.now()): boolean {
  const n = rows.length;
  if (n < 2) return false;
  const times = rows.slice(-4).map((row) => toTime(row[index]));
  let step = Infinity;
  for (let i = 1; i < times.length; i++) step = Math.min(step, times[i]! - times[i - 1]!);
  if (!(step > 0 && Number.isFinite(step))) return false;
  return times.at(-1)! + step > now;
}
