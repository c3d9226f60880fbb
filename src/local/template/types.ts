// Tinybird's type functions: Int32(x, default, ...), String(x), Date(x), Array(x, 'Int32')... Each one validates a
// request value against its type and returns something that renders safely.
import type { Call, TemplateFunction } from './call';
import { arg, argString, paramName } from './call';
import { isDateText } from './dates';
import { REQUIRED, RequiredError, SYNTAX, TemplateError, show, validationError } from './errors';
import { quoteValue } from './quote';
import { Opaque, Sql, Typed, toText, truthy, type Value } from './values';

const INT_RANGES: Record<string, [bigint, bigint]> = {};
for (const bits of [8, 16, 32, 64, 128, 256]) {
  INT_RANGES[`Int${bits}`] = [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n];
  INT_RANGES[`UInt${bits}`] = [0n, 2n ** BigInt(bits) - 1n];
}
// Python's float(): surrounding spaces, nan, inf and infinity (any case) included; Tinybird refuses `_` in the text.
const FLOAT = /^\s*[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)\s*$/i;

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
  return new RequiredError(`${SYNTAX}${REQUIRED}: '${paramName(call)}' (${call.fn})`);
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

/** Float32/Float64: whatever Python's float() reads (no range check: Tinybird has none; ClickHouse makes inf of it). */
export function float(v: Value, type: string): number {
  const text = scalarText(v, type);
  if (!FLOAT.test(text)) throw validationError(text, type);
  const word = text.trim().toLowerCase().replace(/^[+-]/, '');
  if (word === 'nan') return NaN;
  if (word.startsWith('inf')) return text.trim().startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/** A float as Python writes it where it differs from JS: nan, inf, -inf. */
const floatText = (n: number) => (Number.isNaN(n) ? 'nan' : Number.isFinite(n) ? String(n) : n > 0 ? 'inf' : '-inf');

/** One element of a type, as a plain value that renders to SQL on its own (used by scalars and Array()). */
function element(v: Value, type: string): Value {
  if (type in INT_RANGES) return integerValue(integer(v, type));
  switch (type) {
    case 'Int':
    case 'Integer':
      return integerValue(integer(v, 'Int32'));
    case 'Float32':
    case 'Float64': {
      const n = float(v, type);
      return Number.isFinite(n) ? n : new Sql(floatText(n));
    }
    case 'String': {
      if (v instanceof Opaque || Array.isArray(v)) throw validationError(toText(v), type);
      return toText(v);
    }
    // Tinybird checks how the text looks and passes it through as written: ClickHouse reads it (an offset included).
    case 'Date':
    case 'DateTime':
    case 'DateTime64': {
      const text = scalarText(v, type);
      if (!isDateText(text, type)) throw validationError(text, type);
      return text;
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

/** Tinybird's boolean(): '0' and 'false' (any case) are 0, anything else its truthiness. */
function boolean(v: Value): number {
  if (typeof v === 'string' && (v === '0' || v.toLowerCase() === 'false')) return 0;
  return truthy(v) ? 1 : 0;
}

function sized(type: string): TemplateFunction {
  return (call) => {
    const v = input(call, true);
    if (v === null) return null;
    if (type.startsWith('Float')) {
      const n = float(v, type);
      return new Typed(n, floatText(n), type);
    }
    const n = integer(v, type);
    return new Typed(Number(n), n.toString(), type);
  };
}

function plain(type: string): TemplateFunction {
  return (call) => {
    const v = input(call, true);
    if (v === null) return null;
    return element(v, type);
  };
}

/** The element types Tinybird validates in Array() before converting (its testers), with their own message. */
const TESTED = new Set([...Object.keys(INT_RANGES), 'Float32', 'Float64', 'Date', 'DateTime', 'DateTime64']);
const KNOWN = new Set([...TESTED, 'Int', 'Integer', 'String', 'Boolean', 'bool']);

/**
 * Array(x, 'Int32', default): a comma-separated string, repeated parameters or a JSON array, each element validated.
 * An element type Tinybird does not know (UUID, IPv4...) keeps the elements as they are, strings quoted.
 */
const array: TemplateFunction = (call) => {
  const type = argString(call, 1, '_type') ?? 'String';
  const shifted = { ...call, args: [call.args[0] ?? null, ...call.args.slice(2)] };
  const v = input(shifted, false);
  if (v === null) return null;
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
  const items = list.map((x, i) => {
    if (!TESTED.has(type)) return KNOWN.has(type) ? element(x, type) : typeof x === 'number' ? x : toText(x);
    try {
      return element(x, type);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      const shown = x === '' ? 'empty string' : show(toText(x));
      throw new TemplateError(`${SYNTAX}Error validating [${show(toText(v))}][${i}] (${shown}) to type ${type}`);
    }
  });
  return new Sql(
    `[${items.map((x) => (typeof x === 'string' ? quoteValue(x) : x instanceof Sql ? x.sql : String(x))).join(',')}]`,
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
  return boolean(Array.isArray(v) && sent !== null ? (v[v.length - 1] ?? null) : v);
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
