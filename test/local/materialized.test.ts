// Materialized pipes: a TYPE materialized node becomes a ClickHouse materialized view into its DATASOURCE, so rows
// appended to the source show up aggregated in the target, a target added later is filled from the rows already
// stored, and a restart neither loses nor double-counts. The server runs in its own process (one chDB data directory
// per process) on a temp project.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { devProject, runCli, type DevProject } from './cli';

const BOOKINGS = `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`airline\` String \`json:$.airline\`,
    \`price\` Float64 \`json:$.price\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`;
const DAILY = `SCHEMA >
    \`day\` Date,
    \`airline\` String,
    \`bookings\` AggregateFunction(count),
    \`revenue\` SimpleAggregateFunction(sum, Float64)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "day, airline"
`;
// Two nodes: the view reads the first, as Tinybird lets a materialized node do.
const DAILY_MV = `NODE paid
SQL >
    SELECT timestamp, airline, price FROM bookings WHERE price > 0

NODE to_daily
SQL >
    SELECT toDate(timestamp) AS day, airline, countState() AS bookings, sum(price) AS revenue
    FROM paid
    GROUP BY day, airline
TYPE materialized
DATASOURCE daily
`;
const DAILY_STATS = `NODE endpoint
SQL >
    SELECT day, airline, countMerge(bookings) AS bookings, sum(revenue) AS revenue
    FROM daily
    GROUP BY day, airline
    ORDER BY day, airline
TYPE endpoint
`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'bookings.datasource': BOOKINGS,
    'daily.datasource': DAILY,
    'daily_mv.pipe': DAILY_MV,
    'daily_stats.pipe': DAILY_STATS,
  });
}, 60_000);
afterAll(() => project?.close());

const call = (path: string, init?: RequestInit) => project.call(path, init);
const append = (rows: object[]) =>
  call('/v0/events?name=bookings&wait=true', { method: 'POST', body: rows.map((r) => JSON.stringify(r)).join('\n') });
const stats = async () => (await call('/v0/pipes/daily_stats.json')).json.data;

describe('materialized pipes', { timeout: 60_000 }, () => {
  it('aggregate every append into the target data source, through the nodes before them', async () => {
    expect(
      (
        await append([
          { timestamp: '2024-05-01 10:00:00', airline: 'KLM', price: 100 },
          { timestamp: '2024-05-01 12:00:00', airline: 'KLM', price: 50 },
          { timestamp: '2024-05-01 13:00:00', airline: 'KLM', price: 0 }, // not paid: the first node drops it
          { timestamp: '2024-05-02 09:00:00', airline: 'Iberia', price: 80 },
        ])
      ).json,
    ).toEqual({ successful_rows: 4, quarantined_rows: 0 });
    await append([{ timestamp: '2024-05-01 18:00:00', airline: 'KLM', price: 25 }]);
    expect(await stats()).toEqual([
      { day: '2024-05-01', airline: 'KLM', bookings: 3, revenue: 175 },
      { day: '2024-05-02', airline: 'Iberia', bookings: 1, revenue: 80 },
    ]);
    // A materialized pipe is not an endpoint.
    expect((await call('/v0/pipes/daily_mv.json')).status).toBe(404);
  });

  it('fill a target added later from the rows already stored (populate), then keep it current', async () => {
    await writeFile(
      join(project.dir, 'totals.datasource'),
      'SCHEMA >\n    `airline` String,\n    `revenue` SimpleAggregateFunction(sum, Float64)\n\nENGINE "AggregatingMergeTree"\nENGINE_SORTING_KEY "airline"\n',
    );
    await writeFile(
      join(project.dir, 'totals_mv.pipe'),
      'NODE t\nSQL >\n    SELECT airline, sum(price) AS revenue FROM bookings GROUP BY airline\nTYPE materialized\nDATASOURCE totals\n',
    );
    const totals = async () =>
      (
        await call(
          `/v0/sql?q=${encodeURIComponent('SELECT airline, sum(revenue) AS revenue FROM totals GROUP BY airline ORDER BY airline FORMAT JSON')}`,
        )
      ).json.data;
    await eventually(async () =>
      expect(await totals()).toEqual([
        { airline: 'Iberia', revenue: 80 },
        { airline: 'KLM', revenue: 175 },
      ]),
    );
    await append([{ timestamp: '2024-05-03 09:00:00', airline: 'Iberia', price: 20 }]);
    expect(await totals()).toEqual([
      { airline: 'Iberia', revenue: 100 },
      { airline: 'KLM', revenue: 175 },
    ]);
  });

  it('survive a restart without filling the target twice', async () => {
    await project.restart();
    await append([{ timestamp: '2024-05-02 10:00:00', airline: 'Iberia', price: 10 }]);
    expect(await stats()).toEqual([
      { day: '2024-05-01', airline: 'KLM', bookings: 3, revenue: 175 },
      { day: '2024-05-02', airline: 'Iberia', bookings: 2, revenue: 90 },
      { day: '2024-05-03', airline: 'Iberia', bookings: 1, revenue: 20 },
    ]);
  });

  it('compute every target again from the new rows when the source is replaced, then keep them current', async () => {
    const form = new FormData();
    form.append('ndjson', new Blob(['{"timestamp":"2024-06-01 10:00:00","airline":"KLM","price":7}\n']), 'b.ndjson');
    const replaced = await call('/v0/datasources?name=bookings&mode=replace&format=ndjson', {
      method: 'POST',
      body: form,
    });
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(await stats()).toEqual([{ day: '2024-06-01', airline: 'KLM', bookings: 1, revenue: 7 }]);
    await append([{ timestamp: '2024-06-01 11:00:00', airline: 'KLM', price: 3 }]);
    expect(await stats()).toEqual([{ day: '2024-06-01', airline: 'KLM', bookings: 2, revenue: 10 }]);
  });

  it('report a view ClickHouse refuses with the file, the line and its reason, and serve the rest', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'react-tinybird-mv-broken-'));
    try {
      await writeFile(join(broken, 'bookings.datasource'), BOOKINGS);
      await writeFile(join(broken, 'daily.datasource'), DAILY);
      await writeFile(
        join(broken, 'bad_mv.pipe'),
        'NODE n\nSQL >\n    SELECT airline, no_such_column FROM bookings\nTYPE materialized\nDATASOURCE daily\n',
      );
      const run = runCli(['dev', '--port', '0', '--project', broken, '--data', join(broken, '.data')]);
      try {
        await eventually(async () => expect(run.output()).toMatch(/Started in/), 30_000);
        expect(run.output()).toMatch(/bad_mv\.pipe:1: ClickHouse refused the materialized node "n": .*no_such_column/s);
        expect(run.child.exitCode).toBe(null);
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
