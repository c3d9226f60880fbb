// A `POST /v1/build` is all or nothing: the new version is made aside and swapped in only when ClickHouse took all of
// it, so a build refused at CREATE time (not only at parse time) leaves the previous version serving with its rows.
// One that goes through moves the rows of a changed data source to its new table. `.connection` files are accepted and
// reported as not running here. The server runs in its own process (chDB allows one data directory per process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/json';
import { devProject, type DevProject } from './cli';

const NOTES = 'SCHEMA >\n    `text` String `json:$.text`\n\nENGINE "MergeTree"\n';
const ITEMS = (key = 'id') =>
  `SCHEMA >\n    \`id\` Int32 \`json:$.id\`,\n    \`name\` String \`json:$.name\`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "${key}"\n`;
const pipe = (sql: string) => `NODE endpoint\nSQL >\n    ${sql}\nTYPE endpoint\n`;
/** The first version: two data sources with a row each, and their endpoints. */
const V1 = {
  'notes.datasource': NOTES,
  'items.datasource': ITEMS(),
  'notes_all.pipe': pipe('SELECT text FROM notes'),
  'items_all.pipe': pipe('SELECT id, name FROM items ORDER BY id'),
};
/** `notes` with one more column: a change that moves its rows. */
const NOTES_WITH_N =
  'SCHEMA >\n    `text` String `json:$.text`,\n    `n` Int32 `json:$.n` DEFAULT 7\n\nENGINE "MergeTree"\n';

let project: DevProject;
let token: string;
let user: string;
beforeAll(async () => {
  project = await devProject({
    'seed.datasource': NOTES,
    // Served from the folder (a start checks no endpoint), refused by ClickHouse on each request.
    'by_state.pipe': pipe('SELECT text, sumState(length(text)) OVER (ORDER BY text) AS s FROM seed ORDER BY s'),
  });
  user = await project.userToken();
  ({ token } = await project.createWorkspace('feat_atomic'));
}, 60_000);
afterAll(() => project?.close());

const build = (files: Record<string, string>, as = token) => project.build(files, as);
const append = (datasource: string, rows: object[], as = token) =>
  project.call(
    `/v0/events?name=${datasource}&wait=true`,
    { method: 'POST', body: rows.map((r) => JSON.stringify(r)).join('\n') },
    as,
  );
const rows = async (pipeName: string) => {
  const res = await project.call(`/v0/pipes/${pipeName}.json`, {}, token);
  return res.status === 200 ? (res.json as { data: Json[] }).data : res.status;
};
/** The columns of a table as the workspace's Query API answers them. */
const columns = async (table: string) => {
  const res = await project.call(`/v0/sql?q=${encodeURIComponent(`SELECT * FROM ${table} FORMAT JSON`)}`, {}, token);
  return (res.json as { meta: Array<{ name: string }> }).meta.map((m) => m.name);
};

