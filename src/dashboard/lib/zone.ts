// Wall-clock arithmetic in an IANA time zone with Intl only (no date library): enough for day boundaries.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at instant `t`, as the UTC instant with the same fields. */
export function wallTime(t: number, timeZone: string): number {
  const f: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(t)) f[part.type] = Number(part.value);
  return Date.UTC(f.year!, f.month! - 1, f.day!, f.hour! % 24, f.minute!, f.second!);
}

/** The instant whose wall clock in `timeZone` reads `wall` (fields of a UTC instant). Twice, for DST edges. */
export function fromWallTime(wall: number, timeZone: string): number {
  let guess = wall - (wallTime(wall, timeZone) - wall);
  guess = wall - (wallTime(guess, timeZone) - guess);
  return guess;
}

/** Midnight `days` days after the day holding `t`, in `timeZone`. */
export function startOfDay(t: number, timeZone: string, days = 0): number {
  const wall = new Date(wallTime(t, timeZone));
  return fromWallTime(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + days), timeZone);
}

/** `YYYY-MM-DD` of the day holding `t` in `timeZone`. */
export function dayText(t: number, timeZone: string): string {
  return new Date(wallTime(t, timeZone)).toISOString().slice(0, 10);
}

/** 'local' is the viewer's own zone (the server's, when rendering on one). */
export const zoneOf = (timeZone: string): string =>
  timeZone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : timeZone;
