// ClickHouse literal and identifier quoting. Everything a request can influence reaches SQL through one of these.
import { TemplateError, show } from './errors';

// In /u mode a valid surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /\p{Cs}/u;
const NAMED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * A single-quoted ClickHouse string literal that reads back as exactly `value`. Backslash escapes (ClickHouse's own)
 * for `\` and `'`; control characters become `\xHH` so the literal stays on one line (a raw newline would end a `--`
 * comment the literal might sit in). `%` and `_` are left alone: `\%` would keep its backslash in ClickHouse.
 */
export function quoteString(value: string): string {
  // A lone UTF-16 surrogate (possible in JSON bodies) cannot be encoded as UTF-8: it would not read back as sent.
  if (LONE_SURROGATE.test(value)) throw new TemplateError(`Template Syntax Error: invalid unicode in '${show(value)}'`);
  // Control characters are what this escapes: the class names them on purpose.
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/[\\'\x00-\x1f\x7f]/g, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/**
 * A string value as Tinybird renders it: quoted as {@link quoteString}, and every `%` written `\\%`. ClickHouse keeps
 * that backslash, so the literal reads `50\\%` for `50%`: a `%` is literal in a LIKE pattern, and `= {{String(x)}}`
 * never matches a value with a `%` in it, both as on Tinybird. sql_unescape(x, '%') is the way back.
 */
export function quoteValue(value: string): string {
  return quoteString(value).replace(/%/g, '\\%');
}

/**
 * A backtick-quoted name as Tinybird's symbol() writes it, whole (a dot is part of the name): `"` dropped, the rest
 * escaped as in a string value (ClickHouse reads the same escapes inside backticks), backticks too.
 */
export function quoteName(name: string): string {
  return `\`${quoteValue(name.replace(/"/g, '')).slice(1, -1).replace(/`/g, '\\`')}\``;
}

const SEGMENT = /^[A-Za-z0-9_]+$/;

/**
 * A backtick-quoted identifier, `a.b` as `` `a`.`b` `` (Tinybird's column()). Only `[A-Za-z0-9_]` per segment:
 * validation rather than escaping, so no backtick, quote or space ever reaches an identifier position.
 */
export function quoteIdentifier(name: string, what = 'column'): string {
  const parts = name.split('.');
  if (name.length > 256 || !parts.every((p) => SEGMENT.test(p))) {
    throw new TemplateError(
      `Template Syntax Error: invalid ${what} name '${show(name)}': use letters, digits, '_' and '.'`,
    );
  }
  return parts.map((p) => `\`${p}\``).join('.');
}

/**
 * A JS number as a ClickHouse numeric literal. Negative numbers get a leading space so `1 -{{n}}` cannot become
 * `1 --5`, a comment that would swallow the rest of the line.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TemplateError(`Template Syntax Error: cannot render ${n} as a number`);
  const text = Object.is(n, -0) ? '0' : String(n);
  return n < 0 ? ` ${text}` : text;
}
