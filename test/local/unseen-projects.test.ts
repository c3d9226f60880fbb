// What projects the server had never seen hit, each cause reproduced on a small project of its own: a pipe whose
// endpoint node reads nodes defined after it, CSV files whose header is in another order or whose rows stop before a
// column added later, a DateTime64 column whose DEFAULT is '', and a data source ClickHouse refused that a
// materialized pipe must not bring back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const VISITS = `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`page\` String \`json:$.page\`,
    \`n\` UInt8 \`json:$.n\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`;
// Two columns added after the first rows were written: one with a DEFAULT, one Nullable.
const SIGNUPS = `SCHEMA >
    \`email\` String \`json:$.email\`,
    \`plan\` String \`json:$.plan\`,
    \`seats\` UInt16 \`json:$.seats\` DEFAULT 1,
    \`referrer\` Nullable(String) \`json:$.referrer\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "email"
`;
// The endpoint node comes first and reads nodes defined after it, as Tinybird allows.
const FORWARD = `NODE endpoint
SQL >
    SELECT page, hits FROM by_page ORDER BY hits DESC, page
TYPE endpoint

NODE recent
SQL >
    SELECT page, n FROM visits

NODE by_page
SQL >
    SELECT page, sum(n) AS hits FROM recent GROUP BY page
`;
// A time column whose DEFAULT is an empty text (a replicated table whose dates may be unset).
const ROLES = `SCHEMA >
    \`id\` String \`json:$.record.id\`,
    \`startDate\` DateTime64(3) \`json:$.record.startDate\` DEFAULT ''

ENGINE "ReplacingMergeTree"
ENGINE_SORTING_KEY "id"
`;
// ClickHouse refuses this table: its sorting key names a column it does not have.
const BROKEN = `SCHEMA >
    \`page\` String \`json:$.page\`,
    \`hits\` UInt64 \`json:$.hits\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "no_such_column"
`;
const INTO_BROKEN = `NODE totals
SQL >
    SELECT page, toUInt64(sum(n)) AS hits FROM visits GROUP BY page
TYPE materialized
DATASOURCE broken
`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'visits.datasource': VISITS,
    'signups.datasource': SIGNUPS,
    'broken.datasource': BROKEN,
    'roles.datasource': ROLES,
    'forward.pipe': FORWARD,
    'into_broken.pipe': INTO_BROKEN,
  });
  const rows = [
    { timestamp: '2026-01-01 00:00:00', page: '/a', n: 1 },
    { timestamp: '2026-01-01 00:00:01', page: '/b', n: 5 },
    { timestamp: '2026-01-01 00:00:02', page: '/a', n: 2 },
  ];
  const res = await project.call('/v0/events?name=visits&wait=true', {
    method: 'POST',
    body: rows.map((r) => JSON.stringify(r)).join('\n'),
  });
  expect(res.status).toBe(200);
}, 60_000);
afterAll(() => project?.close());

const csv = (name: string, text: string) => {
  const form = new FormData();
  form.append('csv', new Blob([text]), `${name}.csv`);
  return project.call(`/v0/datasources?name=${name}&mode=append&format=csv`, { method: 'POST', body: form });
};

describe('what unseen projects hit', { timeout: 60_000 }, () => {
  it('an endpoint node reads nodes defined after it in its pipe', async () => {
    const res = await project.call('/v0/pipes/forward.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((res.json as { data: unknown[] }).data).toEqual([
      { page: '/b', hits: 5 },
      { page: '/a', hits: 3 },
    ]);
    // Its q= and the Query API read it the same way.
    const q = await project.call(`/v0/pipes/forward.json?q=${encodeURIComponent('SELECT sum(hits) AS t FROM _')}`);
    expect((q.json as { data: unknown[] }).data).toEqual([{ t: 8 }]);
    expect(await project.sql('SELECT count() AS c FROM forward')).toEqual([{ c: 2 }]);
  });

  it('a CSV header is skipped whatever the order of its names, and its columns read by name', async () => {
    await project.call('/v0/datasources/signups/truncate', { method: 'POST' });
    const res = await csv('signups', 'plan,email,referrer,seats\npro,a@x.io,hn,3\nfree,"b@x.io",,2\n');
    expect(res.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await project.sql('SELECT email, plan, seats, referrer FROM signups ORDER BY email')).toEqual([
      { email: 'a@x.io', plan: 'pro', seats: 3, referrer: 'hn' },
      { email: 'b@x.io', plan: 'free', seats: 2, referrer: null },
    ]);
  });

  it('CSV rows that stop before columns added later get their defaults, with or without a header', async () => {
    await project.call('/v0/datasources/signups/truncate', { method: 'POST' });
    const plain = await csv('signups', 'c@x.io,pro\nd@x.io,free,4\n');
    expect(plain.json).toMatchObject({ quarantine_rows: 0, error: false });
    const named = await csv('signups', 'plan,email\nteam,e@x.io\n');
    expect(named.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await project.sql('SELECT email, plan, seats, referrer FROM signups ORDER BY email')).toEqual([
      { email: 'c@x.io', plan: 'pro', seats: 1, referrer: null },
      { email: 'd@x.io', plan: 'free', seats: 4, referrer: null },
      { email: 'e@x.io', plan: 'team', seats: 1, referrer: null },
    ]);
    // A value that does not fit its column still goes to quarantine.
    const bad = await csv('signups', 'f@x.io,pro,70000\n');
    expect(bad.json).toMatchObject({ quarantine_rows: 1 });
  });

  it("a DateTime64 column's DEFAULT '' is the zero time, as in ClickHouse's basic text-to-time rules", async () => {
    const res = await project.call('/v0/events?name=roles&wait=true', {
      method: 'POST',
      body: [
        JSON.stringify({ record: { id: 'r1' } }),
        JSON.stringify({ record: { id: 'r2', startDate: '2026-01-02 03:04:05.678' } }),
      ].join('\n'),
    });
    expect(res.json).toMatchObject({ successful_rows: 2, quarantined_rows: 0 });
    expect(await project.sql('SELECT id, startDate FROM roles ORDER BY id')).toEqual([
      { id: 'r1', startDate: '1970-01-01 00:00:00.000' },
      { id: 'r2', startDate: '2026-01-02 03:04:05.678' },
    ]);
  });

  it('a data source ClickHouse refused stays refused, even when a materialized pipe targets it', async () => {
    const list = await project.call('/v0/datasources');
    const body = list.json as { datasources: Array<{ name: string }>; errors?: Array<{ name: string }> };
    expect(body.datasources.map((d) => d.name)).not.toContain('broken');
    expect(body.errors?.map((e) => e.name)).toContain('broken');
    const append = await project.call('/v0/events?name=broken&wait=true', {
      method: 'POST',
      body: JSON.stringify({ page: '/x', hits: 1 }),
    });
    expect(append.status).toBeGreaterThanOrEqual(400);
    expect(append.status).toBeLessThan(500);
    // The pipe that writes into it is refused too, and says why.
    const pipes = await project.call('/v0/pipes');
    const errors = (pipes.json as { errors: Array<{ name: string; error: string }> }).errors;
    expect(errors.find((e) => e.name === 'into_broken')?.error).toMatch(/broken/);
    expect(project.dev.output()).toMatch(/Not served: +2 datafiles/);
    expect(project.dev.output()).toMatch(/^ +broken \(.*broken\.datasource:\d+\)$/m);
  });
});
