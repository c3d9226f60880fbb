// The Data Sources API as real clients call it: files appended or replacing the rows (CSV, NDJSON, Parquet; multipart
// or a plain body), rows deleted by a condition, one data source's description, a whole-row JSON column; and
// @tinybirdco/sdk's calls for each, unchanged. On a server of its own: appends and deletes would move other tests' rows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createTinybirdApi } from '@tinybirdco/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not in the SDK's exports map, but what its CLI calls to read a data source: imported by path, unchanged.
import { getDatasource } from '../../node_modules/@tinybirdco/sdk/dist/api/resources.js';
import { devProject, type DevProject } from './cli';

let project: DevProject;
let files: string;
beforeAll(async () => {
  project = await devProject({
    'clicks.datasource': [
      'DESCRIPTION >',
      '    Clicks',
      '',
      'TOKEN "clicks_append" APPEND',
      '',
      'SCHEMA >',
      '    `page` String `json:$.page`,',
      '    `n` UInt8 `json:$.n`,',
      '    `tags` Array(String) `json:$.tags[:]`,',
      '    `payload` String `json:$.payload`',
      '',
      'ENGINE "MergeTree"',
      'ENGINE_SORTING_KEY "page"',
      '',
    ].join('\n'),
    'raw.datasource': [
      'SCHEMA >',
      '    `timestamp` DateTime `json:$.timestamp`,',
      '    `event` JSON `json:$`',
      '',
      'ENGINE "MergeTree"',
      'ENGINE_SORTING_KEY "timestamp"',
      '',
    ].join('\n'),
  });
  files = await mkdtemp(join(tmpdir(), 'react-tinybird-files-'));
}, 60_000);
afterAll(async () => {
  await project?.close();
  if (files) await rm(files, { recursive: true, force: true });
});

const call = (path: string, init?: RequestInit, token?: string) => project.call(path, init, token);
const rows = async (query: string) =>
  (await call(`/v0/sql?q=${encodeURIComponent(`${query} FORMAT JSON`)}`)).json.data as Array<Record<string, unknown>>;
const upload = (name: string, bytes: string | Uint8Array, field = 'csv') => {
  const form = new FormData();
  form.append(field, new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), name);
  return form;
};

