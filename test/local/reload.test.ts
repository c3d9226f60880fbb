// An edit of the `dev --project` folder is applied as a build is: made aside first, swapped in only when ClickHouse took
// all of it. A data source whose schema changed keeps its rows (converted to the new columns), one whose file is gone
// is dropped, and an edit ClickHouse refuses leaves the previous version serving with its data, and says so. A file
// already refused at start stays refused (and listed) without stopping the next edits. The server runs in its own
// process (chDB allows one data directory per process); the project is a temp folder this test edits.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { devProject, type DevProject } from './cli';
import { ITEMS, ITEMS_V2, NOTES, REFUSED } from './items-datafiles';

/** `items` without `tag` and sorted by name. */
const ITEMS_V3 = ITEMS_V2.replace(",\n    `tag` String `json:$.tag` DEFAULT 'none'", '').replace(
  'KEY "id"',
  'KEY "name"',
);
const pipe = (sql: string) => `NODE endpoint\nSQL >\n    ${sql}\nTYPE endpoint\n`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'items.datasource': ITEMS,
    'notes.datasource': NOTES,
    'items_all.pipe': pipe('SELECT id, name FROM items ORDER BY id'),
    // Refused by ClickHouse at start (a sorting key that is no column): left out, listed, and no obstacle to edits.
    'refused.datasource': REFUSED,
    // Served from the folder (a start plans no endpoint), failing on each request: no obstacle to edits either.
    'failing.pipe': pipe('SELECT nope FROM items'),
    // Shared from another workspace: its table is in a database of its own, which no scratch build may touch.
    'vendor/marketing/datasources/campaigns.datasource': NOTES,
    'campaigns.pipe': pipe('SELECT text FROM marketing.campaigns'),
  });
  const append = (name: string, rows: object[]) =>
    project.call(`/v0/events?name=${name}&wait=true`, {
      method: 'POST',
      body: rows.map((r) => JSON.stringify(r)).join('\n'),
    });
  expect(
    (
      await append('items', [
        { id: 1, name: 'a', amount: '12' },
        { id: 2, name: 'b', amount: '30' },
      ])
    ).status,
  ).toBe(200);
  expect((await append('notes', [{ text: 'kept' }])).status).toBe(200);
  expect((await append('marketing.campaigns', [{ text: 'shared' }])).status).toBe(200);
}, 60_000);
afterAll(() => project?.close());

/**
 * Writes (or with `null`, removes) datafiles in one burst, and waits for the reloads they cause: their log lines. A
 * slow disk may split the burst in two reloads, so it waits until the log has been quiet for a while too.
 */
async function edit(files: Record<string, string | null>): Promise<string> {
  const before = project.dev.output().length;
  for (const [name, text] of Object.entries(files))
    await (text === null ? rm(join(project.dir, name)) : writeFile(join(project.dir, name), text));
  let length = -1;
  let since = Date.now();
  await eventually(async () => {
    const output = project.dev.output();
    if (output.length !== length) [length, since] = [output.length, Date.now()];
    expect(output.slice(before)).toMatch(/Reloaded the datafiles|still serving the previous version/);
    expect(Date.now() - since).toBeGreaterThan(600);
  });
  return project.dev.output().slice(before);
}
const datasources = async () =>
  ((await project.call('/v0/datasources')).json as { datasources: Array<{ name: string }> }).datasources.map(
    (d) => d.name,
  );

/** The `errors` of the pipe and data source listings. */
const listedErrors = async () => [
  ...((await project.call('/v0/pipes')).json as { errors: object[] }).errors,
  ...((await project.call('/v0/datasources')).json as { errors: object[] }).errors,
];

