// Copy pipes run on their COPY_SCHEDULE in every workspace, each on its own data: the default one (the --project
// folder) and one made over /v1 and built with the same datafiles. The schedule is every minute, so this waits for the
// start of the next one (up to a minute, on a condition; the minutes themselves are tested with fake timers in
// cron.test.ts). The server runs in its own process (chDB allows one data directory per process).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const FILES = {
  'bookings.datasource': 'SCHEMA >\n    `airline` String `json:$.airline`\n\nENGINE "MergeTree"\n',
  'totals.datasource': 'SCHEMA >\n    `n` UInt64\n\nENGINE "MergeTree"\n',
  'count_bookings.pipe':
    'NODE n\nSQL >\n    SELECT count() AS n FROM bookings\nTYPE COPY\nTARGET_DATASOURCE totals\nCOPY_SCHEDULE "* * * * *"\n',
};

let project: DevProject;
let user: string;
beforeAll(async () => {
  project = await devProject(FILES);
  user = await project.userToken();
}, 60_000);
afterAll(() => project?.close());

const sql = async (token: string, q: string) =>
  (await project.call(`/v0/sql?q=${encodeURIComponent(`${q} FORMAT JSON`)}`, {}, token)).json as {
    data: Array<{ n: number }>;
  };
const append = (token: string, count: number) =>
  project.call(
    '/v0/events?name=bookings&wait=true',
    { method: 'POST', body: Array.from({ length: count }, () => '{"airline":"KLM"}').join('\n') },
    token,
  );

it('runs the scheduled copy pipes of every workspace, each on its own data', { timeout: 120_000 }, async () => {
  const { token: branch } = await project.createWorkspace('feat_copies');
  expect((await project.build(FILES, branch)).status).toBe(200);
  expect((await append(user, 2)).status).toBe(200);
  expect((await append(branch, 3)).status).toBe(200);

  const firstCopy = async (token: string) => {
    for (;;) {
      const { data } = await sql(token, 'SELECT n FROM totals ORDER BY n LIMIT 1');
      if (data.length > 0) return data[0]!.n;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  expect(await firstCopy(branch)).toBe(3);
  expect(await firstCopy(user)).toBe(2);
  expect(project.dev.output()).toMatch(/Copy pipe count_bookings of workspace feat_copies \(\* \* \* \* \*\): 1 rows/);
});
