// Tinybird's /v1 workspace and build API on the local server, as @tinybirdco/sdk's local mode calls it: workspaces
// (one per git branch) with their own data and tokens, and builds that replace a workspace's resources whole. The
// server runs in its own process (chDB allows one data directory per process).
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/json';
import { devProject, type DevProject } from './cli';

const ITEMS =
  'SCHEMA >\n    `id` Int32 `json:$.id`,\n    `name` String `json:$.name`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "id"\n';
const NOTES = 'SCHEMA >\n    `text` String `json:$.text`\n\nENGINE "MergeTree"\n';
const pipe = (sql: string) => `NODE endpoint\nSQL >\n    ${sql}\nTYPE endpoint\n`;

let project: DevProject;
let user: string;
beforeAll(async () => {
  project = await devProject({ 'items.datasource': ITEMS, 'items_all.pipe': pipe('SELECT id, name FROM items') });
  user = await project.userToken();
}, 60_000);
afterAll(() => project?.close());

const call = (path: string, token: string, init: RequestInit = {}) => project.call(path, init, token);
const build = (token: string, files: Record<string, string>) => project.build(files, token);
const create = (name: string) =>
  call('/v1/workspaces', user, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }).toString(),
  });
const workspaces = async () =>
  (await call('/v1/user/workspaces?with_organization=true', user)).json as {
    organization_id: string;
    workspaces: Array<{ id: string; name: string; token: string }>;
  };
const append = (token: string, datasource: string, rows: object[]) =>
  call(`/v0/events?name=${datasource}&wait=true`, token, {
    method: 'POST',
    body: rows.map((r) => JSON.stringify(r)).join('\n'),
  });
const rows = async (token: string, pipeName: string) => {
  const res = await call(`/v0/pipes/${pipeName}.json`, token);
  return res.status === 200 ? (res.json as { data: Json[] }).data : res.status;
};

