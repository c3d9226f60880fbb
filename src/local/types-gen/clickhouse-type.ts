// ClickHouse type text -> TypeScript type text, in two directions: what a pipe's JSON carries for a column (rows read),
// and what the Events API accepts for a column (rows useAppend sends). Pure: an unknown type becomes `unknown` and a
// note saying why, never an exception, so one odd column never costs a project its types.

/** A parsed ClickHouse type: `Array(Nullable(UInt8))` -> { name: 'Array', args: ['Nullable(UInt8)'] }. */
interface TypeNode {
  name: string;
  args: string[];
}

/** The TypeScript for one ClickHouse type, and what the reader should know when it is not exact. */
export interface MappedType {
  ts: string;
  /** Why the type is `unknown` (or looser than the column), for a comment next to it. */
  notes: string[];
}

/** Splits `Name(a, b(c, d), 'e,f')` at the top-level commas, quotes and backticks respected. */
export function parseType(text: string): TypeNode {
  const type = text.trim();
  const open = type.indexOf('(');
  if (open === -1 || !type.endsWith(')')) return { name: type, args: [] };
  const inner = type.slice(open + 1, -1);
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (inner.trim() !== '') args.push(inner.slice(start).trim());
  return { name: type.slice(0, open).trim(), args };
}

const INTEGER = /^U?Int(8|16|32|64|128|256)$/;
const STRINGS = new Set(['String', 'FixedString', 'UUID', 'IPv4', 'IPv6']);
const TIMES = new Set(['Date', 'Date32', 'DateTime', 'DateTime32', 'DateTime64', 'Time', 'Time64']);
const DECIMALS = new Set(['Decimal', 'Decimal32', 'Decimal64', 'Decimal128', 'Decimal256']);
// Geo types are aliases of tuples and arrays of Float64 pairs.
const GEO: Record<string, string> = {
  Point: '[number, number]',
  Ring: '[number, number][]',
  LineString: '[number, number][]',
  MultiLineString: '[number, number][][]',
  Polygon: '[number, number][][]',
  MultiPolygon: '[number, number][][][]',
};

/** `'a' = 1, 'b' = 2` -> `'a' | 'b'` (what JSON carries for an Enum: its names). */
function enumNames(args: string[]): string | undefined {
  const names: string[] = [];
  for (const arg of args) {
    const m = /^'((?:[^'\\]|\\.)*)'\s*(?:=\s*-?\d+)?$/.exec(arg);
    if (!m) return undefined;
    names.push(JSON.stringify((m[1] ?? '').replace(/\\(.)/g, '$1')));
  }
  return names.length > 0 ? names.join(' | ') : undefined;
}

