// Copy pipes on demand: POST /v0/pipes/<name>/copy writes the pipe's result into its TARGET_DATASOURCE, appending or
// replacing, with template params from the query string; a failed replace leaves the rows that were there. The server
// runs in its own process (one chDB data directory per process) on a temp project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const BOOKINGS = `TOKEN "reader" READ

SCHEMA >
    \`airline\` String \`json:$.airline\`,
    \`price\` Float64 \`json:$.price\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "airline"
`;
const SNAPSHOT = `SCHEMA >
    \`airline\` String,
    \`revenue\` Float64

ENGINE "MergeTree"
ENGINE_SORTING_KEY "airline"
`;
// Templated, with defaults; `fail=1` makes ClickHouse throw while the query runs.
const SNAPSHOT_PIPE = `NODE revenue
SQL >
    %
    SELECT airline, sum(price) AS revenue
    FROM bookings
    WHERE price >= {{ Float64(min_price, 0) }} AND throwIf({{ Int32(fail, 0) }} = 1, 'asked to fail') = 0
    GROUP BY airline
TYPE COPY
TARGET_DATASOURCE snapshot
COPY_MODE append
`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'bookings.datasource': BOOKINGS,
    'snapshot.datasource': SNAPSHOT,
    'snapshot_revenue.pipe': SNAPSHOT_PIPE,
    'list.pipe': 'NODE e\nSQL >\n    SELECT * FROM snapshot\nTYPE endpoint\n',
  });
  const body = [
    '{"airline":"KLM","price":100}',
    '{"airline":"KLM","price":20}',
    '{"airline":"Iberia","price":50}',
  ].join('\n');
  await project.call('/v0/events?name=bookings&wait=true', { method: 'POST', body });
}, 60_000);
afterAll(() => project?.close());

const call = (path: string, init?: RequestInit, token?: string) => project.call(path, init, token);
const copy = (query = '') => call(`/v0/pipes/snapshot_revenue/copy${query}`, { method: 'POST' });
const snapshot = async () =>
  (
    await call(
      `/v0/sql?q=${encodeURIComponent('SELECT airline, revenue FROM snapshot ORDER BY airline, revenue FORMAT JSON')}`,
    )
  ).json.data;

describe('copy pipes', { timeout: 60_000 }, () => {
  it('append the result to the target on each run, and answer a finished job', async () => {
    const first = await copy();
    expect(first.status).toBe(200);
    expect(first.json.job).toMatchObject({
      kind: 'copy',
      status: 'done',
      pipe_name: 'snapshot_revenue',
      mode: 'append',
      rows_written: 2,
      datasource: { name: 'snapshot' },
    });
    expect((await call(new URL(first.json.job.job_url).pathname)).json).toEqual(first.json.job);
    await copy();
    expect(await snapshot()).toEqual([
      { airline: 'Iberia', revenue: 50 },
      { airline: 'Iberia', revenue: 50 },
      { airline: 'KLM', revenue: 120 },
      { airline: 'KLM', revenue: 120 },
    ]);
  });

  it('replace the target with _mode=replace, rendering template params from the query string', async () => {
    const run = await copy('?_mode=replace&min_price=60');
    expect(run.json.job).toMatchObject({ mode: 'replace', rows_written: 1 });
    expect(await snapshot()).toEqual([{ airline: 'KLM', revenue: 100 }]);
  });

  it('leave the rows that were there when a replace fails, with ClickHouse’s reason', async () => {
    const failed = await copy('?_mode=replace&fail=1');
    expect(failed.status).toBe(400);
    expect(failed.json.error).toMatch(/The copy pipe snapshot_revenue failed: .*asked to fail/s);
    expect(await snapshot()).toEqual([{ airline: 'KLM', revenue: 100 }]);
    expect((await copy('?min_price=abc')).status).toBe(400); // a wrong param type, before anything runs
    expect(await snapshot()).toEqual([{ airline: 'KLM', revenue: 100 }]);
  });

  it('refuse other tokens, other pipes and unknown names', async () => {
    const tokens = (await call('/v0/tokens')).json.tokens as Array<{ name: string; token: string }>;
    const reader = tokens.find((t) => t.name === 'reader')!.token;
    expect((await call('/v0/pipes/snapshot_revenue/copy', { method: 'POST' }, reader)).status).toBe(403);
    expect((await call('/v0/pipes/list/copy', { method: 'POST' })).json.error).toMatch(/is not a copy pipe/);
    expect((await call('/v0/pipes/nope/copy', { method: 'POST' })).status).toBe(404);
    expect((await call('/v0/pipes/snapshot_revenue.json')).status).toBe(404); // a copy pipe is not an endpoint
  });
});
