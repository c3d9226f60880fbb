// ClickHouse type text, read once for the datafile parser, the row validator and the Data Sources API.
import { describe, expect, it } from 'vitest';
import { isNullable, parseType, splitTopLevel } from '../../src/local/clickhouse-types';

describe('ClickHouse types', () => {
  it('reads a type name and its top-level arguments, nested ones kept whole', () => {
    expect(parseType('Map(String, Array(Nullable(UInt8)))')).toEqual({
      name: 'Map',
      args: ['String', 'Array(Nullable(UInt8))'],
    });
    expect(parseType("Enum8('a,b' = 1, 'c' = 2)")).toEqual({ name: 'Enum8', args: ["'a,b' = 1", "'c' = 2"] });
    expect(parseType('DateTime64(3)')).toEqual({ name: 'DateTime64', args: ['3'] });
    expect(parseType('String')).toEqual({ name: 'String', args: [] });
  });

  it('knows a Nullable column, inside LowCardinality too, and not one that only holds Nullable values', () => {
    expect(isNullable('Nullable(String)')).toBe(true);
    expect(isNullable('LowCardinality(Nullable(String))')).toBe(true);
    expect(isNullable('Array(Nullable(String))')).toBe(false);
    expect(isNullable('String')).toBe(false);
  });

  it('splits on commas outside parentheses, quotes and backticks, with each piece where it starts', () => {
    expect(splitTopLevel("`a,b` Tuple(x UInt8, y String), c String DEFAULT 'x,y'")).toEqual([
      { text: '`a,b` Tuple(x UInt8, y String)', at: 0 },
      { text: " c String DEFAULT 'x,y'", at: 31 },
    ]);
  });
});
