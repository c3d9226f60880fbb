// Datafile parsing (file:line errors that say what to change), json paths, row checks and DDL: plain unit tests.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatafileError, loadProject, parseDatasource, parsePipe } from '../../src/local/project';
import { createTableSql } from '../../src/local/engine/ddl';
import { parseJsonPath, readJsonPath } from '../../src/local/project/json-path';
import { compileRowValidator } from '../../src/local/engine/row-validator';

const ds = (text: string) => parseDatasource(text, 'x.datasource').value;
const pipe = (text: string) => parsePipe(text, 'p.pipe').value;
const failure = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(DatafileError);
    return (error as DatafileError).message;
  }
  throw new Error('expected a DatafileError');
};

describe('.datasource', () => {
  it('skips # comment lines in SCHEMA', () => {
    const parsed = ds('SCHEMA >\n  `id` String,\n  # Unix timestamp\n  `time` Int64,\n    # last\n  `n` UInt8\n');
    expect(parsed.columns.map((c) => [c.name, c.line])).toEqual([
      ['id', 2],
      ['time', 4],
      ['n', 6],
    ]);
  });

  it('reads an empty ENGINE_* setting as no setting (an unpartitioned table), as Tinybird does', () => {
    const parsed = ds(
      'SCHEMA >\n    `a` String\n\nENGINE ReplacingMergeTree\nENGINE_PARTITION_KEY ""\nENGINE_SORTING_KEY a\n',
    );
    expect(parsed.engine).toEqual({ engine: 'ReplacingMergeTree', sorting_key: 'a' });
    expect(createTableSql(parsed)).not.toContain('PARTITION BY');
    expect(failure(() => ds('SCHEMA >\n    `a` String\n\nENGINE ""\n'))).toMatch(/ENGINE needs a value/);
  });

  it('reads the demo events data source', async () => {
    const project = await loadProject('examples/tinybird');
    const events = project.datasources.get('events')!;
    expect(events.columns.map((c) => [c.name, c.type, c.default ?? null])).toEqual([
      ['timestamp', 'DateTime', 'now()'],
      ['booking_id', 'String', 'lower(hex(generateUUIDv4()))'],
      ['user_id', 'String', null],
      ['airline', 'LowCardinality(String)', null],
      ['origin', 'LowCardinality(String)', null],
      ['destination', 'LowCardinality(String)', null],
      ['passengers', 'UInt8', '1'],
      ['price', 'Float64', null],
      ['cabin', 'LowCardinality(String)', "'economy'"],
    ]);
    expect(events.engine).toEqual({
      engine: 'MergeTree',
      partition_key: 'toYYYYMM(timestamp)',
      sorting_key: 'airline, timestamp',
    });
    expect(events.tokens.map((t) => [t.name, t.permission])).toEqual([
      ['events_append', 'APPEND'],
      ['events_read', 'READ'],
    ]);
    expect([...project.pipes.keys()].sort()).toEqual(['bookings_per_hour', 'kpis', 'top_airlines', 'user_bookings']);
    expect(project.pipes.get('kpis')?.nodes.map((n) => n.name)).toEqual([
      'current_period',
      'previous_period',
      'endpoint',
    ]);
    expect(project.pipes.get('kpis')?.endpoint).toBe(2);
  });

  it('reads types with spaces and commas, json paths, defaults and codecs', () => {
    const value = ds(`SCHEMA >
    \`a\` DateTime64(3, 'UTC') \`json:$.when\`,
    b Map(String, Array(Nullable(UInt64))) \`json:$.deep.list[0]\` DEFAULT map(),
    \`c\` Decimal(10, 2) CODEC(ZSTD(1)),
    \`d\` String DEFAULT 'x, y' CODEC(LZ4)
`);
    expect(value.columns.map((c) => [c.name, c.type, c.default, c.codec])).toEqual([
      ['a', "DateTime64(3, 'UTC')", undefined, undefined],
      ['b', 'Map(String, Array(Nullable(UInt64)))', 'map()', undefined],
      ['c', 'Decimal(10, 2)', undefined, 'ZSTD(1)'],
      ['d', 'String', "'x, y'", 'LZ4'],
    ]);
    expect(value.columns[1]?.jsonPath).toEqual([{ key: 'deep' }, { key: 'list' }, { index: 0 }]);
    expect(value.columns[2]?.jsonPath).toEqual([{ key: 'c' }]);
  });

  it.each([
    ['ENGINE "MergeTree"\n', 'x.datasource:1: missing `SCHEMA >`'],
    ['SCHEMA >\n    `a` String,\n    `b`\n', 'x.datasource:3: column "b" needs a ClickHouse type'],
    ['SCHEMA >\n    `a` String `json:a.b`\n', 'x.datasource:2: column "a": json path "a.b" must start with $'],
    ['SCHEMA >\n    `a` String `json:$.a..b`\n', 'x.datasource:2: column "a": cannot read json path'],
    ['SCHEMA >\n    `a-b` String\n', 'x.datasource:2: bad column name "a-b"'],
    ['SCHEMA >\n    `a` String,\n    `a` UInt8\n', 'x.datasource:3: column "a" is defined twice'],
    [
      'SCHEMA >\n    `a` Array(String\n',
      'x.datasource:2: column "a" needs a ClickHouse type with balanced parentheses',
    ],
    // Not a datafile keyword: Tinybird keeps the line in the block above it, where it is not a column.
    ['SCHEMA >\n    `a` String\nENGIN "MergeTree"\n', 'x.datasource:2: column "a": cannot read'],
    ['SCHEMA >\n    `a` String\nTOKEN\n', 'x.datasource:3: expected TOKEN <name> READ|APPEND'],
    ['  SCHEMA >\n', 'x.datasource:1: unexpected indented line'],
    ['SCHEMA >\n\nENGINE "MergeTree"\n', 'x.datasource:1: SCHEMA > is followed by no indented block'],
    ['SCHEMA >\n    `a` String junk\n', 'x.datasource:2: column "a": cannot read "junk"'],
  ])('refuses %j: %s', (text, message) => {
    expect(failure(() => ds(text))).toContain(message);
  });
});

