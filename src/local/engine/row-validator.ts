// Checks Events API rows against a data source's column types before ClickHouse sees them: ClickHouse wraps
// out-of-range numbers silently (300 into UInt8 is 44) and rejects a whole batch for one bad row, so rows that do not
// fit are found here and sent to quarantine instead.
import type { Column } from '../project/datafiles';
import { readJsonPath } from '../project/json-path';
import { isNullable, parseType, type TypeNode } from '../clickhouse-types';

/** Turns one JSON value into what ClickHouse's JSONEachRow reads for the type, or throws a message. */
type Convert = (value: unknown) => unknown;

export interface RowCheck {
  /** The row keyed by column name, ready for JSONEachRow; undefined when an error was found. */
  row?: Record<string, unknown>;
  /** One entry per bad column. */
  errors: Array<{ column: string; error: string }>;
}

/** Compiles the columns once; the returned function checks one parsed JSON row. */
export function compileRowValidator(columns: readonly Column[]): (input: unknown) => RowCheck {
  const compiled = columns.map((c) => ({
    column: c,
    convert: converter(parseType(c.type)),
    nullable: isNullable(c.type),
  }));
  return (input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { errors: [{ column: '', error: 'each line must be a JSON object' }] };
    }
    const row: Record<string, unknown> = {};
    const errors: RowCheck['errors'] = [];
    for (const { column, convert, nullable } of compiled) {
      const value = readJsonPath(input, column.jsonPath);
      if (value === undefined || (value === null && !nullable)) {
        if (column.default !== undefined) continue; // ClickHouse fills the DEFAULT for an omitted key
        if (nullable) row[column.name] = null;
        else
          errors.push({
            column: column.name,
            error: `value is required: the column is ${column.type}, not Nullable, and has no DEFAULT`,
          });
        continue;
      }
      try {
        row[column.name] = convert(value);
      } catch (error) {
        errors.push({
          column: column.name,
          error: `${typeof error === 'string' ? error : (error as Error).message} (got ${preview(value)})`,
        });
      }
    }
    return errors.length > 0 ? { errors } : { row, errors };
  };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

const INT = /^(U?)Int(8|16|32|64|128|256)$/;

function converter(t: TypeNode): Convert {
  const int = INT.exec(t.name);
  if (int) return integer(int[1] === 'U', Number(int[2]));
  switch (t.name) {
    case 'Nullable':
    case 'LowCardinality': {
      const inner = converter(parseType(t.args[0] ?? ''));
      return (v) => (v === null ? null : inner(v));
    }
    case 'String':
      return string;
    case 'FixedString': {
      const size = Number(t.args[0]);
      return (v) => {
        const s = string(v);
        if (Buffer.byteLength(s) > size) throw `longer than FixedString(${size})`;
        return s;
      };
    }
    case 'Float32':
    case 'Float64':
    case 'BFloat16':
      return float;
    case 'Bool':
    case 'Boolean':
      return bool;
    case 'Decimal':
      return decimal(Number(t.args[0] ?? 10), Number(t.args[1] ?? 0));
    case 'Decimal32':
      return decimal(9, Number(t.args[0] ?? 0));
    case 'Decimal64':
      return decimal(18, Number(t.args[0] ?? 0));
    case 'Decimal128':
      return decimal(38, Number(t.args[0] ?? 0));
    case 'Decimal256':
      return decimal(76, Number(t.args[0] ?? 0));
    case 'Date':
      return date(1970, 2149);
    case 'Date32':
      return date(1900, 2299);
    case 'DateTime':
      return dateTime;
    case 'DateTime64':
      return dateTime64(Number(t.args[0] ?? 3));
    case 'UUID':
      return (v) => {
        if (typeof v !== 'string' || !/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v))
          throw 'not a UUID';
        return v;
      };
    case 'Array': {
      const item = converter(parseType(t.args[0] ?? ''));
      return (v) => {
        if (!Array.isArray(v)) throw 'not an array';
        return v.map(item);
      };
    }
    case 'Map': {
      const value = converter(parseType(t.args[1] ?? ''));
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw 'not an object';
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
      };
    }
    case 'Enum8':
    case 'Enum16':
      return enumeration(t.args);
    default:
      // JSON, Tuple, IPv4, Dynamic...: ClickHouse decides, and a row it refuses is quarantined on its own.
      return (v) => v;
  }
}

/** An object or array read into a String column is kept as its JSON text, as Tinybird does. */
function string(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  throw 'not a string';
}