describe('Data Sources API: files', { timeout: 60_000 }, () => {
  it('appends a CSV upload (multipart, header or not) with quarantine, in Tinybird answer shape', async () => {
    await call('/v0/datasources/clicks/truncate', { method: 'POST' });
    const csv = 'page,n,tags,payload\n/a,1,"[""x"",""y""]",p\n/b,300,[],q\n"/c, quoted",3,[],"line\nbreak"\n';
    const res = await call('/v0/datasources?name=clicks&mode=append&format=csv', {
      method: 'POST',
      body: upload('clicks.csv', csv),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      datasource: { name: 'clicks' },
      quarantine_rows: 1,
      invalid_lines: 0,
      error: expect.stringMatching(/quarantine/),
    });
    expect(typeof res.json.import_id).toBe('string');
    expect(await rows('SELECT page, n, tags, payload FROM clicks ORDER BY page')).toEqual([
      { page: '/a', n: 1, tags: ['x', 'y'], payload: 'p' },
      { page: '/c, quoted', n: 3, tags: [], payload: 'line\nbreak' },
    ]);
    // Without a header the columns are taken in order.
    const plain = await call('/v0/datasources?name=clicks&mode=append', {
      method: 'POST',
      body: upload('more.csv', '/d,4,[],r\n'),
    });
    expect(plain.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await rows("SELECT n FROM clicks WHERE page = '/d'")).toEqual([{ n: 4 }]);
  });

  it('appends NDJSON (multipart or body) reading objects into String columns, and replaces all rows', async () => {
    const ndjson = [
      '{"page":"/e","n":5,"tags":["t"],"payload":{"deep":[1,2]}}',
      '{"page":"/f","n":-1,"tags":[],"payload":"x"}',
    ].join('\n');
    const res = await call('/v0/datasources?name=clicks&mode=append&format=ndjson', {
      method: 'POST',
      body: upload('clicks.ndjson', ndjson, 'ndjson'),
    });
    expect(res.json).toMatchObject({ quarantine_rows: 1, error: expect.stringMatching(/1 rows in quarantine/) });
    expect(await rows("SELECT payload FROM clicks WHERE page = '/e'")).toEqual([{ payload: '{"deep":[1,2]}' }]);

    const replaced = await call('/v0/datasources?name=clicks&mode=replace&format=ndjson', {
      method: 'POST',
      body: '{"page":"/only","n":1,"tags":[],"payload":""}\n',
      headers: { 'Content-Type': 'application/x-ndjson' },
    });
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(await rows('SELECT page FROM clicks')).toEqual([{ page: '/only' }]);
  });

  it('a replace whose rows all fail keeps the old rows', async () => {
    const res = await call('/v0/datasources?name=clicks&mode=replace&format=ndjson', {
      method: 'POST',
      body: '{"page":"/bad","n":999}\n',
    });
    expect(res.json.quarantine_rows).toBe(1);
    expect(await rows('SELECT page FROM clicks')).toEqual([{ page: '/only' }]);
  });

  it('appends a Parquet file, as the Query API writes it', async () => {
    const parquet = await fetch(
      `${project.dev.url}/v0/sql?q=${encodeURIComponent("SELECT '/pq' AS page, toUInt8(7) AS n, ['p','q'] AS tags, 'z' AS payload FORMAT Parquet")}`,
      { headers: { Authorization: `Bearer ${project.dev.adminToken}` } },
    );
    expect(parquet.status).toBe(200);
    const bytes = new Uint8Array(await parquet.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 4)).toString()).toBe('PAR1');
    const res = await call('/v0/datasources?name=clicks&mode=append&format=parquet', {
      method: 'POST',
      body: upload('clicks.parquet', bytes, 'parquet'),
    });
    expect(res.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await rows("SELECT n, tags FROM clicks WHERE page = '/pq'")).toEqual([{ n: 7, tags: ['p', 'q'] }]);
  });

  it('deletes rows by a condition: dry run counts, the job is done at once and GET /v0/jobs/<id> has it', async () => {
    await call('/v0/events?name=clicks&wait=true', {
      method: 'POST',
      body: ['/del1', '/del2', '/keep'].map((page) => JSON.stringify({ page, n: 1, tags: [], payload: '' })).join('\n'),
    });
    const form = (body: Record<string, string>) => ({
      method: 'POST',
      body: new URLSearchParams(body).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const dry = await call(
      '/v0/datasources/clicks/delete',
      form({ delete_condition: "startsWith(page, '/del')", dry_run: 'true' }),
    );
    expect(dry.json).toEqual({ rows_to_be_deleted: 2 });
    const done = await call('/v0/datasources/clicks/delete', form({ delete_condition: "startsWith(page, '/del')" }));
    expect(done.status).toBe(201);
    expect(done.json).toMatchObject({ id: done.json.job_id, delete_id: done.json.job_id, status: 'done' });
    expect(done.json.job).toMatchObject({ kind: 'delete_data', status: 'done', rows_affected: 2 });
    expect(await rows("SELECT page FROM clicks WHERE startsWith(page, '/del') OR page = '/keep'")).toEqual([
      { page: '/keep' },
    ]);
    expect((await call(`/v0/jobs/${done.json.job_id}`)).json).toMatchObject({ kind: 'delete_data', status: 'done' });
    for (const bad of ['', '1) OR (1; DROP TABLE clicks', 'nope = 1', 'page IN (SELECT page FROM raw)']) {
      const res = await call('/v0/datasources/clicks/delete', form({ delete_condition: bad }));
      expect(res.status, `${bad}: ${JSON.stringify(res.json)}`).toBe(400);
    }
    expect((await call('/v0/datasources/nope/delete', form({ delete_condition: '1' }))).status).toBe(404);
    const append = ((await call('/v0/tokens')).json.tokens as Array<{ name: string; token: string }>).find(
      (t) => t.name === 'clicks_append',
    )!.token;
    expect((await call('/v0/datasources/clicks/delete', form({ delete_condition: '1' }), append)).status).toBe(403);
    expect(await rows("SELECT page FROM clicks WHERE page = '/keep'")).toHaveLength(1);
  });

  it('describes one data source: columns with their JSONPaths, engine and row count', async () => {
    const res = await call('/v0/datasources/clicks');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'clicks',
      description: 'Clicks',
      engine: { engine: 'MergeTree', engine_sorting_key: 'page' },
      columns: [
        { name: 'page', type: 'String', jsonpath: '$.page', nullable: false },
        { name: 'n', type: 'UInt8', jsonpath: '$.n' },
        { name: 'tags', type: 'Array(String)', jsonpath: '$.tags[:]' },
        { name: 'payload', type: 'String', jsonpath: '$.payload' },
      ],
    });
    expect(res.json.statistics.row_count).toBeGreaterThan(0);
    expect((await call('/v0/datasources/nope')).status).toBe(404);
  });

  it('keeps a whole-row JSON column (`json:$`) from the Events API and from a file', async () => {
    const line = JSON.stringify({ timestamp: '2024-01-02 03:04:05', user: { name: 'ana' }, n: 2 });
    const events = await call('/v0/events?name=raw&wait=true', { method: 'POST', body: line });
    expect(events.json).toEqual({ successful_rows: 1, quarantined_rows: 0 });
    const file = await call('/v0/datasources?name=raw&mode=append&format=ndjson', {
      method: 'POST',
      body: upload('raw.ndjson', JSON.stringify({ timestamp: '2024-01-03 00:00:00', user: { name: 'bo' } }), 'ndjson'),
    });
    expect(file.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await rows('SELECT toString(event.user.name) AS who, timestamp FROM raw ORDER BY timestamp')).toEqual([
      { who: 'ana', timestamp: '2024-01-02 03:04:05' },
      { who: 'bo', timestamp: '2024-01-03 00:00:00' },
    ]);
    expect((await call('/v0/datasources/raw')).json.columns[1]).toMatchObject({ name: 'event', jsonpath: '$' });
  });
});