describe('.pipe', () => {
  it('reads nodes, descriptions, tokens and the endpoint', () => {
    const value = pipe(`DESCRIPTION >
    All of it

TOKEN "read_it" READ

NODE first
DESCRIPTION >
    The first
SQL >
    SELECT 1 AS x;

NODE second
SQL >
    %
    SELECT x FROM first
    WHERE x > {{ Int32(min, 0) }}
TYPE Endpoint
`);
    expect(value.description).toBe('All of it');
    expect(value.tokens).toEqual([{ name: 'read_it', permission: 'READ', line: 4 }]);
    expect(value.nodes.map((n) => [n.name, n.sql, n.description ?? null])).toEqual([
      ['first', 'SELECT 1 AS x', 'The first'],
      ['second', '%\nSELECT x FROM first\nWHERE x > {{ Int32(min, 0) }}', null],
    ]);
    expect(value.endpoint).toBe(1);
  });

  it.each([
    ['DESCRIPTION >\n    x\n', 'p.pipe:1: a pipe needs at least one `NODE <name>`'],
    ['NODE a\nTYPE endpoint\n', 'p.pipe:1: node "a" has no `SQL >` block'],
    ['SQL >\n    SELECT 1\n', 'p.pipe:1: SQL > outside a node'],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\nNODE b\nSQL >\n    SELECT 2\nTYPE endpoint\n',
      'p.pipe:8: a pipe has one output node (endpoint, materialized or copy); this TYPE endpoint is the second',
    ],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE copy\n',
      'p.pipe:1: node "a" is TYPE copy: name its target with TARGET_DATASOURCE',
    ],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\nCOPY_MODE upsert\n',
      'p.pipe:5: COPY_MODE is append or replace, got "upsert"',
    ],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\nCOPY_SCHEDULE "0 25 * * *"\n',
      'p.pipe:5: COPY_SCHEDULE: cron hour "25": out of range',
    ],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE t\nNODE b\nSQL >\n    SELECT 2\nTYPE endpoint\n',
      'p.pipe:9: a pipe has one output node',
    ],
    [
      'NODE a\nSQL >\n    SELECT 1\nTYPE materialized\n',
      'p.pipe:1: node "a" is TYPE materialized: name its target with DATASOURCE',
    ],
    ['NODE a\nSQL >\n    SELECT 1\nTYPE api\n', 'p.pipe:4: unknown node TYPE "api"'],
    ['NODE a b\nSQL >\n    SELECT 1\n', 'p.pipe:1: NODE needs a name'],
    ['NODE a\nSQL >\n    SELECT 1\nNODE a\nSQL >\n    SELECT 2\n', 'p.pipe:4: node "a" is defined twice'],
    ['lowercase\nNODE a\nSQL >\n    SELECT 1\n', 'p.pipe:1: expected a keyword in capitals'],
  ])('refuses %j: %s', (text, message) => {
    expect(failure(() => pipe(text))).toContain(message);
  });

  it('reads a copy node: target, schedule (default @on-demand) and mode (default append)', () => {
    const parsed = parsePipe(
      'NODE n\nSQL >\n    SELECT 1 AS x\nTYPE COPY\nTARGET_DATASOURCE snapshot\nCOPY_SCHEDULE "*/5 * * * *"\nCOPY_MODE replace\n',
      'p.pipe',
    );
    expect(parsed.value.copy).toEqual({ node: 0, datasource: 'snapshot', schedule: '*/5 * * * *', mode: 'replace' });
    expect(parsed.warnings).toEqual([]);
    expect(parsePipe('NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE s\n', 'p.pipe').value.copy).toEqual({
      node: 0,
      datasource: 's',
      schedule: '@on-demand',
      mode: 'append',
    });
  });

  it('reads a materialized node and its target data source', () => {
    const parsed = parsePipe(
      'NODE clean\nSQL >\n    SELECT 1 AS x\n\nNODE daily\nSQL >\n    SELECT x FROM clean\nTYPE MATERIALIZED\nDATASOURCE "daily"\n',
      'p.pipe',
    );
    expect(parsed.value.materialized).toEqual({ node: 1, datasource: 'daily' });
    expect(parsed.value.endpoint).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
    expect(parsePipe('NODE a\nSQL >\n    SELECT 1\nDATASOURCE t\n', 'p.pipe').warnings).toEqual([
      'p.pipe:1: DATASOURCE is ignored by the local server outside a TYPE materialized node',
    ]);
  });

  it('leaves out (and reports) a node named like a data source, duplicate names and missing copy targets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'react-tinybird-datafiles-'));
    try {
      await writeFile(join(dir, 'events.datasource'), 'SCHEMA >\n    `a` String\n');
      await writeFile(join(dir, 'p.pipe'), 'NODE events\nSQL >\n    SELECT 1\n');
      const problem = async () => {
        const project = await loadProject(dir);
        expect(project.datasources.has('events')).toBe(true);
        return project.problems.map((p) => `${p.file}:${p.line}: ${p.problem}`).join('\n');
      };
      expect(await problem()).toMatch(/p\.pipe:1: node "events" has the name of a data source/);
      await writeFile(join(dir, 'p.pipe'), 'NODE n\nSQL >\n    SELECT 1\n');
      await writeFile(join(dir, 'events.pipe'), 'NODE n\nSQL >\n    SELECT 1\n');
      expect(await problem()).toMatch(/the name "events" is already used/);
      await rm(join(dir, 'events.pipe'));
      await writeFile(
        join(dir, 'p.pipe'),
        'NODE n\nSQL >\n    SELECT a FROM events\nTYPE materialized\nDATASOURCE totals\n',
      );
      // A materialized target no .datasource defines is made from the node once the tables exist (engine).
      expect(await problem()).toBe('');
      await writeFile(
        join(dir, 'p.pipe'),
        'NODE n\nSQL >\n    SELECT a FROM events\nTYPE copy\nTARGET_DATASOURCE snap\n',
      );
      expect(await problem()).toMatch(/p\.pipe:1: node "n" copies into "snap", which no \.datasource file defines/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('json paths', () => {
  it('reads keys, indexes, quoted keys and whole arrays', () => {
    const row = { a: { 'b c': [10, 20] }, list: [1, 2] };
    expect(readJsonPath(row, parseJsonPath("$.a['b c'][1]"))).toBe(20);
    expect(readJsonPath(row, parseJsonPath('$.list[:]'))).toEqual([1, 2]);
    expect(readJsonPath(row, parseJsonPath('$.a.missing'))).toBeUndefined();
    expect(readJsonPath(row, parseJsonPath('$.list.x'))).toBeUndefined();
    expect(parseJsonPath('$')).toEqual([]);
  });

  it("reads a dot before a bracket as the bracket alone: $.['$browser']", () => {
    const row = { $browser: 'Firefox', list: [1, 2] };
    expect(readJsonPath(row, parseJsonPath("$.['$browser']"))).toBe('Firefox');
    expect(readJsonPath(row, parseJsonPath('$.list.[1]'))).toBe(2);
    expect(() => parseJsonPath('$..list')).toThrow(/cannot read json path/);
  });
});

describe('row checks', () => {
  const check = (type: string, value: unknown) => {
    const result = compileRowValidator([{ name: 'v', type, jsonPath: [{ key: 'v' }], line: 1 }])({ v: value });
    return result.row ? { ok: result.row['v'] } : { error: result.errors[0]?.error };
  };

  it.each([
    ['UInt8', 255, { ok: 255 }],
    ['UInt8', 256, { error: expect.stringMatching(/^out of range for UInt8/) }],
    ['Int8', -129, { error: expect.stringMatching(/^out of range for Int8/) }],
    ['UInt64', '18446744073709551615', { ok: '18446744073709551615' }],
    ['UInt64', '18446744073709551616', { error: expect.stringMatching(/^out of range/) }],
    ['Int32', 1.5, { error: expect.stringMatching(/^not an integer/) }],
    ['Int32', '42', { ok: 42 }],
    ['Float64', '1.5', { ok: 1.5 }],
    ['Float64', 'abc', { error: expect.stringMatching(/^not a number/) }],
    ['String', 12, { ok: '12' }],
    ['String', { a: 1 }, { ok: '{"a":1}' }],
    ['Array(String)', [{ a: 1 }, 'b'], { ok: ['{"a":1}', 'b'] }],
    ['DateTime', '1704164645', { error: expect.stringMatching(/^unix seconds sent as a string/) }],
    ['DateTime', 1704164645, { ok: 1704164645 }],
    ['FixedString(2)', 'abc', { error: expect.stringMatching(/^longer than FixedString\(2\)/) }],
    ['DateTime', '2024-01-02 03:04:05', { ok: 1704164645 }],
    ['DateTime', '2024-01-02T03:04:05+01:00', { ok: 1704161045 }],
    ['DateTime', '1969-12-31 23:59:59', { error: expect.stringMatching(/^out of range for DateTime/) }],
    ['DateTime', '2024-02-30 00:00:00', { error: expect.stringMatching(/^not a valid calendar date/) }],
    ["DateTime64(3, 'UTC')", '2024-01-02T03:04:05.123456Z', { ok: '1704164645.123' }],
    ['Date', '2024-01-02', { ok: '2024-01-02' }],
    ['Date', '2150-01-01', { error: expect.stringMatching(/^out of range for a date/) }],
    ['Nullable(UInt8)', null, { ok: null }],
    ['UInt8', null, { error: expect.stringMatching(/^value is required/) }],
    ['LowCardinality(Nullable(String))', null, { ok: null }],
    ['Array(UInt8)', [1, 2], { ok: [1, 2] }],
    ['Array(UInt8)', [1, 999], { error: expect.stringMatching(/^out of range/) }],
    ['Map(String, UInt8)', { a: 1 }, { ok: { a: 1 } }],
    ['Bool', 'true', { ok: true }],
    ['Bool', 'yes', { error: expect.stringMatching(/^not a boolean/) }],
    ['Decimal(5, 2)', '123.45', { ok: '123.45' }],
    ['Decimal(5, 2)', '1234.5', { error: expect.stringMatching(/^too many digits/) }],
    ["Enum8('a' = 1, 'b' = 2)", 'b', { ok: 'b' }],
    ["Enum8('a' = 1, 'b' = 2)", 'c', { error: expect.stringMatching(/^not one of the Enum values 'a', 'b'/) }],
    ['UUID', '0f8fad5b-d9cb-469f-a165-70867728950e', { ok: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
    ['UUID', 'nope', { error: 'not a UUID (got "nope")' }],
  ])('%s with %j', (type, value, expected) => {
    expect(check(type, value)).toEqual(expected);
  });

  it('leaves out a missing value that has a DEFAULT, for ClickHouse to fill', () => {
    const validate = compileRowValidator([
      { name: 'v', type: 'UInt8', jsonPath: [{ key: 'v' }], default: '1', line: 1 },
    ]);
    expect(validate({})).toEqual({ row: {}, errors: [] });
  });
});

describe('DDL', () => {
  it('builds the engine clause from ENGINE_* settings', () => {
    const value = ds(
      `SCHEMA >
    \`id\` UInt64,
    \`v\` UInt32

ENGINE "ReplacingMergeTree"
ENGINE_VER "v"
ENGINE_SORTING_KEY "id"
ENGINE_PARTITION_KEY ""
ENGINE_TTL "toDateTime(v) + INTERVAL 1 DAY"
`.replace('ENGINE_PARTITION_KEY ""\n', ''),
    );
    expect(createTableSql(value)).toBe(
      'CREATE TABLE `x` (\n  `id` UInt64,\n  `v` UInt32\n) ENGINE = ReplacingMergeTree(v) ORDER BY (id) TTL toDateTime(v) + INTERVAL 1 DAY',
    );
  });
});
