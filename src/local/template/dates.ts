// Date and time validation for Date/DateTime/DateTime64 and the date_diff functions. Values are normalised to the
// forms ClickHouse parses from a string literal ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.fff]'), read as UTC.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export interface Parsed {
  ms: number; // epoch milliseconds (UTC)
  fraction: string; // '.123' or ''
  hasTime: boolean;
}

function valid(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** 'YYYY-MM-DD' only, and a real calendar day. */
export function parseDate(text: string): Parsed | null {
  const m = DATE.exec(text);
  if (!m || !valid(+m[1]!, +m[2]!, +m[3]!)) return null;
  return { ms: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!), fraction: '', hasTime: false };
}

/** A date, or a date and time with ' ' or 'T', optional seconds, fraction and Z/offset (ISO 8601). */
export function parseDateTime(text: string): Parsed | null {
  const m = DATETIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? undefined : +x,
  ) as number[];
  if (!valid(y!, mo!, d!, h, mi, s)) return null;
  let ms = Date.UTC(y!, mo! - 1, d!, h, mi, s);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const minutes = +z[2]! * 60 + +z[3]!;
    if (+z[2]! > 14 || +z[3]! > 59) return null;
    ms -= (z[1] === '+' ? 1 : -1) * minutes * 60_000;
  }
  return { ms, fraction: m[7] ?? '', hasTime: m[4] !== undefined };
}

export function formatDate(p: Parsed): string {
  return new Date(p.ms).toISOString().slice(0, 10);
}

export function formatDateTime(p: Parsed, withFraction: boolean): string {
  const base = new Date(p.ms).toISOString().slice(0, 19).replace('T', ' ');
  return withFraction ? base + p.fraction : base;
}
