// What real Tinybird projects write, served unchanged: one small datafile for each habit of Tinybird's own projects
// that the local server used to refuse (classic pipes without TYPE, pipes read as tables, unindented SQL lines,
// ENGINE lines in materialized pipes, TOKEN words, INCLUDE, templated materialized nodes, node evaluation order) and
// a broken datafile that must not stop the rest. One server in its own process (chDB: one data directory each).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { devProject, type DevProject } from './cli';

const FILES: Record<string, string> = {
  'events.datasource': `TOKEN "ingest from the app" APPEND
TOKEN app CREATE

SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`user\` String \`json:$.user\`,
    \`amount\` Int32 \`json:$.amount\`,

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
KAFKA_CONNECTION_NAME "prod_kafka"
`,
  'raw.datasource': `SCHEMA >
    \`event\` String \`json:$\`
`,
  // Classic CLI: no TYPE line, the last node is the endpoint.
  'classic.pipe': `NODE first
SQL >
    SELECT user, amount FROM events

NODE second
SQL >
    SELECT user, sum(amount) AS total FROM first GROUP BY user ORDER BY user
`,
  // A templated pipe read by another one: its template renders with the request's params.
  'big_spenders.pipe': `NODE filter
SQL >
%
    SELECT user, amount FROM events WHERE amount >= {{ Int32(min_amount, 0) }}
`,
  'spender_count.pipe': `DESCRIPTION >
    Users above a threshold.
A second paragraph, at column 0, still belongs to the description.

NODE counted
SQL >
    SELECT count() AS n FROM big_spenders

TYPE endpoint
`,
  // Tinybird renders the output node first: its error() answers before the earlier node's parameter check.
  'ordered.pipe': `NODE base
SQL >
    %
    SELECT user FROM events WHERE timestamp >= {{ DateTime(start) }}

NODE out
SQL >
    %
    {% if not defined(start) %}
        {{ error('start (DateTime) query param is required') }}
    {% end %}
    SELECT * FROM base

TYPE endpoint
`,
  'included.pipe': `INCLUDE "shared.incl"

NODE out
SQL >
    SELECT count() AS n FROM events

TYPE endpoint
`,
  'shared.incl': `DESCRIPTION >
    Written once in an include file
`,
  'broken.pipe': `NODE a
SQL >
    SELECT 1
TYPE nonsense
`,
};

/** A materialized pipe added later, as the classic CLI writes one: over a pipe, templated, with ENGINE lines. */
const LATER: Record<string, string> = {
  'user_totals.datasource': `SCHEMA >
    \`user\` String,
    \`payments\` AggregateFunction(count),
    \`total\` SimpleAggregateFunction(sum, Int64)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "user"
`,
  'user_totals_mv.pipe': `NODE totals
SQL >
    %
    SELECT sum(toInt64(amount)) AS total, user, countState() AS payments
    FROM big_spenders
    WHERE amount >= {{ Int32(floor, 0) }}
    GROUP BY user

TYPE materialized
DATASOURCE user_totals
ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "user"
`,
};

let project: DevProject;

beforeAll(async () => {
  project = await devProject(FILES);
  const rows = [
    { timestamp: '2026-01-01 10:00:00', user: 'ann', amount: 5 },
    { timestamp: '2026-01-01 11:00:00', user: 'bob', amount: 50 },
    { timestamp: '2026-01-02 10:00:00', user: 'ann', amount: 70 },
  ];
  const res = await project.call('/v0/events?name=events&wait=true', {
    method: 'POST',
    body: rows.map((r) => JSON.stringify(r)).join('\n'),
  });
  expect(res.status).toBe(200);
}, 60_000);

afterAll(() => project?.close());

describe('datafiles as Tinybird projects write them', () => {
  it('publishes the last node of a classic pipe that has no TYPE line', async () => {
    const res = await project.call('/v0/pipes/classic.json');
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([
      { user: 'ann', total: 75 },
      { user: 'bob', total: 50 },
    ]);
  });

  it("renders a pipe read as a table with the request's params", async () => {
    expect((await project.call('/v0/pipes/spender_count.json')).json.data).toEqual([{ n: 3 }]);
    expect((await project.call('/v0/pipes/spender_count.json?min_amount=50')).json.data).toEqual([{ n: 2 }]);
  });

  it('keeps unindented lines in a block, and accepts TOKEN words, a trailing comma and deploy-only keywords', async () => {
    const list = await project.call('/v0/pipes');
    const described = list.json.pipes.find((p: { name: string }) => p.name === 'spender_count');
    expect(described.description).toContain('A second paragraph, at column 0');
    const tokens = await project.call('/v0/tokens');
    const names = tokens.json.tokens.map((t: { name: string }) => t.name);
    expect(names).toContain('ingest from the app');
    expect(project.dev.output()).toMatch(/TOKEN app CREATE is accepted/);
    expect(project.dev.output()).toMatch(/KAFKA_CONNECTION_NAME is ignored/);
  });

  it('reads a whole-row JSON column (`json:$`) into its data source', async () => {
    const sources = await project.call('/v0/datasources');
    expect(sources.json.datasources.map((d: { name: string }) => d.name)).toContain('raw');
  });

  it('expands INCLUDE files', async () => {
    const list = await project.call('/v0/pipes');
    const included = list.json.pipes.find((p: { name: string }) => p.name === 'included');
    expect(included.description).toContain('Written once in an include file');
    expect((await project.call('/v0/pipes/included.json')).json.data).toEqual([{ n: 3 }]);
  });

  it("answers the output node's error() before an earlier node's parameter check", async () => {
    const res = await project.call('/v0/pipes/ordered.json');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('start (DateTime) query param is required');
    expect((await project.call('/v0/pipes/ordered.json?start=2026-01-02%2000:00:00')).json.data).toEqual([
      { user: 'ann' },
    ]);
  });

  it('leaves a refused datafile out, says why, and serves the rest', async () => {
    expect(project.dev.output()).toMatch(/broken\.pipe:4: unknown node TYPE "nonsense".*left out/);
    const res = await project.call('/v0/pipes/broken.json');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/broken\.pipe:4: unknown node TYPE "nonsense"/);
    const list = await project.call('/v0/pipes');
    expect(list.json.errors).toEqual([expect.objectContaining({ name: 'broken', line: 4 })]);
  });

  it('fills a new materialized target from a templated pipe over a pipe, by column name', async () => {
    for (const [name, text] of Object.entries(LATER)) await writeFile(join(project.dir, name), text);
    await project.restart();
    const sql = (q: string) => project.call(`/v0/sql?q=${encodeURIComponent(q)}`);
    const totals = await sql(
      'SELECT user, countMerge(payments) AS n, sum(total) AS total FROM user_totals GROUP BY user ORDER BY user',
    );
    expect(totals.status).toBe(200);
    expect(totals.json.data).toEqual([
      { user: 'ann', n: 2, total: 75 },
      { user: 'bob', n: 1, total: 50 },
    ]);
    // And the view keeps it up to date on new rows.
    await project.call('/v0/events?name=events&wait=true', {
      method: 'POST',
      body: JSON.stringify({ timestamp: '2026-01-03 10:00:00', user: 'bob', amount: 1 }),
    });
    await eventually(async () => {
      const again = await sql("SELECT sum(total) AS total FROM user_totals WHERE user = 'bob'");
      expect(again.json.data).toEqual([{ total: 51 }]);
    });
  }, 60_000);
});
