// Queries get bounded time and memory, clear 4xx answers past them, a bounded queue per caller, and one caller's slow
// query never holds up another caller's. On a server of its own, started with small limits.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

let project: DevProject;
beforeAll(async () => {
  project = await devProject(
    { 'n.datasource': 'SCHEMA >\n    `x` UInt32 `json:$.x`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "x"\n' },
    ['--query-timeout', '5', '--query-memory', '60000000', '--queries-per-token', '3'],
  );
  const body = Array.from({ length: 3000 }, (_, x) => JSON.stringify({ x })).join('\n');
  await project.call('/v0/events?name=n&wait=true', { method: 'POST', body });
}, 60_000);
afterAll(() => project?.close());

const token = (name: string) =>
  new SignJWT({
    workspace_id: project.dev.workspaceId,
    name,
    exp: Math.floor(Date.now() / 1000) + 600,
    scopes: [{ type: 'DATASOURCES:READ', resource: 'n' }],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(project.dev.adminToken));
const SLOW = 'SELECT count() AS c FROM n AS a, n AS b, n AS c WHERE a.x + b.x + c.x = 7';
const query = (sql: string, jwt: string) => project.call(`/v0/sql?q=${encodeURIComponent(sql)}`, {}, jwt);

describe('query limits', { timeout: 60_000 }, () => {
  it('stops a query past its time with a 408 and one past its memory with a 400, in plain words', async () => {
    const slow = await query(SLOW, await token('slow'));
    expect(slow.status).toBe(408);
    expect(slow.json.error).toMatch(/time|timeout/i);
    const big = await query(
      "SELECT groupArray(concat(toString(a.x), '-', toString(b.x), repeat('x', 20))) AS g FROM n AS a, n AS b",
      await token('big'),
    );
    expect(big.status, JSON.stringify(big.json).slice(0, 300)).toBe(400);
    expect(big.json.error).toMatch(/memory limit/i);
    expect(JSON.stringify(big.json)).not.toMatch(/DB::Exception|Code: \d+/);
  });

  it("answers another caller's quick query while one caller's slow query runs", async () => {
    const order: string[] = [];
    const slow = query(SLOW, await token('slow_a')).then((r) => order.push(`slow ${r.status}`));
    await new Promise((r) => setTimeout(r, 200));
    const quick = await query('SELECT count() AS n FROM n', await token('quick_b'));
    order.push(`quick ${quick.status}`);
    await slow;
    expect(quick.json.data).toEqual([{ n: 3000 }]);
    expect(order).toEqual(['quick 200', 'slow 408']);
  });

  it('answers 429 past the queries one caller may have waiting or running, and serves the others', async () => {
    const greedy = await token('greedy');
    const flood = Array.from({ length: 6 }, () => query(SLOW, greedy));
    await new Promise((r) => setTimeout(r, 200));
    const other = await query('SELECT 1 AS one FROM n LIMIT 1', await token('other'));
    const answers = await Promise.all(flood);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(statuses.filter((s) => s === 408)).toHaveLength(3);
    expect(answers.find((a) => a.status === 429)?.json.error).toMatch(/too many/i);
    expect(other.status).toBe(200);
  });
});
