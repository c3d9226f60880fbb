// ClickHouse type text as datafiles write it (`LowCardinality(Nullable(String))`, `Tuple(a UInt8, b String)`): read
// once here, so the datafile parser, the row validator, file imports and the Data Sources API agree on what a type is.
// A leaf: pure text, no chDB, usable from every layer of the local server.

/** A type's name and its top-level arguments: `Array(Nullable(UInt8))` -> { name: 'Array', args: ['Nullable(UInt8)'] }. */
export interface TypeNode {
  name: string;
  args: string[];
}

/**
 * Splits on commas outside parentheses, quotes (`'`, `"`) and backticks, keeping each piece's start offset: a SCHEMA
 * block into columns, a type's arguments into types.
 */
export function splitTopLevel(text: string): Array<{ text: string; at: number }> {
  const parts: Array<{ text: string; at: number }> = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  parts.push({ text: text.slice(start), at: start });
  return parts;
}

/** Reads a type's name and top-level arguments. */
export function parseType(type: string): TypeNode {
  const open = type.indexOf('(');
  if (open === -1) return { name: type.trim(), args: [] };
  const inner = type.slice(open + 1, type.lastIndexOf(')'));
  return { name: type.slice(0, open).trim(), args: splitTopLevel(inner).map((part) => part.text.trim()) };
}

/** Whether a column of this type holds NULL: `Nullable(T)`, also inside `LowCardinality(...)`. */
export function isNullable(type: string): boolean {
  const t = parseType(type);
  if (t.name === 'LowCardinality') return isNullable(t.args[0] ?? '');
  return t.name === 'Nullable';
}