describe('builds are all or nothing', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    expect((await build(V1)).status).toBe(200);
    expect((await append('notes', [{ text: 'kept' }])).status).toBe(200);
    expect((await append('items', [{ id: 1, name: 'a' }])).status).toBe(200);
  }, 60_000);

  // Each parses, and each breaks only once ClickHouse makes it, next to a changed data source (`notes`), a new one
  // (`fresh`) and a changed endpoint.
  it.each([
    [
      'a table ClickHouse refuses (a sorting key that is no column)',
      'broken.datasource',
      'SCHEMA >\n    `x` Int32 `json:$.x`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "nope"\n',
      /ClickHouse refused the table/,
    ],
    [
      'a materialized view ClickHouse refuses (an unknown function)',
      'broken.pipe',
      'NODE m\nSQL >\n    SELECT no_such_function(text) AS text FROM notes\nTYPE materialized\nDATASOURCE fresh\n',
      /ClickHouse refused the materialized node "m"/,
    ],
    [
      'an endpoint ClickHouse cannot plan (an unknown column)',
      'broken.pipe',
      pipe('SELECT missing FROM notes'),
      /ClickHouse refused the endpoint node "endpoint"/,
    ],
    [
      'an endpoint sorted by an aggregate state (which Tinybird accepts and this ClickHouse does not)',
      'broken.pipe',
      pipe('SELECT text, sumState(length(text)) OVER (ORDER BY text) AS s FROM notes ORDER BY s'),
      /not allowed in ORDER BY keys.*cannot sort by an aggregate state.*finalizeAggregation/,
    ],
  ])('refuses %s whole, the previous version serving with its rows', async (_, file, text, message) => {
    const refused = await build({
      ...V1,
      'notes.datasource': NOTES_WITH_N,
      'fresh.datasource': NOTES,
      'notes_all.pipe': pipe('SELECT text, n FROM notes'),
      [file]: text,
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      result: 'failed',
      error: expect.stringContaining(file),
      errors: [{ filename: file, type: file.endsWith('.pipe') ? 'pipe' : 'datasource', error: expect.any(String) }],
    });
    expect((refused.json as { errors: Array<{ error: string }> }).errors[0]!.error).toMatch(message);
    // The previous version: its endpoint, its table (the old columns, the row) and no trace of the new data source.
    expect(await rows('notes_all')).toEqual([{ text: 'kept' }]);
    expect(await columns('notes')).toEqual(['text']);
    expect(await rows('items_all')).toEqual([{ id: 1, name: 'a' }]);
    expect((await append('fresh', [{ text: 'x' }])).status).toBe(404);
  });

  it('moves the rows of a changed data source to its new table, leaving the unchanged ones alone', async () => {
    const built = await build({
      ...V1,
      'notes.datasource': NOTES_WITH_N,
      'items.datasource': ITEMS('name, id'),
      'notes_all.pipe': pipe('SELECT text, n FROM notes'),
      'fresh.datasource': NOTES,
    });
    expect(built.status).toBe(200);
    expect(built.json).toMatchObject({
      result: 'success',
      build: { changed_datasource_names: ['items', 'notes'], new_datasource_names: ['fresh'] },
    });
    // The row kept its text, the new column its default; the new sorting key kept the item.
    expect(await rows('notes_all')).toEqual([{ text: 'kept', n: 7 }]);
    expect(await rows('items_all')).toEqual([{ id: 1, name: 'a' }]);
    expect((await append('fresh', [{ text: 'x' }])).status).toBe(200);
    expect(project.dev.output()).toMatch(/The table notes changed: its 1 rows were moved to the new one/);
  });

  it('fills a new materialized target from the rows already there, then keeps it up to date', async () => {
    const built = await build({
      ...V1,
      'notes.datasource': NOTES_WITH_N,
      'items.datasource': ITEMS('name, id'),
      'notes_all.pipe': pipe('SELECT text, n FROM notes'),
      'lengths.datasource': 'SCHEMA >\n    `len` UInt64\n\nENGINE "MergeTree"\n',
      'notes_lengths.pipe':
        'NODE m\nSQL >\n    SELECT length(text) AS len FROM notes\nTYPE materialized\nDATASOURCE lengths\n',
      'lengths_all.pipe': pipe('SELECT len FROM lengths ORDER BY len'),
    });
    expect(built.status).toBe(200);
    expect(await rows('lengths_all')).toEqual([{ len: 4 }]);
    expect((await append('notes', [{ text: 'twelve chars' }])).status).toBe(200);
    expect(await rows('lengths_all')).toEqual([{ len: 4 }, { len: 12 }]);
  });

  it('starts a changed data source empty when its rows do not fit the new schema', async () => {
    const built = await build({
      ...V1,
      'notes.datasource': 'SCHEMA >\n    `text` Int32 `json:$.text`\n\nENGINE "MergeTree"\n',
      'notes_all.pipe': pipe('SELECT count() AS c FROM notes'),
    });
    expect(built.status).toBe(200);
    expect(await rows('notes_all')).toEqual([{ c: 0 }]);
    expect(await rows('items_all')).toEqual([{ id: 1, name: 'a' }]);
    expect(project.dev.output()).toMatch(
      /The table notes changed and its rows do not fit the new one .*: it starts empty/,
    );
  });

  it('runs two builds at once one after the other: a refused one changes nothing the next one sees', async () => {
    const [refused, built] = await Promise.all([
      build({ ...V1, 'items.datasource': ITEMS('nope') }),
      build({ ...V1, 'notes_all.pipe': pipe('SELECT count() AS notes FROM notes') }),
    ]);
    expect(refused.status).toBe(400);
    expect(built.status).toBe(200);
    expect(built.json).toMatchObject({ build: { changed_pipe_names: ['notes_all'] } });
    expect(await rows('notes_all')).toEqual([{ notes: 0 }]);
    expect(await rows('items_all')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('refuses a build of the default workspace whole too', async () => {
    expect((await append('seed', [{ text: 'mine' }], user)).status).toBe(200);
    const refused = await build(
      {
        'seed.datasource': NOTES_WITH_N,
        'bad.datasource': 'SCHEMA >\n    `x` Int32 `json:$.x`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "nope"\n',
      },
      user,
    );
    expect(refused.status).toBe(400);
    const seed = await project.call(`/v0/sql?q=${encodeURIComponent('SELECT * FROM seed FORMAT JSON')}`, {}, user);
    expect(seed.json).toMatchObject({ meta: [{ name: 'text' }], data: [{ text: 'mine' }] });
  });
});

it("names sorting by an aggregate state as this ClickHouse's limitation on a request too", async () => {
  const res = await project.call('/v0/pipes/by_state.json', {}, user);
  expect(res.status).toBe(400);
  expect((res.json as { error: string }).error).toMatch(/cannot sort by an aggregate state.*finalizeAggregation/);
});

describe('.connection files', { timeout: 60_000 }, () => {
  it('accepts them, says their connectors do not run here, and builds their data sources as plain tables', async () => {
    const built = await build({
      'stream.connection': 'TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS localhost:9092\nKAFKA_KEY key\nKAFKA_SECRET secret\n',
      'clicks.datasource':
        'SCHEMA >\n    `url` String `json:$.url`\n\nENGINE "MergeTree"\n\nKAFKA_CONNECTION_NAME stream\nKAFKA_TOPIC clicks\n',
      'clicks_all.pipe': pipe('SELECT url FROM clicks'),
    });
    expect(built.status).toBe(200);
    expect(built.json).toMatchObject({
      result: 'success',
      warnings: [expect.stringMatching(/^stream\.connection \(kafka\): accepted, but connectors do not run/)],
      build: { connections: [{ name: 'stream', type: 'connection', service: 'kafka' }] },
    });
    expect((await append('clicks', [{ url: '/a' }])).status).toBe(200);
    expect(await rows('clicks_all')).toEqual([{ url: '/a' }]);
    // A build of connections alone has no datafile to build.
    expect((await build({ 'stream.connection': 'TYPE kafka\n' })).status).toBe(400);
  });

  it('refuses a data source naming a connection the build did not send, as Tinybird does', async () => {
    const refused = await build({
      'clicks.datasource':
        'SCHEMA >\n    `url` String `json:$.url`\n\nENGINE "MergeTree"\n\nKAFKA_CONNECTION_NAME nowhere\nKAFKA_TOPIC clicks\n',
      'clicks_all.pipe': pipe('SELECT url FROM clicks'),
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      result: 'failed',
      error: expect.stringMatching(/^clicks\.datasource:6: connection "nowhere" not found/),
      errors: [
        {
          filename: 'clicks.datasource',
          type: 'datasource',
          error: 'line 6: connection "nowhere" not found: the build has no nowhere.connection file',
        },
      ],
    });
    // The previous build goes on serving, rows and all.
    expect(await rows('clicks_all')).toEqual([{ url: '/a' }]);
  });
});

it('builds a new data source into the default workspace, whose database takes no table renamed from another', async () => {
  const admin = project.dev.adminToken;
  const built = await build(
    { 'seed.datasource': NOTES, 'fresh.datasource': NOTES, 'fresh_all.pipe': pipe('SELECT text FROM fresh') },
    admin,
  );
  expect(built.status, JSON.stringify(built.json)).toBe(200);
  expect((await append('fresh', [{ text: 'new' }], admin)).status).toBe(200);
  expect((await project.call('/v0/pipes/fresh_all.json', {}, admin)).json).toMatchObject({ data: [{ text: 'new' }] });
});

describe('a datafile cannot reach past its own workspace', { timeout: 60_000 }, () => {
  // chDB runs every statement of a text: a `;` in a sorting key, a default or a node's SQL would run what follows, in
  // the default workspace too. Every text the server sends is one statement, whatever built it.
  const defaultSeedRows = async () =>
    (
      (await project.call(`/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM seed FORMAT JSON')}`, {}, user))
        .json as { data: { n: number }[] }
    ).data[0]!.n;

  it.each([
    ['a sorting key', { 'x.datasource': ITEMS('id); DROP TABLE default.seed; --') }],
    [
      'a column default',
      { 'x.datasource': 'SCHEMA >\n    `id` Int32 DEFAULT 1); DROP TABLE default.seed; --\n\nENGINE "MergeTree"\n' },
    ],
    ['an endpoint node', { 'notes.datasource': NOTES, 'x.pipe': pipe('SELECT 1; DROP TABLE default.seed') }],
  ])('a second statement in %s refuses the build and runs nothing', async (_, files) => {
    await append('seed', [{ text: 'kept' }], user);
    const before = await defaultSeedRows();
    const res = await build(files);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/Multi-statements are not allowed/);
    expect(await defaultSeedRows()).toBe(before);
  });
});