describe('an edit of the project folder', { timeout: 60_000 }, () => {
  it('keeps the rows of a data source whose schema changed, converted to its new columns', async () => {
    const said = await edit({ 'items.datasource': ITEMS_V2 });
    expect(said).toMatch(/Reloaded the datafiles/);
    expect(said).toMatch(/The table items changed: its 2 rows were moved to the new one/);
    expect(
      await project.sql('SELECT id, name, amount, tag, toTypeName(amount) AS type FROM items ORDER BY id'),
    ).toEqual([
      { id: 1, name: 'a', amount: 12, tag: 'none', type: 'Int32' },
      { id: 2, name: 'b', amount: 30, tag: 'none', type: 'Int32' },
    ]);
    // The data sources that did not change were not touched.
    expect(await project.sql('SELECT text FROM notes')).toEqual([{ text: 'kept' }]);
    expect((await project.call('/v0/pipes/campaigns.json')).json).toMatchObject({ data: [{ text: 'shared' }] });
    // What was refused at start still is, and is still listed as such.
    const listed = await project.call('/v0/datasources');
    expect(listed.json).toMatchObject({ errors: [expect.objectContaining({ name: 'refused' })] });
  });

  it.each([
    [
      'a table ClickHouse refuses',
      'broken.datasource',
      NOTES.replace('"MergeTree"', '"MergeTree"\nENGINE_SORTING_KEY "x"'),
    ],
    [
      'a materialized view ClickHouse refuses',
      'broken.pipe',
      'NODE m\nSQL >\n    SELECT no_such_function(id) AS n FROM items\nTYPE materialized\nDATASOURCE notes\n',
    ],
    ['an endpoint ClickHouse cannot plan', 'broken.pipe', pipe('SELECT no_such_column FROM items')],
  ])('refused whole when it adds %s: the previous version serves, with its data', async (_, file, text) => {
    // The broken file first: were the burst split, every part of it would be refused.
    const said = await edit({
      [file]: text,
      'items.datasource': ITEMS_V3,
      'items_all.pipe': pipe('SELECT count() AS n FROM items'),
    });
    expect(said).toMatch(
      new RegExp(`${file.replace('.', '\\.')}:\\d+: ClickHouse refused.*still serving the previous`, 's'),
    );
    expect(said).not.toMatch(/Reloaded the datafiles/);
    // Nothing of the edit applied: the old pipe, the old columns, every row.
    expect((await project.call('/v0/pipes/items_all.json')).json).toMatchObject({
      data: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
    });
    expect(await project.sql('SELECT id, tag FROM items ORDER BY id')).toEqual([
      { id: 1, tag: 'none' },
      { id: 2, tag: 'none' },
    ]);
    expect(await datasources()).not.toContain('broken');
    // Listed where a tool reads what is not served, as the version not served.
    expect(await listedErrors()).toContainEqual(
      expect.objectContaining({ file: expect.stringMatching(new RegExp(`${file}$`)), serving: 'previous version' }),
    );

    // Without the broken file, the rest of the edit applies, rows and all.
    expect(await edit({ [file]: null })).toMatch(/Reloaded the datafiles/);
    expect(await listedErrors()).not.toContainEqual(expect.objectContaining({ serving: 'previous version' }));
    expect((await project.call('/v0/pipes/items_all.json')).json).toMatchObject({ data: [{ n: 2 }] });
    expect(await project.sql('SELECT name FROM items ORDER BY name')).toEqual([{ name: 'a' }, { name: 'b' }]);
    // Back to the version with `tag` for the next case.
    await edit({ 'items.datasource': ITEMS_V2, 'items_all.pipe': pipe('SELECT id, name FROM items ORDER BY id') });
  });

  it('drops a data source whose file is gone', async () => {
    expect(await edit({ 'notes.datasource': null })).toMatch(/Reloaded the datafiles/);
    expect(await datasources()).not.toContain('notes');
    const read = await project.call(`/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM notes')}`);
    expect(read.status).not.toBe(200);
    // Made again from its file, it starts empty.
    expect(await edit({ 'notes.datasource': NOTES })).toMatch(/Reloaded the datafiles/);
    expect(await project.sql('SELECT count() AS n FROM notes')).toEqual([{ n: 0 }]);
  });
});