describe('static tokens created over HTTP', { timeout: 60_000 }, () => {
  it('survive a restart, and a deleted one stays deleted', async () => {
    const kept = await call('/v0/tokens/?name=kept_reader&scope=DATASOURCES:READ:clicks', { method: 'POST' });
    const gone = await call('/v0/tokens/?name=gone_reader&scope=DATASOURCES:READ:clicks', { method: 'POST' });
    expect((await call('/v0/tokens/gone_reader', { method: 'DELETE' })).json).toEqual({ ok: true });
    await project.restart();
    const read = (token: string) =>
      call(`/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM clicks')}`, {}, token);
    expect((await read(kept.json.token)).status).toBe(200);
    expect((await read(gone.json.token)).status).toBe(403);
  });
});

describe('@tinybirdco/sdk data source calls against the local server', { timeout: 60_000 }, () => {
  it('appendDatasource (file, append and replace), deleteDatasource, getDatasource work unchanged', async () => {
    const api = createTinybirdApi({ baseUrl: project.dev.url, token: project.dev.adminToken });
    const csv = join(files, 'sdk.csv');
    await writeFile(csv, 'page,n,tags,payload\n/sdk1,1,[],a\n/sdk2,2,[],b\n');
    const appended = await api.appendDatasource('clicks', { file: csv });
    expect(appended).toMatchObject({ quarantine_rows: 0 });
    const ndjson = join(files, 'sdk.ndjson');
    await writeFile(ndjson, '{"page":"/sdk3","n":3,"tags":[],"payload":"c"}\n');
    await api.appendDatasource('clicks', { file: ndjson });
    expect(await rows("SELECT page FROM clicks WHERE startsWith(page, '/sdk') ORDER BY page")).toEqual([
      { page: '/sdk1' },
      { page: '/sdk2' },
      { page: '/sdk3' },
    ]);
    const dry = await api.deleteDatasource('clicks', { deleteCondition: "page = '/sdk1'", dryRun: true });
    expect(dry.rows_to_be_deleted).toBe(1);
    const deleted = await api.deleteDatasource('clicks', { deleteCondition: "page = '/sdk1'" });
    expect(deleted).toMatchObject({ status: 'done', delete_id: deleted.id });
    expect(await rows("SELECT page FROM clicks WHERE page = '/sdk1'")).toEqual([]);

    const client = createClient({ baseUrl: project.dev.url, token: project.dev.adminToken });
    await client.datasources.replace('clicks', { file: ndjson });
    expect(await rows('SELECT page FROM clicks')).toEqual([{ page: '/sdk3' }]);

    const info = await getDatasource({ baseUrl: project.dev.url, token: project.dev.adminToken }, 'clicks');
    expect(info).toMatchObject({
      name: 'clicks',
      engine: { type: 'MergeTree', sorting_key: 'page' },
      columns: [
        { name: 'page', type: 'String', jsonpath: '$.page' },
        { name: 'n', type: 'UInt8' },
        { name: 'tags', type: 'Array(String)' },
        { name: 'payload', type: 'String' },
      ],
    });
  });
});
