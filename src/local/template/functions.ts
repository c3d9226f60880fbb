// The rest of Tinybird's template functions (column, sql_and, split_to_array, day_diff, error...) and the table the
// evaluator looks names up in. A name missing here is an error: there is no way to reach anything else.
import type { Call, TemplateFunction } from './call';
import { arg, argString, paramName } from './call';
import { parseDate, parseDateTime } from './dates';
import { TemplateError } from './errors';
import { quoteIdentifier, quoteString } from './quote';
import { float, integer, TYPE_FUNCTIONS } from './types';
import { Opaque, Sql, toSql, toText, type Value } from './values';

/** A one-value function given repeated parameters: the last one wins (an empty JSON list counts as ''). */
function last(v: Value): Value {
  return Array.isArray(v) ? (v.length ? v[v.length - 1]! : '') : v;
}

function identifierInput(call: Call, what: string): string {
  const v = last(arg(call, 0) ?? null) ?? arg(call, 1, 'default') ?? null;
  if (v === null) {
    throw new TemplateError(
      `Template Syntax Error: Missing ${what}() default value, use \`${what}(${paramName(call) || 'name'}, 'default_name')\``,
    );
  }
  if (typeof v !== 'string') throw new TemplateError(`Template Syntax Error: ${what}() expects a string`);
  return v;
}

/** column(x, 'default'): a backtick-quoted, validated column name. */
const column: TemplateFunction = (call) => new Sql(quoteIdentifier(identifierInput(call, call.fn), 'column'));

/** columns('a,b', 'default', fn='max'): a list of quoted column names, optionally each wrapped in fn(). */
const columns: TemplateFunction = (call) => {
  const raw = arg(call, 0) ?? null;
  const list = Array.isArray(raw) ? raw.map((x) => toText(x)) : identifierInput(call, 'columns').split(',');
  const fn = argString(call, 2, 'fn');
  if (fn !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn))
    throw new TemplateError(`Template Syntax Error: invalid function name in columns()`);
  const names = list.map((c) => c.trim());
  if (names.length === 0) throw new TemplateError('Template Syntax Error: columns() needs at least one column name');
  return new Sql(
    names.map((c) => (fn ? `${fn}(${quoteIdentifier(c)}) AS ${quoteIdentifier(c)}` : quoteIdentifier(c))).join(','),
  );
};

// Tinybird's sql_and knows these suffixes only (no eq/ne: `col=x` is the equality).
const OPERATORS: Record<string, string> = {
  in: 'IN',
  not_in: 'NOT IN',
  gt: '>',
  lt: '<',
  gte: '>=',
  lte: '<=',
};

/**
 * sql_and(col__in=..., col__gt=...): one condition per defined argument, joined with AND. With none defined it renders
 * nothing, as Tinybird does, so `WHERE {{sql_and(...)}}` fails there and here alike; write `WHERE 1 AND ...`.
 */
const sqlAnd: TemplateFunction = (call) => {
  const parts: string[] = [];
  for (const [key, v] of call.kwargs) {
    if (v === null) continue;
    const cut = key.lastIndexOf('__');
    const op = cut > 0 ? OPERATORS[key.slice(cut + 2)] : '=';
    if (!op) throw new TemplateError(`Template Syntax Error: operand ${key.slice(cut + 2)} not supported`);
    const name = cut > 0 ? key.slice(0, cut) : key; // a keyword name: the lexer allowed only [A-Za-z0-9_]
    let value = v;
    if ((op === 'IN' || op === 'NOT IN') && typeof v === 'string') value = v.split(',').map((s) => s.trim());
    parts.push(`${name} ${op} ${toSql(value, key).trim()}`);
  }
  return new Sql(parts.join(' AND '));
};

/** split_to_array(x, default='', separator=','): a list of trimmed strings. */
const splitToArray: TemplateFunction = (call) => {
  const v = arg(call, 0) ?? null;
  const sep = argString(call, 2, 'separator') ?? ',';
  if (Array.isArray(v)) return v.map((x) => toText(x).trim());
  const text = v ?? arg(call, 1, 'default') ?? '';
  if (typeof text !== 'string') throw new TemplateError('Template Syntax Error: split_to_array() expects a string');
  return text.split(sep).map((s) => s.trim());
};

const UNITS: Record<string, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 };

/** date_diff_in_<unit>(a, b): whole units between two dates/datetimes, absolute, as Tinybird. */
function dateDiff(unit: string, dateOnly: boolean): TemplateFunction {
  return (call) => {
    const [a, b] = [last(arg(call, 0) ?? null), last(arg(call, 1) ?? null)];
    const parse = (x: Value) => (typeof x === 'string' ? (dateOnly ? parseDate(x) : parseDateTime(x)) : null);
    const pa = parse(a);
    const pb = parse(b);
    if (!pa || !pb) {
      if (call.kwargs.get('none_if_error') === true) return null;
      const d = call.kwargs.get('default');
      if ((a === null || b === null) && d !== undefined && d !== null) return d;
      throw new TemplateError(
        `Template Syntax Error: invalid date format in function \`${call.fn}\`, ` +
          (dateOnly ? 'it must be ISO format date YYYY-MM-DD, e.g. 2018-09-26' : 'use YYYY-MM-DD hh:mm:ss or ISO 8601'),
      );
    }
    return Math.trunc(Math.abs(pb.ms - pa.ms) / UNITS[unit]!);
  };
}

