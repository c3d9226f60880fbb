// `react-tinybird dev` on a Tinybird Forward project: its `fixtures/<data source>.ndjson|csv` are loaded into the empty
// data sources as `tb build` / `tb dev` load them into Tinybird Local (once: a restart keeps the rows, never doubles
// them), the start summary says so with row counts, and the banner's curl names one of the project's own endpoints.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, startDev, type DevProject } from './cli';

const FILES: Record<string, string> = {
  'datasources/visits.datasource': `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`page\` String \`json:$.page\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`,
  'datasources/plans.datasource': `SCHEMA >
    \`plan\` String,
    \`seats\` UInt16

ENGINE "MergeTree"
ENGINE_SORTING_KEY "plan"
`,
  'endpoints/top_pages.pipe': `NODE endpoint
SQL >
    SELECT page, count() AS hits FROM visits GROUP BY page ORDER BY hits DESC, page
TYPE endpoint
`,
  'fixtures/visits.ndjson': [
    { timestamp: '2025-07-01 10:00:00', page: '/a' },
    { timestamp: '2025-07-01 10:00:01', page: '/b' },
    { timestamp: '2025-07-01 10:00:02', page: '/a' },
    { timestamp: 'not a time', page: '/c' },
  ]
    .map((row) => JSON.stringify(row))
    .join('\n'),
  'fixtures/plans.csv': 'plan,seats\npro,5\nfree,1\n',
};

let project: DevProject;
beforeAll(async () => {
  project = await devProject(FILES);
}, 60_000);
afterAll(() => project?.close());

describe('react-tinybird dev on a project with fixtures', { timeout: 60_000 }, () => {
  it('loads each fixture into its empty data source and says so in the start summary', async () => {
    expect(project.dev.output()).toMatch(/Fixture: +fixtures\/plans\.csv -> plans: 2 rows/);
    expect(project.dev.output()).toMatch(/Fixture: +fixtures\/visits\.ndjson -> visits: 3 rows, 1 in quarantine/);
    const res = await project.call('/v0/pipes/top_pages.json');
    expect((res.json as { data: unknown[] }).data).toEqual([
      { page: '/a', hits: 2 },
      { page: '/b', hits: 1 },
    ]);
    expect(await project.sql('SELECT plan, seats FROM plans ORDER BY plan')).toEqual([
      { plan: 'free', seats: 1 },
      { plan: 'pro', seats: 5 },
    ]);
  });

  it("suggests a curl of the project's own endpoint, not the demo's", () => {
    expect(project.dev.output()).toMatch(/Try: curl .*\/v0\/pipes\/top_pages\.json/);
    expect(project.dev.output()).not.toMatch(/top_airlines/);
  });

  it('does not load the fixtures again into data sources that have rows', async () => {
    await project.restart();
    expect(project.dev.output()).not.toMatch(/Fixture:/);
    expect(await project.sql('SELECT count() AS n FROM visits')).toEqual([{ n: 3 }]);
  });

  it('--no-fixtures leaves the data sources empty', async () => {
    const data = await mkdtemp(join(tmpdir(), 'react-tinybird-nofixtures-'));
    const dev = await startDev(['--project', project.dir, '--data', data, '--no-fixtures', '--no-watch']);
    try {
      expect(dev.output()).not.toMatch(/Fixture:/);
      const res = await fetch(`${dev.url}/v0/pipes/top_pages.json`, {
        headers: { Authorization: `Bearer ${dev.adminToken}` },
      });
      expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
    } finally {
      await dev.stop();
      if (existsSync(data)) await rm(data, { recursive: true, force: true });
    }
  });
});
