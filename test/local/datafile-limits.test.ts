// The per-query limits hold for datafile SQL too. A workspace's admin token writes copy pipes and materialized views,
// which run on the writer session (not a read session), and SETTINGS clauses, which ClickHouse would let lift a
// session's limits: neither may let one request run without end or take the process's memory. The server runs in its
// own process (chDB allows one data directory per process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const SINK = 'SCHEMA >\n    `n` UInt64 `json:$.n`\n\nENGINE "MergeTree"\n';
const copy = (sql: string) => `NODE c\nSQL >\n    ${sql}\nTYPE copy\nTARGET_DATASOURCE sink\n`;
const endpoint = (sql: string) => `NODE endpoint\nSQL >\n    ${sql}\nTYPE endpoint\n`;
/** About 1.2 GB of array in one row: past the writer's 1 GiB. */
const BIG = 'SELECT length(groupArray(number)) AS n FROM numbers(150000000)';

let project: DevProject;
let token: string;
beforeAll(async () => {
  project = await devProject({ 'sink.datasource': SINK }, ['--query-timeout', '5', '--query-memory', '60000000']);
  ({ token } = await project.createWorkspace('feat_limits'));
}, 60_000);
afterAll(() => project?.close());

const build = (files: Record<string, string>) => project.build(files, token);

describe('datafile SQL within the limits', { timeout: 60_000 }, () => {
  it('stops a copy pipe past the memory a query may use, with a 400', async () => {
    expect((await build({ 'sink.datasource': SINK, 'c.pipe': copy(BIG) })).status).toBe(200);
    const res = await project.call('/v0/pipes/c/copy', { method: 'POST' }, token);
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/memory limit/i);
    expect(await project.call('/v0/health')).toMatchObject({ status: 200 });
  });

  it.each([
    ['an endpoint', endpoint('SELECT count() AS n FROM numbers(10) SETTINGS max_execution_time = 0')],
    [
      'an endpoint, in a node it reads',
      `NODE a\nSQL >\n    SELECT 1 AS n SETTINGS max_memory_usage = 0\n\n${endpoint('SELECT n FROM a')}`,
    ],
    [
      'a materialized view',
      `NODE m\nSQL >\n    SELECT n FROM sink SETTINGS readonly = 0\nTYPE materialized\nDATASOURCE sink2\n`,
    ],
  ])('refuses SETTINGS that lift the limits in %s', async (_, pipe) => {
    const res = await build({ 'sink.datasource': SINK, 'p.pipe': pipe });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/would lift the server's limits/);
  });

  it('refuses a copy pipe whose SETTINGS lift the limits, at build and when a parameter reaches them', async () => {
    const built = await build({ 'sink.datasource': SINK, 'c.pipe': copy(`${BIG} SETTINGS MAX_MEMORY_USAGE = 0`) });
    expect(built.status, JSON.stringify(built.json)).toBe(400);
    expect(JSON.stringify(built.json)).toMatch(/would lift the server's limits/);
    const branch = `%\n    ${BIG} {% if defined(lift) %} SETTINGS max_memory_usage = 0 {% end %}`;
    expect((await build({ 'sink.datasource': SINK, 'c.pipe': copy(branch) })).status).toBe(200);
    const res = await project.call('/v0/pipes/c/copy?lift=1', { method: 'POST' }, token);
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/would lift the server's limits/);
  });

  it('keeps SETTINGS that lift nothing', async () => {
    const res = await build({
      'sink.datasource': SINK,
      'p.pipe': endpoint("SELECT count() AS n FROM numbers(10) SETTINGS max_threads = 1, join_algorithm = 'hash'"),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await project.call('/v0/pipes/p.json', {}, token)).json).toMatchObject({ data: [{ n: 10 }] });
  });
});