/** error(msg, code): Tinybird drops the code and answers 400. */
const fail: TemplateFunction = (call) => {
  throw new TemplateError(toText(arg(call, 0, 's') ?? 'error'), 400);
};

/** custom_error(msg, code): the pipe picks the status (any HTTP error status, else 400). */
const customFail: TemplateFunction = (call) => {
  const code = arg(call, 1, 'code');
  throw new TemplateError(toText(arg(call, 0, 's') ?? 'error'), typeof code === 'number' ? code : 400);
};

/** Query hints Tinybird turns into settings: accepted so pipes run, with no effect locally. */
const hint: TemplateFunction = () => new Sql('');

/**
 * tb_secret('NAME', default) / tb_var: Tinybird reads workspace secrets; locally the secret is the server's environment
 * variable of that name, then the default. A string like any other, so it renders quoted, never spliced raw.
 */
const secret: TemplateFunction = (call) => {
  const name = toText(arg(call, 0) ?? '');
  const fromEnv = name ? process.env[name] : undefined;
  if (fromEnv !== undefined) return fromEnv;
  const d = arg(call, 1, 'default');
  if (d !== undefined && d !== null) return d;
  throw new TemplateError(
    `Template Syntax Error: Cannot access secret '${name}'. Check the secret exists in the Workspace and the token ` +
      `has the required scope (locally: set the environment variable ${name} or give a default)`,
  );
};

export const FUNCTIONS: Record<string, TemplateFunction> = {
  ...TYPE_FUNCTIONS,
  defined: (call) => (arg(call, 0) ?? null) !== null,
  column,
  Column: column,
  symbol: column,
  Symbol: column,
  columns,
  sql_and: sqlAnd,
  split_to_array: splitToArray,
  enumerate_with_last: (call) => {
    const v = arg(call, 0) ?? null;
    const list = v instanceof Sql ? (v.items ?? []) : Array.isArray(v) ? v : [];
    return list.map((x, i) => [i === list.length - 1, x]);
  },
  day_diff: dateDiff('days', true),
  date_diff_in_days: dateDiff('days', false),
  date_diff_in_hours: dateDiff('hours', false),
  date_diff_in_minutes: dateDiff('minutes', false),
  date_diff_in_seconds: dateDiff('seconds', false),
  sql_unescape: (call) => new Sql(quoteString(toText(arg(call, 0) ?? ''))), // we never escape % or _: nothing to undo
  error: fail,
  custom_error: customFail,
  tb_secret: secret,
  tb_var: secret,
  max_threads: hint,
  backend_hint: hint,
  cache_ttl: hint,
  activate: hint,
  disable: hint,
  len: (call) => {
    const v = arg(call, 0) ?? null;
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v instanceof Sql && v.items) return v.items.length;
    throw new TemplateError(`Template Syntax Error: object of type ${v === null ? 'NoneType' : typeof v} has no len()`);
  },
  str: (call) => toText(arg(call, 0) ?? ''),
  int: (call) => Number(integer(last(arg(call, 0) ?? null), 'Int64')),
  float: (call) => float(last(arg(call, 0) ?? null), 'Float64'),
};

/** Methods on strings and lists that templates commonly use (x.lower() == 'asc'). */
export function callMethod(obj: Value, name: string, args: Value[]): Value {
  if (obj instanceof Opaque || obj === null || !(typeof obj === 'string' || Array.isArray(obj))) {
    throw new TemplateError(`Template Syntax Error: .${name}() is not available on this value`);
  }
  const s = typeof obj === 'string' ? obj : null;
  const a0 = args[0];
  const str0 = typeof a0 === 'string' ? a0 : undefined;
  if (s !== null) {
    switch (name) {
      case 'lower':
        return s.toLowerCase();
      case 'upper':
        return s.toUpperCase();
      case 'strip':
        return s.trim();
      case 'startswith':
        return str0 !== undefined && s.startsWith(str0);
      case 'endswith':
        return str0 !== undefined && s.endsWith(str0);
      case 'split':
        return str0 === undefined ? s.trim().split(/\s+/).filter(Boolean) : s.split(str0);
      case 'replace':
        if (str0 !== undefined && typeof args[1] === 'string') return s.split(str0).join(args[1]);
        break;
      case 'isdigit':
        return /^\d+$/.test(s);
      default:
        break;
    }
  }
  throw new TemplateError(`Template Syntax Error: .${name}() is not supported`);
}
