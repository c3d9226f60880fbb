// Tinybird's type functions: Int32(x, default, ...), String(x), Date(x), Array(x, 'Int32')... Each one validates a
// request value against its type and returns something that renders safely.
import type { Call, TemplateFunction } from './call';
import { arg, argString, paramName } from './call';
import { formatDate, formatDateTime, parseDate, parseDateTime } from './dates';
import { REQUIRED, TemplateError, show, validationError } from './errors';
import { quoteString } from './quote';
import { Opaque, Sql, Typed, toText, truthy, type Value } from './values';

const INT_RANGES: Record<string, [bigint, bigint]> = {};
for (const bits of [8, 16, 32, 64, 128, 256]) {
  INT_RANGES[`Int${bits}`] = [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n];
  INT_RANGES[`UInt${bits}`] = [0n, 2n ** BigInt(bits) - 1n];
}
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The request value (or the default) a type function works on. Not sent and no default: Tinybird's 400
 * `Required parameter is not defined`, unless the call says defined=False (then None, for `{% if %}` and sql_and).
 * required=True only documents the parameter: with a default, Tinybird renders the default.
 */
function input(call: Call, scalar: boolean): Value {
  let x = arg(call, 0) ?? null;
  if (x === null) x = arg(call, 1, 'default') ?? null;
  if (x === null) {
    if (call.kwargs.get('defined') === false) return null;
    throw required(call);
  }
  // A repeated query parameter (?a=1&a=2) given to a one-value type: the last one wins, as in Tinybird.
  if (scalar && Array.isArray(x)) x = x.length ? x[x.length - 1]! : '';
  return x;
}

function required(call: Call): TemplateError {
  return new TemplateError(`${REQUIRED}: '${paramName(call)}' (${call.fn})`);
}

function checkEnum(call: Call, text: string, type: string): void {
  const allowed = call.kwargs.get('enum');
  if (!Array.isArray(allowed)) return;
  if (!allowed.some((a) => toText(a) === text)) {
    throw validationError(text, type, `: must be one of ${allowed.map((a) => `'${toText(a)}'`).join(', ')}`);
  }
}

function scalarText(v: Value, type: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return toText(v);
  if (v instanceof Typed) return v.text;
  throw validationError(v instanceof Opaque ? v.value : toText(v), type);
}

export function integer(v: Value, type: string): bigint {
  const text = scalarText(v, type);
  const range = INT_RANGES[type] ?? INT_RANGES.Int32!;
  if (!/^[+-]?\d{1,80}$/.test(text)) throw validationError(text, type);
  const n = BigInt(text);
  if (n < range[0] || n > range[1]) throw validationError(text, type);
  return n;
}

export function float(v: Value, type: string): number {
  const text = scalarText(v, type);
  const n = Number(text);
  if (!FLOAT.test(text) || !Number.isFinite(n) || (type === 'Float32' && Math.abs(n) > 3.4028234663852886e38)) {
    throw validationError(text, type);
  }
  return n;
}

/** One element of a type, as a plain value that renders to SQL on its own (used by scalars and Array()). */
function element(v: Value, type: string): Value {
  if (type in INT_RANGES) return integerValue(integer(v, type));
  switch (type) {
    case 'Int':
    case 'Integer':
      return integerValue(integer(v, 'Int32'));
    case 'Float32':
    case 'Float64':
      return float(v, type);
    case 'String': {
      if (v instanceof Opaque || Array.isArray(v)) throw validationError(toText(v), type);
      return toText(v);
    }
    case 'Date': {
      const p = parseDate(scalarText(v, type));
      if (!p) throw validationError(scalarText(v, type), type);
      return formatDate(p);
    }
    case 'DateTime':
    case 'DateTime64': {
      const p = parseDateTime(scalarText(v, type));
      if (!p) throw validationError(scalarText(v, type), type);
      return formatDateTime(p, type === 'DateTime64');
    }
    case 'Boolean':
    case 'bool':
      return boolean(v);
    default:
      throw new TemplateError(`Template Syntax Error: unknown type '${show(type)}'`);
  }
}

/** Integers beyond 2^53 stay exact as SQL text. */
function integerValue(n: bigint): Value {
  return Number.isSafeInteger(Number(n)) ? Number(n) : new Sql(n.toString());
}

function boolean(v: Value): number {
  const text = typeof v === 'string' ? v.toLowerCase() : v;
  if (text === 'true' || text === '1' || text === true || text === 1) return 1;
  if (text === 'false' || text === '0' || text === false || text === 0) return 0;
  throw validationError(toText(v), 'Boolean');
}

function sized(type: string): TemplateFunction {
  return (call) => {
    const v = input(call, true);
    if (v === null) return null;
    checkEnum(call, scalarText(v, type), type);
    if (type.startsWith('Float')) {
      const n = float(v, type);
      return new Typed(n, String(n), type);
    }
    const n = integer(v, type);
    return new Typed(Number(n), n.toString(), type);
  };
}

function plain(type: string): TemplateFunction {
  return (call) => {
    const v = input(call, true);
    if (v === null) return null;
    const out = element(v, type);
    checkEnum(call, toText(out), type);
    return out;
  };
}

/** Array(x, 'Int32', default): a comma-separated string, repeated parameters or a JSON array, each element validated. */
const array: TemplateFunction = (call) => {
  const type = argString(call, 1, '_type') ?? 'String';
  const shifted = { ...call, args: [call.args[0] ?? null, ...call.args.slice(2)] };
  const v = input(shifted, false);
  if (v === null) return null;
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
  const items = list.map((x) => {
    const out = element(x, type);
    checkEnum(call, toText(out), type);
    return out;
  });
  return new Sql(
    `[${items.map((x) => (typeof x === 'string' ? quoteString(x) : x instanceof Sql ? x.sql : String(x))).join(',')}]`,
    items,
  );
};

/**
 * Boolean(x, default): Tinybird never refuses a value here: '0' and 'false' (any case) are 0, anything else is its
 * truthiness ('' is 0, 'yes' is 1). Unset: the default read the same way, else 0.
 */
const bool: TemplateFunction = (call) => {
  const sent = arg(call, 0) ?? null;
  const v = sent ?? arg(call, 1, 'default') ?? null;
  const one = Array.isArray(v) && sent !== null ? (v[v.length - 1] ?? null) : v;
  if (typeof one === 'string' && (one === '0' || one.toLowerCase() === 'false')) return 0;
  return truthy(one) ? 1 : 0;
};

export const TYPE_FUNCTIONS: Record<string, TemplateFunction> = {
  ...Object.fromEntries(Object.keys(INT_RANGES).map((t) => [t, sized(t)])),
  Float32: sized('Float32'),
  Float64: sized('Float64'),
  Int: plain('Int'),
  Integer: plain('Integer'),
  String: plain('String'),
  Date: plain('Date'),
  DateTime: plain('DateTime'),
  DateTime64: plain('DateTime64'),
  Boolean: bool,
  bool,
  Array: array,
};
