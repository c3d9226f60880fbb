// GET /v0/datasources and POST /v0/datasources/<name>/truncate, on a server of its own (truncating the shared one
// would pull rows from under other tests). One chDB data directory per process: the server runs through the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'clicks.datasource':
      'DESCRIPTION >\n    Clicks\n\nTOKEN "clicks_append" APPEND\n\nSCHEMA >\n    `page` String `json:$.page`,\n    `n` UInt8 `json:$.n`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "page"\n',
  });
}, 60_000);
afterAll(() => project?.close());

const call = (path: string, init?: RequestInit, token?: string) => project.call(path, init, token);
const count = async (table: string) =>
  (await call(`/v0/sql?q=${encodeURIComponent(`SELECT count() AS n FROM ${table} FORMAT JSON`)}`)).json.data[0].n;

describe('data sources API', { timeout: 60_000 }, () => {
  it('lists the data sources of the datafiles with their columns', async () => {
    const list = await call('/v0/datasources');
    expect(list.json.datasources).toEqual([
      {
        name: 'clicks',
        description: 'Clicks',
        columns: [
          { name: 'page', type: 'String' },
          { name: 'n', type: 'UInt8' },
        ],
        engine: { engine: 'MergeTree', sorting_key: 'page' },
      },
    ]);
  });

  it('truncates a data source, and its quarantine only when asked for by name; admin token only', async () => {
    const body = ['{"page":"/a","n":1}', '{"page":"/b","n":300}'].join('\n'); // 300 does not fit UInt8: quarantined
    expect((await call('/v0/events?name=clicks&wait=true', { method: 'POST', body })).json).toEqual({
      successful_rows: 1,
      quarantined_rows: 1,
    });
    const appendOnly = ((await call('/v0/tokens')).json.tokens as Array<{ name: string; token: string }>).find(
      (t) => t.name === 'clicks_append',
    )!.token;
    expect((await call('/v0/datasources/clicks/truncate', { method: 'POST' }, appendOnly)).status).toBe(403);
    expect(await count('clicks')).toBe(1);

    expect((await call('/v0/datasources/clicks/truncate', { method: 'POST' })).status).toBe(205);
    expect([await count('clicks'), await count('clicks_quarantine')]).toEqual([0, 1]);
    expect((await call('/v0/datasources/clicks_quarantine/truncate', { method: 'POST' })).status).toBe(205);
    expect(await count('clicks_quarantine')).toBe(0);
    expect((await call('/v0/datasources/nope/truncate', { method: 'POST' })).status).toBe(404);
    expect((await call('/v0/datasources/nope_quarantine/truncate', { method: 'POST' })).status).toBe(404);
  });
});