describe('the /v1 API of @tinybirdco/sdk', { timeout: 60_000 }, () => {
  it('names the default workspace (the --project folder) from the user token', async () => {
    const me = await call('/v1/workspace', user);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: project.dev.workspaceId, main: null });
    const listed = await workspaces();
    expect(listed.workspaces).toEqual([
      expect.objectContaining({ id: project.dev.workspaceId, name: (me.json as { name: string }).name, token: user }),
    ]);
    expect((await call('/v1/workspace', 'p.nope')).status).toBe(403);
  });

  it('creates a workspace per branch, refusing names that are not valid', async () => {
    for (const bad of ['feat-x', '', 'a b', 'x'.repeat(65)]) expect((await create(bad)).status, bad).toBe(400);
    const made = await create('feat_one');
    expect(made.status).toBe(200);
    expect(made.json).toMatchObject({ name: 'feat_one', token: expect.stringMatching(/^p\./) });
    expect((await create('feat_one')).status).toBe(400);
    expect((await workspaces()).workspaces.map((w) => w.name)).toContain('feat_one');
  });

  it('builds a workspace from datafiles, with its own data, apart from the default one', async () => {
    const { token, id } = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    expect((await call('/v1/workspace', token)).json).toMatchObject({ id, name: 'feat_one' });
    const built = await build(token, { 'notes.datasource': NOTES, 'notes_all.pipe': pipe('SELECT text FROM notes') });
    expect(built.status).toBe(200);
    expect(built.json).toMatchObject({
      result: 'success',
      build: { new_datasource_names: ['notes'], new_pipe_names: ['notes_all'], deleted_pipe_names: [] },
    });
    expect((await append(token, 'notes', [{ text: 'hi' }])).status).toBe(200);
    expect(await rows(token, 'notes_all')).toEqual([{ text: 'hi' }]);
    // Each workspace sees its own resources only.
    expect(await rows(user, 'notes_all')).toBe(404);
    expect(await rows(token, 'items_all')).toBe(404);
    expect((await append(user, 'items', [{ id: 1, name: 'a' }])).status).toBe(200);
    expect(await rows(user, 'items_all')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('replaces the resources: unchanged data kept, changed pipes served, gone ones dropped', async () => {
    const { token } = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    const next = await build(token, {
      'notes.datasource': NOTES,
      'notes_count.pipe': pipe('SELECT count() AS n FROM notes'),
      'items.datasource': ITEMS,
    });
    expect(next.json).toMatchObject({
      result: 'success',
      build: {
        new_datasource_names: ['items'],
        new_pipe_names: ['notes_count'],
        deleted_pipe_names: ['notes_all'],
        changed_datasource_names: [],
      },
    });
    expect(await rows(token, 'notes_count')).toEqual([{ n: 1 }]);
    expect(await rows(token, 'notes_all')).toBe(404);
    // The same files again change nothing.
    const same = await build(token, {
      'notes.datasource': NOTES,
      'notes_count.pipe': pipe('SELECT count() AS n FROM notes'),
      'items.datasource': ITEMS,
    });
    expect(same.json).toMatchObject({ result: 'no_changes' });
    const dropped = await build(token, { 'items.datasource': ITEMS });
    expect(dropped.json).toMatchObject({ build: { deleted_datasource_names: ['notes'] } });
    expect((await append(token, 'notes', [{ text: 'x' }])).status).toBe(404);
    // The default workspace's items table is its own: untouched by feat_one's builds.
    expect(await rows(user, 'items_all')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('refuses a build with a broken datafile whole, with Tinybird error shape, the previous version serving', async () => {
    const { token } = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    await build(token, { 'notes.datasource': NOTES, 'notes_all.pipe': pipe('SELECT text FROM notes') });
    await append(token, 'notes', [{ text: 'kept' }]);
    const broken = await build(token, {
      'notes.datasource': NOTES,
      'notes_all.pipe': pipe('SELECT upper(text) AS text FROM notes'),
      'bad.datasource': 'SCHEMA >\n    `x` NotAType `json:$.x`\n\nENGINE "MergeTree"\n',
      'other.pipe': 'SQL >\n    SELECT 1\n',
    });
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({
      result: 'failed',
      error: expect.any(String),
      errors: expect.arrayContaining([expect.objectContaining({ filename: 'other.pipe', error: expect.any(String) })]),
    });
    expect(await rows(token, 'notes_all')).toEqual([{ text: 'kept' }]);
    expect((await build(token, {})).status).toBe(400);
    // One that parses but ClickHouse refuses (a sorting key that is no column): refused too, the rows kept.
    const refused = await build(token, {
      'notes.datasource': NOTES,
      'notes_all.pipe': pipe('SELECT upper(text) AS text FROM notes'),
      'more.datasource': 'SCHEMA >\n    `x` Int32 `json:$.x`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "nope"\n',
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      result: 'failed',
      errors: [expect.objectContaining({ filename: 'more.datasource' })],
    });
    expect(await rows(token, 'notes_all')).toEqual([{ text: 'kept' }]);
    // An endpoint whose SQL ClickHouse cannot plan (an unknown column) refuses it, as Tinybird's build does...
    const typo = await build(token, { 'notes.datasource': NOTES, 'notes_all.pipe': pipe('SELECT txet FROM notes') });
    expect(typo.status).toBe(400);
    expect(typo.json).toMatchObject({ errors: [expect.objectContaining({ filename: 'notes_all.pipe' })] });
    expect(await rows(token, 'notes_all')).toEqual([{ text: 'kept' }]);
    // ...but one that needs a parameter to render is built (and answers once given it).
    const required = await build(token, {
      'notes.datasource': NOTES,
      'notes_all.pipe': pipe('SELECT text FROM notes'),
      'note_by_text.pipe': pipe('%\n    SELECT text FROM notes WHERE text = {{ String(v, required=True) }}'),
    });
    expect(required.status).toBe(200);
    expect((await call('/v0/pipes/note_by_text.json?v=kept', token)).json).toMatchObject({ data: [{ text: 'kept' }] });
  });

  it('serialises two builds to one workspace: the second sees the first', async () => {
    const { token } = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    await build(token, { 'notes.datasource': NOTES });
    const [a, b] = await Promise.all([
      build(token, { 'notes.datasource': NOTES, 'p.pipe': pipe('SELECT 1 AS v') }),
      build(token, { 'notes.datasource': NOTES, 'p.pipe': pipe('SELECT 2 AS v') }),
    ]);
    expect(a.json).toMatchObject({ build: { new_pipe_names: ['p'] } });
    expect(b.json).toMatchObject({ build: { changed_pipe_names: ['p'], new_pipe_names: [] } });
    expect(await rows(token, 'p')).toEqual([{ v: 2 }]);
  });

  it("answers 403 to a workspace's token on another workspace", async () => {
    const { token, id } = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    expect((await call('/v1/user/workspaces', token)).status).toBe(403);
    expect((await create('feat_two')).status).toBe(200);
    const two = (await workspaces()).workspaces.find((w) => w.name === 'feat_two')!;
    expect((await call(`/v1/workspaces/${two.id}`, token, { method: 'DELETE' })).status).toBe(403);
    // A JWT naming feat_one but signed with the default workspace's admin token.
    const jwt = await new SignJWT({
      workspace_id: id,
      name: 'x',
      exp: Math.floor(Date.now() / 1000) + 600,
      scopes: [{ type: 'PIPES:READ', resource: 'p' }],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(user));
    expect((await call('/v0/pipes/p.json', jwt)).status).toBe(403);
    // Its admin token reads its own tables only: not the default workspace's database, nor a shared data source.
    const sql = (q: string) => call(`/v0/sql?q=${encodeURIComponent(q)}`, token);
    expect((await sql('SELECT count() AS n FROM default.items')).status).toBeGreaterThanOrEqual(400);
    expect((await sql('SELECT count() AS n FROM notes')).status).toBe(200);
    // Nor the service data sources, which every workspace's requests are logged to (pipe and token names).
    const stats = await sql('SELECT count() AS n FROM tinybird.pipe_stats_rt');
    expect(stats.status).toBe(403);
    expect(JSON.stringify(stats.json)).toMatch(/default workspace/);
    expect((await build(token, { 'other.notes.datasource': NOTES })).status).toBe(400);
    expect(
      (await call(`/v1/workspaces/${two.id}?hard_delete_confirmation=yes`, user, { method: 'DELETE' })).status,
    ).toBe(200);
    expect((await workspaces()).workspaces.map((w) => w.name)).not.toContain('feat_two');
  });

  it('keeps workspaces, their tokens and their last build across a restart', async () => {
    const before = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    await project.restart();
    const after = (await workspaces()).workspaces.find((w) => w.name === 'feat_one')!;
    expect(after).toEqual(before);
    expect(await rows(after.token, 'p')).toEqual([{ v: 2 }]);
  });

  it('builds the default workspace with the user token, keeping the rows of its unchanged data sources', async () => {
    const built = await build(user, {
      'items.datasource': ITEMS,
      'items_count.pipe': pipe('SELECT count() AS n FROM items'),
    });
    expect(built.json).toMatchObject({ build: { new_pipe_names: ['items_count'], deleted_pipe_names: ['items_all'] } });
    expect(await rows(user, 'items_count')).toEqual([{ n: 1 }]);
  });
});
