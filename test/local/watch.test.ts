// `react-tinybird dev` re-reads the datafiles when they change: an edited pipe answers with its new SQL, new pipes,
// data sources and TOKEN lines appear, and a broken file leaves the previous version serving. The server runs in its
// own process (chDB allows one data directory per process); the project is a temp folder this test edits.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { devProject, type DevProject } from './cli';

const ITEMS = `SCHEMA >
    \`id\` Int32 \`json:$.id\`,
    \`name\` String \`json:$.name\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "id"
`;
const pipe = (sql: string, extra = '') => `${extra}NODE endpoint
SQL >
    ${sql}
TYPE endpoint
`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'items.datasource': ITEMS,
    'items_list.pipe': pipe('SELECT id, name FROM items ORDER BY id'),
  });
}, 60_000);
afterAll(() => project?.close());

const call = (path: string, init?: RequestInit, token?: string) => project.call(path, init, token);
const edit = (file: string, text: string) => writeFile(join(project.dir, file), text);
const reloads = () => project.dev.output().match(/Reloaded the datafiles/g)?.length ?? 0;

describe('dev watches the project', { timeout: 60_000 }, () => {
  it('serves an edited pipe without a restart, keeping the rows', async () => {
    const body = '{"id":1,"name":"a"}\n{"id":2,"name":"b"}';
    expect((await call('/v0/events?name=items&wait=true', { method: 'POST', body })).json).toEqual({
      successful_rows: 2,
      quarantined_rows: 0,
    });
    expect((await call('/v0/pipes/items_list.json')).json.data).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);

    await edit('items_list.pipe', pipe('SELECT count() AS n, max(name) AS last FROM items'));
    await eventually(async () =>
      expect((await call('/v0/pipes/items_list.json')).json.data).toEqual([{ n: 2, last: 'b' }]),
    );
  });

  it('picks up a new data source, a new pipe and its TOKEN line', async () => {
    await edit('notes.datasource', 'SCHEMA >\n    `text` String `json:$.text`\n\nENGINE "MergeTree"\n');
    await edit('notes_all.pipe', pipe('SELECT text FROM notes', 'TOKEN "notes_reader" READ\n\n'));
    await eventually(async () => {
      expect((await call('/v0/events?name=notes&wait=true', { method: 'POST', body: '{"text":"hi"}' })).status).toBe(
        200,
      );
    });
    const listed = await call('/v0/tokens');
    const reader = listed.json.tokens.find((t: { name: string }) => t.name === 'notes_reader');
    expect(reader?.scopes).toEqual([{ type: 'PIPES:READ', resource: 'notes_all' }]);
    expect((await call('/v0/pipes/notes_all.json', {}, reader.token)).json.data).toEqual([{ text: 'hi' }]);
    expect((await call('/v0/pipes/items_list.json', {}, reader.token)).status).toBe(403);
  });

  it('reports a broken datafile and goes on serving the previous version', async () => {
    const before = project.dev.output().length;
    await edit('items_list.pipe', 'NODE endpoint\nSQL >\n');
    await eventually(async () =>
      expect(project.dev.output().slice(before)).toMatch(/items_list\.pipe.*still serving the previous version/s),
    );
    expect((await call('/v0/pipes/items_list.json')).json.data).toEqual([{ n: 2, last: 'b' }]);

    const count = reloads();
    await edit('items_list.pipe', pipe('SELECT name FROM items ORDER BY id DESC'));
    await eventually(async () => expect(reloads()).toBeGreaterThan(count));
    expect((await call('/v0/pipes/items_list.json')).json.data).toEqual([{ name: 'b' }, { name: 'a' }]);
  });

  it("reads tb_secret()'s .env.local again when it changes", async () => {
    await edit('region.pipe', pipe("%\n    SELECT {{ tb_secret('REGION', 'none') }} AS region"));
    await eventually(async () => expect((await call('/v0/pipes/region.json')).json.data).toEqual([{ region: 'none' }]));
    await edit('.env.local', 'REGION=eu-west-1\n');
    await eventually(async () =>
      expect((await call('/v0/pipes/region.json')).json.data).toEqual([{ region: 'eu-west-1' }]),
    );
  });

  it('ignores files that are not datafiles', async () => {
    const count = reloads();
    const before = project.dev.output().length;
    await edit('README.md', '# notes\n');
    // A datafile edit after it is the marker: once its reload is in, the README's event (delivered first) has been
    // seen too. Without watching the marker never reloads and this fails; a reload for the README would show as two
    // (or as a second reload after the marker's).
    await edit('items.datasource', `${ITEMS}\n`);
    await eventually(async () => expect(reloads()).toBeGreaterThan(count));
    expect(reloads()).toBe(count + 1);
    expect(project.dev.output().slice(before)).not.toMatch(/README/);
  });
});