function integer(unsigned: boolean, bits: number): Convert {
  const min = unsigned ? 0n : -(2n ** BigInt(bits - 1));
  const max = unsigned ? 2n ** BigInt(bits) - 1n : 2n ** BigInt(bits - 1) - 1n;
  const name = `${unsigned ? 'U' : ''}Int${bits}`;
  return (v) => {
    let n: bigint;
    if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
    else if (typeof v === 'string' && /^[-+]?\d{1,80}$/.test(v.trim())) n = BigInt(v.trim());
    else throw `not an integer for ${name}`;
    if (n < min || n > max) throw `out of range for ${name} (${min}..${max})`;
    // Above 2^53 a JS number has already lost digits; send the exact text.
    return bits > 32 ? n.toString() : Number(n);
  };
}

function float(v: unknown): number | string {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'string' && /^[-+]?(inf|nan)$/i.test(v.trim())) return v.trim().toLowerCase();
  throw 'not a number';
}

function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (v === 'true' || v === 'false') return v === 'true';
  throw 'not a boolean';
}

function decimal(precision: number, scale: number): Convert {
  return (v) => {
    const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
    const m = /^[-+]?(\d*)(?:\.(\d*))?$/.exec(text);
    if (!m || text === '' || /e/i.test(text)) throw `not a Decimal(${precision}, ${scale})`;
    const whole = (m[1] ?? '').replace(/^0+/, '');
    if (whole.length > precision - scale) throw `too many digits for Decimal(${precision}, ${scale})`;
    return text;
  };
}

function enumeration(args: string[]): Convert {
  const names = new Set<string>();
  const values = new Set<number>();
  for (const arg of args) {
    const m = /^'((?:[^'\\]|\\.)*)'\s*(?:=\s*(-?\d+))?$/.exec(arg);
    if (m) {
      names.add((m[1] ?? '').replace(/\\(.)/g, '$1'));
      if (m[2] !== undefined) values.add(Number(m[2]));
    }
  }
  return (v) => {
    if (typeof v === 'string' && names.has(v)) return v;
    if (typeof v === 'number' && values.has(v)) return v;
    throw `not one of the Enum values ${[...names].map((n) => `'${n}'`).join(', ')}`;
  };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch plus the sub-second digits as written; naive times are UTC, as on Tinybird. */
function parseInstant(v: unknown): { ms: number; fraction: string } {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const fraction = String(v).split('.')[1] ?? '';
    return { ms: Math.floor(v) * 1000, fraction };
  }
  if (typeof v !== 'string') throw 'not a date';
  const text = v.trim();
  // Tinybird quarantines unix seconds sent as a string (its quarantine guide recovers exactly such rows): only a JSON
  // number is read as seconds.
  if (/^\d+(\.\d+)?$/.test(text)) throw 'unix seconds sent as a string: send a number or a date-time text';
  const m = DATE_TIME.exec(text);
  if (!m) throw "not a date or date-time (use 'YYYY-MM-DD hh:mm:ss', ISO 8601 or unix seconds)";
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? undefined : Number(x),
  );
  const ms = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() + 1 !== month || hour > 23 || minute > 59 || second > 59)
    throw 'not a valid calendar date';
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms: ms - offset, fraction: m[7] ?? '' };
}

function date(minYear: number, maxYear: number): Convert {
  return (v) => {
    const { ms } = parseInstant(v);
    const year = new Date(ms).getUTCFullYear();
    if (year < minYear || year > maxYear || (maxYear === 2149 && ms > Date.UTC(2149, 5, 6)))
      throw `out of range for a date (${minYear}..${maxYear})`;
    return new Date(ms).toISOString().slice(0, 10);
  };
}

const MAX_DATE_TIME = 4294967295;

function dateTime(v: unknown): number {
  const seconds = Math.floor(parseInstant(v).ms / 1000);
  if (seconds < 0 || seconds > MAX_DATE_TIME) throw 'out of range for DateTime (1970-01-01 .. 2106-02-07)';
  return seconds;
}

function dateTime64(precision: number): Convert {
  const min = Date.UTC(1900, 0, 1) / 1000;
  const max = Date.UTC(2299, 11, 31, 23, 59, 59) / 1000;
  return (v) => {
    const { ms, fraction } = parseInstant(v);
    const seconds = Math.floor(ms / 1000);
    if (seconds < min || seconds > max) throw 'out of range for DateTime64 (1900 .. 2299)';
    const digits = fraction.padEnd(precision, '0').slice(0, precision);
    // Unix seconds as text keep every sub-second digit and are read the same in any column time zone.
    return precision > 0 ? `${seconds}.${digits}` : String(seconds);
  };
}
