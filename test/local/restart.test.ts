// A data source whose .datasource file changed while the server was stopped keeps its rows at the next start on the
// same data directory: they are moved to the new table by column name and converted, as a reload does. The start
// still refuses nothing whole: a datafile ClickHouse refuses is left out and listed, and the rest serves. The server
// runs in its own process (chDB allows one data directory per process); the project is a temp folder this test edits.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';
import { ITEMS, ITEMS_V2, NOTES, REFUSED } from './items-datafiles';

const NAMES = 'SCHEMA >\n    `name` String\n\nENGINE "MergeTree"\n';

let project: DevProject | undefined;
afterAll(() => project?.close());

const append = (name: string, rows: object[]) =>
  project!.call(`/v0/events?name=${name}&wait=true`, {
    method: 'POST',
    body: rows.map((r) => JSON.stringify(r)).join('\n'),
  });

it(
  'keeps the rows of a data source whose schema changed while the server was stopped',
  { timeout: 90_000 },
  async () => {
    project = await devProject({
      'items.datasource': ITEMS,
      'notes.datasource': NOTES,
      'item_names.datasource': NAMES,
      'codes.datasource': NOTES,
      'names.pipe': 'NODE names\nSQL >\n    SELECT name FROM items\n\nTYPE materialized\nDATASOURCE item_names\n',
    });
    const first = [
      { id: 1, name: 'a', amount: '12' },
      { id: 2, name: 'b', amount: '30' },
    ];
    expect((await append('items', first)).status).toBe(200);
    expect((await append('notes', [{ text: 'kept' }])).status).toBe(200);
    expect((await append('codes', [{ text: 'not a number' }])).status).toBe(200);

    await project.dev.stop();
    await writeFile(join(project.dir, 'items.datasource'), ITEMS_V2);
    // Rows that do not convert: the new table starts empty, the log says why, and the server starts all the same.
    await writeFile(join(project.dir, 'codes.datasource'), NOTES.replace('String', 'Int32'));
    // A data source ClickHouse refuses (a sorting key that is no column): left out and listed, the rest still starts.
    await writeFile(join(project.dir, 'refused.datasource'), REFUSED);
    await project.restart();
    const said = project.dev.output();
    expect(said).toMatch(/The table items changed: its 2 rows were moved to the new one/);
    expect(said).toMatch(/The table codes changed and its rows do not fit the new one \(.+\): it starts empty/);
    expect(said).not.toMatch(/old rows dropped/);
    expect(said).toMatch(/refused\.datasource:\d+: .*left out/);

    expect(await project.sql('SELECT id, name, amount, tag, toTypeName(id) AS type FROM items ORDER BY id')).toEqual([
      { id: 1, name: 'a', amount: 12, tag: 'none', type: 'Int64' },
      { id: 2, name: 'b', amount: 30, tag: 'none', type: 'Int64' },
    ]);
    // The data sources that did not change were not touched, and the materialized view is there again.
    expect(await project.sql('SELECT text FROM notes')).toEqual([{ text: 'kept' }]);
    expect(await project.sql('SELECT count() AS n, toTypeName(any(text)) AS type FROM codes')).toEqual([
      { n: 0, type: 'Int32' },
    ]);
    expect(await project.sql('SELECT count() AS n FROM item_names')).toEqual([{ n: 2 }]);
    expect((await append('items', [{ id: 3, name: 'c', amount: 5, tag: 'new' }])).status).toBe(200);
    expect(await project.sql('SELECT name FROM item_names ORDER BY name')).toEqual([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' },
    ]);
    const listed = await project.call('/v0/datasources');
    expect(listed.json).toMatchObject({ errors: [expect.objectContaining({ name: 'refused' })] });
  },
);
