// `react-tinybird types` on a project written for it: every column type, every param function, a broken template,
// names that are not identifiers and row types whose names collide. The file it writes must compile.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTypes, type WriteTypesResult } from '../../../src/local/types-gen/write-types';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

const FILES: Record<string, string> = {
  'events.datasource': `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`user_id\` String \`json:$.user.id\`,
    \`plan\` LowCardinality(Nullable(String)) \`json:$.user.plan\`,
    \`amount\` Decimal(10, 2) \`json:$.amount\`,
    \`big\` Int64 \`json:$.big\` DEFAULT 0,
    \`tags\` Array(String) \`json:$.tags[:]\`,
    \`kind\` Enum8('click' = 1, 'view' = 2) \`json:$.kind\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`,
  'all_columns.pipe': `NODE endpoint
SQL >
    SELECT
        toUInt8(1) AS u8, toInt64(-1) AS i64, toUInt64(1) AS u64, toFloat32(1.5) AS f32, toDecimal64(1.5, 2) AS dec,
        true AS flag, 'a' AS s, toFixedString('ab', 2) AS fixed, generateUUIDv4() AS id, toIPv4('1.2.3.4') AS ip,
        today() AS d, now() AS dt, now64(3) AS dt64, toNullable('x') AS maybe, toLowCardinality('lc') AS lc,
        [1, 2] AS arr, [NULL, 'a'] AS arr_null, map('k', 1) AS m, tuple(1, 'a') AS tup,
        CAST((1, 'a'), 'Tuple(n UInt8, s String)') AS named, CAST('view', 'Enum8(\\'click\\' = 1, \\'view\\' = 2)') AS e,
        NULL AS nothing, uniqState(1) AS state, 1 AS \`not an identifier\`
TYPE endpoint
`,
  'all_params.pipe': `DESCRIPTION >
    Every param function.

NODE endpoint
SQL >
    %
    SELECT 1 AS one
    WHERE length(toString(tuple(
        {{ Int8(i8, 1) }}, {{ UInt64(u64, 1) }}, {{ Int(i, 1) }}, {{ Float64(f, 1.5) }},
        {{ String(s, 'a', description="A string, described") }}, {{ Boolean(b, False) }},
        {{ Date(day, '2024-01-01') }}, {{ DateTime(since, '2024-01-01 00:00:00') }},
        {{ DateTime64(since64, '2024-01-01 00:00:00.000') }},
        {% if defined(ids) %} {{ Array(ids, 'Int32') }}, {% end %}
        {{ String(period, 'day', enum=['day', 'week']) }},
        {{ String(user_id, required=True) }},
        {{ Int32(needed) }}))) > 0
TYPE endpoint
`,
  'broken.pipe': `NODE endpoint
SQL >
    %
    SELECT 1 {% if defined(x) %} unclosed
TYPE endpoint
`,
  'top_airlines.pipe': `NODE endpoint
SQL >
    SELECT 1 AS a
TYPE endpoint
`,
  'top__airlines.pipe': `NODE endpoint
SQL >
    SELECT 'x' AS b
TYPE endpoint
`,
  'materialized.pipe': `NODE n
SQL >
    SELECT timestamp FROM events
TYPE materialized
DATASOURCE events_copy
`,
  'events_copy.datasource': `SCHEMA >
    \`timestamp\` DateTime

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`,
};

let dir: string;
let result: WriteTypesResult;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'types-gen-'));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
  result = await writeTypes(dir, join(dir, 'out', 'tinybird-types.ts'));
  source = await readFile(join(dir, 'out', 'tinybird-types.ts'), 'utf8');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The body of one generated interface or type. */
function block(name: string): string {
  const m = new RegExp(`export (?:interface|type) ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source);
  if (!m) throw new Error(`no ${name} in\n${source}`);
  return m[1]!
    .replace(/^\s*(\/\/|\/\*\*|\*).*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('react-tinybird types', () => {
  it('counts what it typed and reports the broken pipe with its file and line', () => {
    expect(result).toMatchObject({ endpoints: 5, fullyTyped: 4, datasources: 2, written: true });
    expect(result.problems).toEqual([expect.stringMatching(/^broken\.pipe:\d+: node "endpoint": .*end/i)]);
    expect(source).toMatch(/\/\/ Not fully typed:\n\/\/ {3}broken\.pipe:/);
  });

  it('types each column as the JSON carries it', () => {
    expect(block('AllColumnsRow')).toBe(
      [
        'u8: number; i64: number; u64: number; f32: number; dec: number; flag: boolean; s: string; fixed: string;',
        'id: string; ip: string; d: string; dt: string; dt64: string; maybe: string | null; lc: string; arr: number[];',
        'arr_null: (string | null)[]; m: Record<string, number>; tup: [number, string]; named: { n: number; s: string };',
        'e: "click" | "view"; nothing: null; state: unknown; "not an identifier": number;',
      ].join(' '),
    );
    expect(source).toMatch(/\/\/ AggregateFunction\(uniq, UInt8\): an aggregate state has no JSON form/);
  });

  it('types each param from its type function, required ones required', () => {
    expect(block('AllParamsParams')).toBe(
      [
        'i8?: number | null; u64?: number | null; i?: number | null; f?: number | null; s?: string | null;',
        'b?: boolean | null; day?: string | null; since?: Date | string | null; since64?: Date | string | null;',
        'ids?: readonly number[] | null; period?: "day" | "week" | null; user_id: string; needed: number;',
      ].join(' '),
    );
    expect(source).toContain('/** A string, described. Default: `"a"`. */');
    // ClickHouse described the endpoint although two params are required: they were given placeholder values.
    expect(block('AllParamsRow')).toBe('one: number;');
  });

  it('types the appended row from the schema and json paths', () => {
    expect(block('EventsAppendRow')).toBe(
      [
        'timestamp: string | number | Date; user: { id: string; plan?: string | null; };',
        'amount: number | string; big?: number | string; tags: unknown; kind: "click" | "view";',
      ].join(' '),
    );
  });

  it('registers every endpoint, disambiguating row types whose names collide', () => {
    expect(source).toContain('top__airlines: { params: TopAirlinesParams; row: TopAirlinesRow };');
    expect(source).toContain('top_airlines: { params: TopAirlinesParams2; row: TopAirlinesRow2 };');
    expect(source).toContain('broken: { params: BrokenParams; row: BrokenRow };');
    expect(source).toContain('export type BrokenParams = Params;');
    expect(source).not.toContain('materialized:');
    expect(source).toContain('events_copy: { append: EventsCopyAppendRow };');
  });

  // Type-checks the library's sources with it: seconds on a loaded machine.
  it('writes a file TypeScript accepts, and leaves it alone when nothing changed', { timeout: 60_000 }, async () => {
    const file = join(dir, 'out', 'tinybird-types.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      types: [],
      baseUrl: SRC,
      paths: { 'react-tinybird': ['index.ts'] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    expect((await writeTypes(dir, file)).written).toBe(false);
  });

  it('a project with no endpoints still writes a valid, empty registry', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'types-empty-'));
    try {
      const out = join(empty, 'types.ts');
      const written = await writeTypes(empty, out);
      expect(written).toMatchObject({ endpoints: 0, datasources: 0, problems: [] });
      expect(await readFile(out, 'utf8')).toMatch(
        /endpoints: \{\n {4}\};\n {4}datasources: \{\n {4}\};[\s\S]*export \{\};/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
