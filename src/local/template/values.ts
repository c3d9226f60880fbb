// The runtime values of the expression language and how each one becomes SQL.
import { TemplateError } from './errors';
import { checkString } from './limits';
import { formatNumber, quoteString, quoteValue } from './quote';

/** SQL built by a template function from validated/quoted parts (column(), Array(), sql_and()...): emitted as is. */
export class Sql {
  /** items: the validated elements when this is an Array(), so `{% for %}` and `in` can use them. */
  constructor(
    readonly sql: string,
    readonly items?: Value[],
  ) {}
}

/** A number from a sized type function (Int32, Float64...): compares as a number, renders as `toInt32('10')`. */
export class Typed {
  constructor(
    readonly num: number,
    readonly text: string,
    readonly type: string,
  ) {}
}

/** A JSON object from a POST body: usable in defined() and comparisons, never rendered. */
export class Opaque {
  constructor(readonly value: unknown) {}
}

export type Value = null | boolean | number | string | Value[] | Sql | Typed | Opaque;

/** A request value as the template sees it. undefined (not sent) becomes None. */
export function fromParam(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(fromParam);
  if (v instanceof Date) return v.toISOString();
  return new Opaque(v);
}

export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Sql) return v.sql !== '';
  if (v instanceof Typed) return v.num !== 0;
  if (v instanceof Opaque) return true;
  return Boolean(v);
}

/** The number in v, if it is one (Python: True == 1). */
export function asNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Typed) return v.num;
  return null;
}

export function equals(a: Value, b: Value): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null || nb !== null) return na === nb;
  if (a instanceof Sql) a = a.sql;
  if (b instanceof Sql) b = b.sql;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i]!));
  if (a instanceof Opaque || b instanceof Opaque) return a === b;
  return a === b;
}

export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Sql) return 'str';
  if (v instanceof Typed || typeof v === 'number') return Number.isInteger(asNumber(v)) ? 'int' : 'float';
  if (v instanceof Opaque) return 'dict';
  return typeof v === 'boolean' ? 'bool' : 'str';
}

/** < <= > >= with Python's rule that unlike types do not compare (None < 1 is an error, not false). */
export function compare(op: string, a: Value, b: Value): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  let c: number;
  if (na !== null && nb !== null) c = na - nb;
  else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else {
    throw new TemplateError(
      `Template Syntax Error: '${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'. ` +
        'If you are using a parameter, wrap it in a type function (e.g. Int32(x, 0))',
    );
  }
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

/**
 * A value as SQL. This is what `{{ x }}` emits for anything not already SQL: strings quoted and escaped, numbers
 * validated, booleans 1/0, lists as ClickHouse arrays. None is an error (Tinybird's: it would render as nothing).
 */
export function toSql(v: Value, src: string): string {
  if (v === null) throw new TemplateError(`Template Syntax Error: expression "${src.slice(0, 40)}" evaluated to null`);
  if (v instanceof Sql) return v.sql;
  if (v instanceof Typed) return `to${v.type}(${quoteString(v.text)})`;
  if (typeof v === 'string') return quoteValue(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v)) return `[${joined(v, ',', (x) => toSql(x, src).trim())}]`;
  throw new TemplateError(
    `Template Syntax Error: expression "${src.slice(0, 40)}" is an object and cannot be rendered`,
  );
}

/** The items of a list as text, joined: refused as soon as it grows past the longest string a template may build. */
function joined(items: Value[], separator: string, text: (v: Value) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (const item of items) {
    const part = text(item);
    length += part.length + separator.length;
    checkString(length);
    parts.push(part);
  }
  return parts.join(separator);
}

/** Python's str() for the few places that need text (error(), string concatenation is not one: that is strict). */
export function toText(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Sql) return v.sql;
  if (v instanceof Typed) return v.text;
  if (Array.isArray(v)) return `[${joined(v, ', ', (x) => (typeof x === 'string' ? `'${x}'` : toText(x)))}]`;
  if (v instanceof Opaque) return JSON.stringify(v.value);
  return String(v);
}

/** A value as plain JSON (a dict's entries, custom_error()'s body): Python's json.dumps of it. */
export function toJson(v: Value): unknown {
  if (v instanceof Opaque) return v.value;
  if (v instanceof Typed) return v.num;
  if (v instanceof Sql) return v.items ? v.items.map(toJson) : v.sql;
  return Array.isArray(v) ? v.map(toJson) : v;
}

/** A JSON object (a dict), not a list or null. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