/** A named tuple element `name Type` (or `` `a b` Type ``): its name and type; undefined for a bare type. */
function namedElement(arg: string): { name: string; type: string } | undefined {
  const m = /^(?:`((?:[^`\\]|\\.)*)`|([A-Za-z_][A-Za-z0-9_]*))\s+(\S[\s\S]*)$/.exec(arg);
  if (!m) return undefined;
  return { name: m[1] ?? m[2] ?? '', type: m[3] ?? '' };
}

/** A property key as TypeScript writes it: bare when it is an identifier, else quoted. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** Wraps a union in parentheses where it becomes an array element (`(string | null)[]`). */
const element = (ts: string) => (/[|&]/.test(ts) && !/^[[{]/.test(ts) ? `(${ts})` : ts);

type Direction = 'read' | 'append';

function map(text: string, direction: Direction, notes: string[]): string {
  const t = parseType(text);
  const arg = (i: number) => t.args[i] ?? '';
  if (INTEGER.test(t.name)) {
    // Pipe JSON carries every integer as a number (output_format_json_quote_64bit_integers=0, as Tinybird); the Events
    // API also takes 64-bit and wider ones as decimal text, which keeps digits a JS number would lose above 2^53.
    const wide = Number(INTEGER.exec(t.name)?.[1]) >= 64;
    return direction === 'append' && wide ? 'number | string' : 'number';
  }
  if (t.name === 'Float32' || t.name === 'Float64' || t.name === 'BFloat16') return 'number';
  if (DECIMALS.has(t.name)) return direction === 'append' ? 'number | string' : 'number';
  if (t.name === 'Bool' || t.name === 'Boolean') return 'boolean';
  if (STRINGS.has(t.name)) return 'string';
  // Times read as text ('2024-05-01 10:00:00'); the Events API also takes unix seconds and, through JSON, a Date.
  if (TIMES.has(t.name))
    return direction === 'append' && !t.name.startsWith('Time') ? 'string | number | Date' : 'string';
  if (t.name === 'Enum8' || t.name === 'Enum16' || t.name === 'Enum') {
    const names = enumNames(t.args);
    if (names) return names;
    notes.push(`${text}: Enum values not readable, typed as string`);
    return 'string';
  }
  if (t.name.startsWith('Interval')) return 'number';
  if (t.name in GEO) return GEO[t.name]!;
  if (t.name === 'Nothing') return 'null';
  switch (t.name) {
    case 'Nullable': {
      const inner = map(arg(0), direction, notes);
      return inner === 'unknown' || inner === 'null' ? inner : `${inner} | null`;
    }
    case 'LowCardinality':
      return map(arg(0), direction, notes);
    case 'SimpleAggregateFunction':
      return map(t.args.slice(1).join(', '), direction, notes);
    case 'Array':
      return `${element(map(arg(0), direction, notes))}[]`;
    case 'Map':
      // JSON object keys are text whatever the key type.
      return `Record<string, ${map(arg(1), direction, notes)}>`;
    case 'Tuple': {
      const named = t.args.map(namedElement);
      // A named tuple is a JSON object (output_format_json_named_tuples_as_objects, on by default), else an array.
      if (t.args.length > 0 && named.every((n) => n !== undefined))
        return `{ ${named.map((n) => `${propertyKey(n!.name)}: ${map(n!.type, direction, notes)}`).join('; ')} }`;
      return `[${t.args.map((a) => map(a, direction, notes)).join(', ')}]`;
    }
    case 'Variant': {
      const parts = [...new Set(t.args.map((a) => map(a, direction, notes)))];
      return parts.includes('unknown') ? 'unknown' : `${parts.join(' | ')} | null`;
    }
    case 'JSON':
    case 'Object':
      return 'Record<string, unknown>';
  }
  notes.push(
    t.name === 'Dynamic'
      ? `${text}: a Dynamic value can be anything`
      : t.name === 'AggregateFunction'
        ? `${text}: an aggregate state has no JSON form (use a -Merge combinator in the pipe)`
        : `${text}: no known JSON shape for this ClickHouse type`,
  );
  return 'unknown';
}

/**
 * The TypeScript type of a column as a pipe's JSON carries it.
 *
 * @example
 * ```ts
 * readType('Array(Nullable(LowCardinality(String)))'); // { ts: '(string | null)[]', notes: [] }
 * readType('UInt64'); // { ts: 'number', notes: [] }: a JSON number, as Tinybird sends it
 * ```
 */
export function readType(clickhouse: string): MappedType {
  const notes: string[] = [];
  return { ts: map(clickhouse, 'read', notes), notes };
}

/**
 * The TypeScript type of a value the Events API accepts for a column: looser than {@link readType} where the server
 * takes more than one form (64-bit integers and decimals as text, times as unix seconds or Date).
 *
 * @example
 * ```ts
 * appendType('DateTime'); // { ts: 'string | number | Date', notes: [] }
 * ```
 */
export function appendType(clickhouse: string): MappedType {
  const notes: string[] = [];
  return { ts: map(clickhouse, 'append', notes), notes };
}

/** Whether a column may be left out of an appended row or sent as null: Nullable (also inside LowCardinality). */
export function isNullableType(clickhouse: string): boolean {
  const t = parseType(clickhouse);
  if (t.name === 'LowCardinality') return isNullableType(t.args[0] ?? '');
  return t.name === 'Nullable';
}
