// POST /v0/datasources/<name>/delete runs the condition as the guard read it (ClickHouse's canonical text), and only
// a condition that is one expression: text that closes the WHERE and goes on is refused, not run or half-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'clicks.datasource': 'SCHEMA >\n    `page` String `json:$.page`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "page"\n',
  });
}, 60_000);
afterAll(() => project?.close());

const form = (body: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(body).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});
const pages = async () =>
  (await project.call(`/v0/sql?q=${encodeURIComponent('SELECT page FROM clicks ORDER BY page FORMAT JSON')}`)).json
    .data;

describe('delete condition', { timeout: 60_000 }, () => {
  it('refuses a condition that closes the WHERE and goes on with more SQL, and deletes nothing', async () => {
    const body = ['/a', '/b'].map((page) => JSON.stringify({ page })).join('\n');
    await project.call('/v0/events?name=clicks&wait=true', { method: 'POST', body });
    const more = '1) UNION ALL SELECT count() AS n FROM clicks WHERE (1';
    for (const dry_run of ['true', 'false']) {
      const res = await project.call('/v0/datasources/clicks/delete', form({ delete_condition: more, dry_run }));
      expect(res.status, JSON.stringify(res.json)).toBe(400);
    }
    expect(await pages()).toEqual([{ page: '/a' }, { page: '/b' }]);
  });

  it('deletes with the condition as the guard read it', async () => {
    const res = await project.call('/v0/datasources/clicks/delete', form({ delete_condition: "(page = '/a')" }));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(await pages()).toEqual([{ page: '/b' }]);
  });
});
