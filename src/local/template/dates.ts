// Dates as Tinybird's templates see them. Date/DateTime/DateTime64 check the text against Tinybird's patterns and pass
// it through unchanged (ClickHouse reads it); the date_diff functions parse with Python strptime formats.

// Tinybird's testers: `\d` is any Unicode digit in Python, `.` any character but a newline, and only Date is anchored
// at the end (Python's `$` also allows one trailing newline). DateTime and DateTime64 only check how the text starts.
const D = '\\p{Nd}';
const ANY = '[^\\n]';
const DATE = new RegExp(`^${D}{4}-${D}{2}-${D}{2}\\n?$`, 'u');
const DATETIME = [
  new RegExp(`^${D}{4}${ANY}${D}{2}${ANY}${D}{2}(?:T|\\s)${D}{2}:${D}{2}:${D}{2}`, 'u'),
  new RegExp(`^${D}{2}${ANY}${D}{2}${ANY}${D}{4}${ANY}${D}{1,2}:${D}{1,2}:${D}{1,2}`, 'u'),
];
const DATETIME64 = [
  new RegExp(`^${D}{4}${ANY}${D}{2}${ANY}${D}{2}(?:T|\\s)${D}{2}:${D}{2}:${D}{2}${ANY}${D}{3}`, 'u'),
  new RegExp(`^${D}{2}${ANY}${D}{2}${ANY}${D}{4}${ANY}${D}{1,2}:${D}{1,2}:${D}{1,2}${ANY}${D}{1,3}`, 'u'),
];

/** Whether `text` passes Tinybird's check for `type` (Date, DateTime or DateTime64). */
export function isDateText(text: string, type: string): boolean {
  if (type === 'Date') return DATE.test(text);
  return (type === 'DateTime64' ? DATETIME64 : DATETIME).some((p) => p.test(text));
}

// strptime's directives, as Python's _strptime matches them (case-insensitively, the whole text).
const DIRECTIVES: Record<string, string> = {
  Y: '(?<Y>\\d{4})',
  y: '(?<y>\\d{2})',
  m: '(?<m>1[0-2]|0[1-9]|[1-9])',
  d: '(?<d>3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(?<H>2[0-3]|[01]\\d|\\d)',
  M: '(?<M>[0-5]\\d|\\d)',
  S: '(?<S>6[01]|[0-5]\\d|\\d)',
  f: '(?<f>\\d{1,6})',
};

function formatPattern(format: string): RegExp | null {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%') {
      const d = format[++i];
      if (d === '%') out += '%';
      else if (d !== undefined && DIRECTIVES[d] && !out.includes(`(?<${d}>`)) out += DIRECTIVES[d];
      else return null; // %z, %a... and repeated fields: not supported here
    } else if (/\s/.test(c)) {
      while (/\s/.test(format[i + 1] ?? '')) i++;
      out += '\\s+';
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'i');
}

/** Microseconds since the epoch of `text` read with a strptime `format`, or null when it does not match. */
export function strptime(text: string, format: string): number | null {
  const g = formatPattern(format)?.exec(text)?.groups;
  if (!g) return null;
  const year = g.Y !== undefined ? +g.Y : g.y !== undefined ? (+g.y < 69 ? 2000 : 1900) + +g.y : 1900;
  const [month, day, h, mi, s] = [g.m ?? 1, g.d ?? 1, g.H ?? 0, g.M ?? 0, g.S ?? 0].map(Number) as number[];
  const t = new Date(Date.UTC(year, month! - 1, day!, h, mi, s));
  t.setUTCFullYear(year); // Date.UTC reads years below 100 as 19xx
  if (t.getUTCMonth() !== month! - 1 || t.getUTCDate() !== day || s! > 59) return null; // datetime() refuses these
  return t.getTime() * 1000 + (g.f === undefined ? 0 : +g.f.padEnd(6, '0'));
}
