// The rest of Tinybird's template functions (column, sql_and, split_to_array, day_diff, error...) and the table the
// evaluator looks names up in. A name missing here is an error: there is no way to reach anything else.
import type { Call, TemplateFunction } from './call';
import { arg, argString, paramName } from './call';
import { strptime } from './dates';
import { show, TemplateError } from './errors';
import { quoteIdentifier, quoteName, quoteString, quoteValue } from './quote';
import { BUILTINS } from './builtins';
import { checkList, MAX_LIST } from './limits';
import { TYPE_FUNCTIONS } from './types';
import { asNumber, fromParam, isRecord, Opaque, Sql, toSql, toText, truthy, type Value } from './values';

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

// Tinybird's sql_and knows these suffixes only (no eq/ne: `col=x` is the equality), written as it writes them.
const OPERATORS: Record<string, string> = {
  in: 'in',
  not_in: 'not in',
  gt: '>',
  lt: '<',
  gte: '>=',
  lte: '<=',
};

/**
 * sql_and(col__in=..., col__gt=...): one condition per defined argument, joined with `and`. With none defined it
 * renders nothing, as Tinybird does, so `WHERE {{sql_and(...)}}` fails there and here alike; write `WHERE 1 AND ...`.
 * A list for `__in` comes from Array(); a plain string stays one string (`col in 'a,b'`), as in Tinybird.
 */
const sqlAnd: TemplateFunction = (call) => {
  const parts: string[] = [];
  for (const [key, v] of call.kwargs) {
    if (v === null) continue;
    const cut = key.lastIndexOf('__');
    const op = cut > 0 ? OPERATORS[key.slice(cut + 2)] : '=';
    if (!op) throw new TemplateError(`Template Syntax Error: operand ${key.slice(cut + 2)} not supported`);
    const name = cut > 0 ? key.slice(0, cut) : key; // a keyword name: the lexer allowed only [A-Za-z0-9_]
    parts.push(`${name} ${op} ${toSql(v, key).trim()}`);
  }
  return new Sql(parts.join(' and '));
};

/** split_to_array(x, default='', separator=','): a list of trimmed strings. */
const splitToArray: TemplateFunction = (call) => {
  const v = arg(call, 0) ?? null;
  const sep = argString(call, 2, 'separator') ?? ',';
  if (Array.isArray(v)) return v.map((x) => toText(x).trim());
  const text = v ?? arg(call, 1, 'default') ?? '';
  if (typeof text !== 'string') throw new TemplateError('Template Syntax Error: split_to_array() expects a string');
  const parts = text.split(sep, MAX_LIST + 1);
  checkList(parts.length);
  return parts.map((s) => s.trim());
};

const SECONDS: Record<string, number> = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };
const DATE_ONLY = 'it must be ISO format date YYYY-MM-DD, e.g. 2018-09-26';
const WITH_TIME =
  'defaults to YYYY-MM-DD hh:mm:ss. Or %Y-%m-%d %H:%M:%S [.ssssss]Z, e.g. ms: 2022-12-19T18:42:22.591Z s:2022-12-19T18:42:22Z';

/**
 * date_diff_in_<unit>(a, b, date_format, default, backup_date_format, none_if_error): whole units between two dates,
 * absolute, read with Python strptime formats as Tinybird does ('%Y-%m-%d' for days, '%Y-%m-%d %H:%M:%S' otherwise;
 * 'T' or 'Z' forms need their format). `default` stands in when a date is not sent.
 */
function dateDiff(unit: string, error: string, fixedFormat?: string): TemplateFunction {
  return (call) => {
    const [a, b] = [last(arg(call, 0) ?? null), last(arg(call, 1) ?? null)];
    const format =
      fixedFormat ?? argString(call, 2, 'date_format') ?? (unit === 'days' ? '%Y-%m-%d' : '%Y-%m-%d %H:%M:%S');
    const backup = fixedFormat ? undefined : argString(call, 4, 'backup_date_format');
    const d = arg(call, fixedFormat ? 2 : 3, 'default');
    if ((a === null || b === null) && d !== undefined && d !== null && truthy(d)) return d;
    const read = (x: Value) =>
      typeof x !== 'string' ? null : (strptime(x, format) ?? (backup === undefined ? null : strptime(x, backup)));
    const [ua, ub] = [read(a), read(b)];
    if (ua === null || ub === null) {
      if (!fixedFormat && truthy(arg(call, 5, 'none_if_error') ?? null)) return null;
      throw new TemplateError(`Template Syntax Error: ${error}`);
    }
    return Math.trunc(Math.abs(ub - ua) / 1e6 / SECONDS[unit]!);
  };
}

