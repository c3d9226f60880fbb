// Rows come from ClickHouse describing the endpoint's SQL rendered with made-up values for the params it needs. Real
// projects compare a text param with a number column, refuse to run at their defaults, or want a date: each of these
// pipes went untyped before the generator tried other values.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject, type SourceProject } from '../../../src/local/types-gen/adapter';
import { generateTypes, type GeneratedTypes } from '../../../src/local/types-gen/generate';

const endpoint = (sql: string) =>
  `NODE endpoint\nSQL >\n    %\n    ${sql.trim().replace(/\n/g, '\n    ')}\nTYPE endpoint\n`;

const FILES: Record<string, string> = {
  'events.datasource': `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`big\` Int64 \`json:$.big\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`,
  // A text param compared with an Int64 column: 'a' does not convert, '1' does.
  'text_as_number.pipe': endpoint('SELECT count() AS n FROM events WHERE big = {{ String(id, required=True) }}'),
  // The template refuses to run at its defaults: only with a param set does it render.
  'a_or_b.pipe': endpoint(`
{% if not defined(a) and not defined(b) %} {{ error('give a or b', 400) }} {% end %}
SELECT count() AS n FROM events WHERE 1 {% if defined(a) %} AND big > {{ Int32(a) }} {% end %}`),
  // A required param with a default: the default is what the SQL can take.
  'bucket.pipe': endpoint(
    "SELECT toStartOfInterval(timestamp, INTERVAL {{ String(minutes, '30', required=True) }} minute) AS t FROM events",
  ),
  // Date() and DateTime64() check the text's shape before ClickHouse sees it.
  'dates.pipe': endpoint(
    'SELECT count() AS n FROM events WHERE toDate(timestamp) BETWEEN {{ Date(start) }} AND {{ Date(end) }} AND timestamp > {{ DateTime64(after) }}',
  ),
  // Only some values run: the ones the template compares the param with.
  'by_kpi.pipe': endpoint(`
{% if not defined(kpi) or kpi not in ['visits', 'hits'] %} {{ error('kpi must be visits or hits', 400) }} {% end %}
SELECT {% if kpi == 'visits' %} count() {% else %} sum(big) {% end %} AS v FROM events`),
  // No values help: the table does not exist, which is what is reported, not the template's own refusal.
  'nowhere.pipe': endpoint(`
{% if not defined(day) %} {{ error('give day', 400) }} {% end %}
SELECT * FROM missing_table WHERE d = {{ Date(day) }}`),
};

let dir: string;
let project: SourceProject;
let generated: GeneratedTypes;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'types-values-'));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
  project = await openProject(dir);
  generated = await generateTypes(project, 'values');
});

afterAll(async () => {
  await project.close();
  await rm(dir, { recursive: true, force: true });
});

it('describes every endpoint, trying other values when the first are refused', () => {
  expect(generated).toMatchObject({ endpoints: 6, fullyTyped: 5 });
  expect(generated.source).toMatch(/export interface ByKpiRow \{\n[^}]*v: number;\n\}/);
  expect(generated.source).toMatch(/export interface TextAsNumberRow \{\n[^}]*n: number;\n\}/);
  expect(generated.source).toMatch(/export interface AOrBRow \{\n[^}]*n: number;\n\}/);
  expect(generated.source).toMatch(/export interface BucketRow \{\n[^}]*t: string;\n\}/);
  expect(generated.source).toMatch(/export interface DatesRow \{\n[^}]*n: number;\n\}/);
});

it('reports the most telling refusal when no values work: ClickHouse on the query, not the template on a value', () => {
  expect(generated.problems).toEqual([
    expect.stringMatching(/^nowhere\.pipe:\d+: the output columns of nowhere are unknown: .*UNKNOWN_TABLE/),
  ]);
});
