import { describe, expect, it } from 'vitest';
import { appendType, isNullableType, readType } from '../../../src/local/types-gen/clickhouse-type';

const read = (type: string) => readType(type).ts;

describe('readType: a column as a pipe JSON carries it', () => {
  it.each([
    ['UInt8', 'number'],
    ['Int32', 'number'],
    ['UInt64', 'number'],
    ['Int64', 'number'],
    ['Int128', 'number'],
    ['UInt256', 'number'],
    ['Float32', 'number'],
    ['Float64', 'number'],
    ['Decimal(18, 4)', 'number'],
    ['Decimal64(2)', 'number'],
    ['Bool', 'boolean'],
    ['String', 'string'],
    ['FixedString(3)', 'string'],
    ['UUID', 'string'],
    ['IPv4', 'string'],
    ['IPv6', 'string'],
    ['Date', 'string'],
    ['Date32', 'string'],
    ['DateTime', 'string'],
    ["DateTime('Europe/Madrid')", 'string'],
    ['DateTime64(3)', 'string'],
    ["DateTime64(6, 'UTC')", 'string'],
    ["Enum8('a' = 1, 'b c' = 2)", '"a" | "b c"'],
    ["Enum16('it\\'s' = 1)", '"it\'s"'],
    ['Nullable(String)', 'string | null'],
    ['LowCardinality(String)', 'string'],
    ['LowCardinality(Nullable(String))', 'string | null'],
    ['Array(UInt8)', 'number[]'],
    ['Array(Nullable(String))', '(string | null)[]'],
    ['Array(Array(String))', 'string[][]'],
    ['Map(String, UInt64)', 'Record<string, number>'],
    ['Map(UInt8, Array(String))', 'Record<string, string[]>'],
    ['Tuple(String, UInt8)', '[string, number]'],
    ['Tuple(a String, b Nullable(UInt8))', '{ a: string; b: number | null }'],
    ['Tuple(`a b` String)', '{ "a b": string }'],
    ['SimpleAggregateFunction(sum, UInt64)', 'number'],
    ['Nullable(Nothing)', 'null'],
    ['IntervalDay', 'number'],
    ['Point', '[number, number]'],
    ['Variant(String, UInt8)', 'string | number | null'],
    ['JSON', 'Record<string, unknown>'],
  ])('%s -> %s', (clickhouse, ts) => {
    expect(readType(clickhouse)).toEqual({ ts, notes: [] });
  });

  it('an unknown type is unknown with a note, never a crash', () => {
    expect(readType('Dynamic')).toEqual({ ts: 'unknown', notes: ['Dynamic: a Dynamic value can be anything'] });
    expect(readType('AggregateFunction(uniq, String)').ts).toBe('unknown');
    expect(readType('AggregateFunction(uniq, String)').notes[0]).toMatch(/-Merge/);
    expect(readType('SomethingNew(1, 2)')).toEqual({
      ts: 'unknown',
      notes: ['SomethingNew(1, 2): no known JSON shape for this ClickHouse type'],
    });
    expect(read('Nullable(Dynamic)')).toBe('unknown');
    expect(read('Array(Dynamic)')).toBe('unknown[]');
    expect(read('')).toBe('unknown');
    expect(read('Array(')).toBe('unknown');
  });
});

describe('appendType: what the Events API accepts for a column', () => {
  it.each([
    ['UInt8', 'number'],
    ['Int64', 'number | string'],
    ['UInt128', 'number | string'],
    ['Decimal(10, 2)', 'number | string'],
    ['DateTime', 'string | number | Date'],
    ['DateTime64(3)', 'string | number | Date'],
    ['Date', 'string | number | Date'],
    ['Nullable(Int64)', 'number | string | null'],
    ['Array(DateTime)', '(string | number | Date)[]'],
    ['LowCardinality(String)', 'string'],
  ])('%s -> %s', (clickhouse, ts) => {
    expect(appendType(clickhouse).ts).toBe(ts);
  });

  it('knows which columns may be left out', () => {
    expect(isNullableType('Nullable(String)')).toBe(true);
    expect(isNullableType('LowCardinality(Nullable(String))')).toBe(true);
    expect(isNullableType('Array(Nullable(String))')).toBe(false);
    expect(isNullableType('String')).toBe(false);
  });
});