/** error(msg, code): Tinybird drops the code and answers 400. */
const fail: TemplateFunction = (call) => {
  throw new TemplateError(toText(arg(call, 0, 's') ?? 'error'), 400);
};

/**
 * custom_error(body, code): the pipe picks the status (any HTTP error status, else 400) and the body: a dict is
 * answered as that JSON object, anything else as its text, as Tinybird writes it.
 */
const customFail: TemplateFunction = (call) => {
  const s = arg(call, 0, 's') ?? 'error';
  const code = asNumber(arg(call, 1, 'code') ?? null) ?? 400;
  const body = s instanceof Opaque && isRecord(s.value) ? s.value : toText(s);
  throw new TemplateError(typeof body === 'string' ? body : JSON.stringify(body), code, body);
};

/** Python's int() for max_threads(): an integer, or the integer part of a number; null when it is neither. */
function pythonInt(v: Value): number | null {
  const n = asNumber(v);
  if (n !== null) return Number.isFinite(n) ? Math.trunc(n) : null;
  return typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? parseInt(v, 10) : null;
}

// Query hints. Each renders the SQL comment Tinybird renders. max_threads and disable('analyzer') become the query's
// SETTINGS (settings.ts); the others have nothing to act on locally: one backend, no result cache, no replicas, and
// ClickHouse's analyzer is already on (activate('analyzer')).
const TTLS = ['5s', '1m', '5m', '30m', '1h'];
const HINTS: Record<string, TemplateFunction> = {
  max_threads: (call) => {
    const n = pythonInt(arg(call, 0) ?? null);
    return new Sql(n === null ? '-- max_threads: wrong argument\n' : `-- max_threads ${n}\n`);
  },
  cache_ttl: (call) => {
    const ttl = arg(call, 0) ?? null;
    if (typeof ttl !== 'string' || !TTLS.includes(ttl))
      throw new TemplateError(
        `Template Syntax Error: Invalid TTL cache expression, valid expressions are (${TTLS.map((t) => `'${t}'`).join(', ')})`,
      );
    return new Sql(`-- cache_ttl ${ttl}\n`);
  },
  activate: (call) => {
    const feature = arg(call, 0) ?? null;
    if (feature !== 'analyzer' && feature !== 'parallel_replicas')
      throw new TemplateError(`Template Syntax Error: '${show(toText(feature))}' is not a valid 'activate' argument`);
    return new Sql(`-- activate ${feature}\n`);
  },
  // Tinybird tests `feature in "analyzer"`, so any part of the word passes; it always means the analyzer.
  disable: (call) => {
    const feature = arg(call, 0) ?? null;
    if (typeof feature !== 'string' || !'analyzer'.includes(feature))
      throw new TemplateError(`Template Syntax Error: '${show(toText(feature))}' is not a valid 'disable' argument`);
    return new Sql('-- disable analyzer\n');
  },
  // The hint is echoed only when it cannot end the comment.
  backend_hint: (call) => {
    const hint = toText(arg(call, 0) ?? null);
    return new Sql(/^[\w.:-]*$/.test(hint) ? `-- backend_hint ${hint}\n` : '-- backend_hint\n');
  },
};

/**
 * table(x) / TABLE(x): a table name from a parameter, written bare where the author reads a table, as Tinybird does.
 * Validated as one plain name (Tinybird's `workspace.table` form has no other workspace to reach here).
 */
