import { describe, expect, it } from 'vitest';
import { endpointParams, TemplateProblem } from '../../../src/local/types-gen/endpoint-params';

const params = (sql: string, pipes = new Map()) =>
  endpointParams('p.pipe', [{ name: 'endpoint', sql: `%\n${sql}`, line: 5 }], pipes);
const one = (sql: string) => params(sql)[0];

describe('endpoint params from the template', () => {
  it.each([
    ['Int8', 'number'],
    ['Int16', 'number'],
    ['Int32', 'number'],
    ['Int64', 'number'],
    ['Int128', 'number'],
    ['Int256', 'number'],
    ['UInt8', 'number'],
    ['UInt16', 'number'],
    ['UInt32', 'number'],
    ['UInt64', 'number'],
    ['UInt128', 'number'],
    ['UInt256', 'number'],
    ['Int', 'number'],
    ['Integer', 'number'],
    ['Float32', 'number'],
    ['Float64', 'number'],
    ['String', 'string'],
    ['Boolean', 'boolean'],
    ['DateTime', 'Date | string'],
    ['DateTime64', 'Date | string'],
    ['Date', 'string'],
    ['column', 'string'],
    ['symbol', 'string'],
  ])('%s() -> %s', (fn, ts) => {
    expect(one(`SELECT {{ ${fn}(x, 'a') }}`)).toMatchObject({ name: 'x', ts, required: false });
  });

  it.each([
    ["Array(x, 'Int32')", 'readonly number[]'],
    ["Array(x, 'UInt64', default='1,2')", 'readonly number[]'],
    ["Array(x, 'String')", 'readonly string[]'],
    ['Array(x)', 'readonly string[]'],
    ["Array(x, 'Float64')", 'readonly number[]'],
    ["Array(x, 'DateTime')", 'readonly (Date | string)[]'],
    ["Array(x, 'Date')", 'readonly string[]'],
    ["Array(x, 'Boolean')", 'readonly boolean[]'],
  ])('%s -> %s', (call, ts) => {
    expect(one(`SELECT 1 WHERE {% if defined(x) %} a IN {{ ${call} }} {% end %}`)?.ts).toBe(ts);
  });

  it('enum= narrows to its values', () => {
    expect(one("SELECT {{ String(period, 'day', enum=['day', 'week']) }}")?.ts).toBe('"day" | "week"');
  });

  it('required: required=True, or a typed use with no default nothing guards', () => {
    expect(one("SELECT {{ String(user, required=True, description='who') }}")).toEqual({
      name: 'user',
      ts: 'string',
      required: true,
      description: 'who',
    });
    expect(one('SELECT {{ Int32(n) }}')?.required).toBe(true);
    expect(one('SELECT {{ Int32(n, 10) }}')).toEqual({ name: 'n', ts: 'number', required: false, default: 10 });
    expect(one('SELECT 1 {% if defined(n) %} LIMIT {{ Int32(n) }} {% end %}')?.required).toBe(false);
    expect(one('SELECT 1 {% if n %} LIMIT {{ Int32(n) }} {% end %}')?.required).toBe(false);
    expect(one('SELECT 1 WHERE {{ sql_and(a__in=Array(n, "Int32", defined=False)) }}')?.required).toBe(false);
    expect(one('SELECT {{ Boolean(flag) }}')?.required).toBe(false);
  });

  it('a typed use in a branch does not make a param required: the branch may not render', () => {
    // The web analytics starter kit tests one param and reads another inside the test.
    const found = params('SELECT 1 {% if defined(like_filter) %} AND p LIKE {{ String(filter) }} {% end %}');
    expect(found.find((p) => p.name === 'filter')?.required).toBe(false);
    expect(one("SELECT 1 {% for x in Array(xs, 'Int32', '1') %} {{ Int32(n) }} {% end %}")?.required).toBe(false);
    expect(one('SELECT {{ Int32(n) if defined(n) else 10 }}')?.required).toBe(false);
  });

  it('a defined() in another expression does not guard a typed use: the render still fails without it', () => {
    const found = params('SELECT CASE WHEN {{ defined(d) }} THEN toDateTime({{ Date(d) }}) ELSE now() END');
    expect(found).toEqual([{ name: 'd', ts: 'string', required: true }]);
  });

  it('gathers every node, and the pipes the endpoint reads as tables', () => {
    const pipes = new Map([['base', [{ name: 'b', sql: '%\nSELECT * FROM t WHERE d = {{ Date(day) }}', line: 2 }]]]);
    const found = endpointParams(
      'p.pipe',
      [
        { name: 'one', sql: '%\nSELECT * FROM base WHERE {{ String(s, "x") }}', line: 2 },
        { name: 'two', sql: 'SELECT * FROM one', line: 6 },
        { name: 'three', sql: '%\nSELECT * FROM two LIMIT {{ Int32(s, 5) }}', line: 9 },
      ],
      pipes,
    );
    expect(found.map((p) => [p.name, p.ts, p.required])).toEqual([
      ['s', 'string', false],
      ['day', 'string', true],
    ]);
  });

  it('a parameter only tested with defined() is still one the pipe reads', () => {
    expect(params('SELECT 1 {% if defined(debug) %} , 2 {% end %}')).toEqual([
      { name: 'debug', ts: 'string | number | boolean', required: false },
    ]);
  });

  it('a template that does not parse is reported with file and line', () => {
    expect(() => params('SELECT 1\n{% if defined(x) %} broken')).toThrow(TemplateProblem);
    expect(() => params('SELECT 1\n{% if defined(x) %} broken')).toThrow(/^p\.pipe:\d+: node "endpoint": /);
  });
});