const table: TemplateFunction = (call) => {
  const v = last(arg(call, 0) ?? null);
  const name = typeof v === 'string' ? v.replace(/"/g, '') : null; // Tinybird drops double quotes
  if (name === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new TemplateError(
      `Template Syntax Error: invalid table name '${show(toText(v))}': use letters, digits and '_', not starting with a digit`,
    );
  return new Sql(name);
};

/**
 * symbol(x) / Symbol / Column: the whole value backtick-quoted (a dot is part of the name, unlike column()). Tinybird's
 * second argument is the quote character itself; only the backtick is taken here.
 */
const symbol: TemplateFunction = (call) => {
  const v = last(arg(call, 0) ?? null);
  const quote = arg(call, 1, 'quote') ?? '`';
  if (quote !== '`') throw new TemplateError(`Template Syntax Error: ${call.fn}() quotes with a backtick only`);
  if (typeof v !== 'string')
    throw new TemplateError(`Template Syntax Error: ${call.fn}() needs a name, got ${show(toText(v))}`);
  return new Sql(quoteName(v));
};

/**
 * JSON(x, default): a JSON text parsed into lists and dicts (for {% for %}, x['key'], x.get('key')), or the object a
 * JSON body sent as it is. Not sent: the default when it is a string, else `{}`.
 */
const json: TemplateFunction = (call) => {
  let x = arg(call, 0) ?? null;
  if (x === null) {
    const d = arg(call, 1, 'default') ?? null;
    x = typeof d === 'string' ? d : '{}';
  }
  if (typeof x !== 'string') return x;
  try {
    return fromParam(JSON.parse(x));
  } catch (e) {
    const shown = x.length > 16 ? `${x.slice(0, 16)}...` : x;
    throw new TemplateError(`Template Syntax Error: Error parsing JSON: '${shown}' - ${(e as Error).message}`);
  }
};

/**
 * sql_unescape(String(x), '%'): the value without Tinybird's `\%`, so a `%` in it is a LIKE wildcard again. `%` is the
 * only character escaped here beyond what ClickHouse needs, so it is the only one to undo (Tinybird's sql_unescape(x)
 * with no character strips every backslash, those before quotes included: here it undoes `%` alone).
 */
const sqlUnescape: TemplateFunction = (call) => {
  const x = toText(arg(call, 0) ?? '');
  const what = argString(call, 1, 'what') ?? '';
  return new Sql(what === '%' || what === '' ? quoteString(x) : quoteValue(x));
};

/**
 * tb_secret('NAME', default) / tb_var: Tinybird reads workspace secrets; locally the project's secrets (the server's
 * environment, then the project's .env.local and .env, as `tb dev` loads them) as a quoted literal of their exact text,
 * never spliced raw; then the default (a string value). The name must be written in the pipe as a string: a name
 * taken from a request parameter would let any caller read any secret.
 */
const secret: TemplateFunction = (call) => {
  if (!/^\s*(?:'[^'\\]*'|"[^"\\]*")\s*$/.test(call.argSrc[0] ?? ''))
    throw new TemplateError(
      `Template Syntax Error: ${call.fn}() takes the secret's name as a string, e.g. ${call.fn}('NAME')`,
    );
  const name = toText(arg(call, 0) ?? '');
  const value = call.secrets.get(name);
  // Tinybird sends a secret as a query parameter, so its text arrives as it is: no `\%` here.
  if (value !== undefined) return new Sql(quoteString(value));
  const d = arg(call, 1, 'default');
  if (d !== undefined && d !== null) return d;
  throw new TemplateError(
    `Template Syntax Error: Cannot access secret '${name}'. Check the secret exists in the Workspace and the token ` +
      `has the required scope (locally: set ${name} in the project's .env.local or the environment, or give a default)`,
  );
};

export const FUNCTIONS: Record<string, TemplateFunction> = {
  ...TYPE_FUNCTIONS,
  defined: (call) => (arg(call, 0) ?? null) !== null,
  column,
  Column: symbol,
  symbol,
  Symbol: symbol,
  columns,
  table,
  TABLE: table,
  JSON: json,
  sql_and: sqlAnd,
  split_to_array: splitToArray,
  enumerate_with_last: (call) => {
    const v = arg(call, 0) ?? null;
    const list = v instanceof Sql ? (v.items ?? []) : Array.isArray(v) ? v : [];
    return list.map((x, i) => [i === list.length - 1, x]);
  },
  day_diff: dateDiff(
    'days',
    `invalid date format in function \`day_diff\`, ${DATE_ONLY}. For other fotmats, try \`date_diff_in_days\``,
    '%Y-%m-%d',
  ),
  date_diff_in_days: dateDiff('days', `invalid date format in function \`date_diff_in_days\`, ${DATE_ONLY}`),
  date_diff_in_hours: dateDiff('hours', `invalid date_format in function \`date_diff_in_hours\`, ${WITH_TIME}`),
  // Tinybird's message for minutes names date_diff_in_seconds too.
  date_diff_in_minutes: dateDiff('minutes', `invalid date_format in function \`date_diff_in_seconds\`, ${WITH_TIME}`),
  date_diff_in_seconds: dateDiff('seconds', `invalid date_format in function \`date_diff_in_seconds\`, ${WITH_TIME}`),
  sql_unescape: sqlUnescape,
  error: fail,
  custom_error: customFail,
  tb_secret: secret,
  tb_var: secret,
  ...HINTS,
  ...BUILTINS,
};
