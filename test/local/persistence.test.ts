// Data, the admin token, static tokens and JWTs signed before survive a restart on the same data directory.
// Each server runs in its own process through the CLI: chDB allows one data directory per process.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../src/local/index';
import type { Json } from '../support/json';
import { runCli, startDev } from './cli';
import { tb } from './helpers';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'react-tinybird-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const call = async (url: string, path: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  return { status: res.status, json: (await res.json()) as Json };
};

// Each CLI run starts Node, tsx and chDB: a few seconds, hence the longer timeouts.
describe('restart on the same data directory', { timeout: 60_000 }, () => {
  it('keeps rows, the admin token, the workspace id and JWTs signed before', async () => {
    const data = await tempDir();
    const first = await startDev(['--data', data, '--seed-rows', '500']);
    let minted: string;
    let streamed: number;
    try {
      // The seed is deterministic: seed 42, 500 rows, always these numbers.
      const seeded = await call(
        first.url,
        `/v0/sql?q=${encodeURIComponent('SELECT count() AS n, sum(passengers) AS p, round(sum(price), 2) AS revenue, min(booking_id) AS first FROM events')}`,
        first.adminToken,
      );
      expect(seeded.json.data).toEqual([{ n: 500, p: 787, revenue: 149239.22, first: '0145bc7ff7f47f76' }]);
      // A live stream through the Events API: every generated booking fits the schema.
      const stream = streamEvents({
        url: first.url,
        token: first.adminToken,
        rate: 100,
        batchesPerSecond: 20,
        seed: 7,
        onError: (e) => {
          throw e;
        },
      });
      while (stream.sent < 20) await new Promise((r) => setTimeout(r, 20));
      await stream.stop();
      streamed = stream.sent;
      const quarantine = await call(
        first.url,
        `/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM events_quarantine')}`,
        first.adminToken,
      );
      expect(quarantine.json.data).toEqual([{ n: 0 }]);
      const rows = [
        '{"user_id":"p_1","airline":"A","origin":"B","destination":"C","price":1}',
        '{"user_id":"p_1","airline":"A","origin":"B","destination":"C","price":2}',
      ].join('\n');
      expect(
        (await call(first.url, '/v0/events?name=events&wait=true', first.adminToken, { method: 'POST', body: rows }))
          .json,
      ).toEqual({ successful_rows: 2, quarantined_rows: 0 });
      const exp = Math.floor(Date.now() / 1000) + 600;
      minted = (
        await call(first.url, `/v0/tokens/?expiration_time=${exp}`, first.adminToken, {
          method: 'POST',
          body: JSON.stringify({
            name: 'kept',
            scopes: [{ type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'p_1'" }],
          }),
        })
      ).json.token;
    } finally {
      await first.stop();
    }

    const second = await startDev(['--data', data, '--seed-rows', '500']);
    try {
      expect(second.adminToken).toBe(first.adminToken);
      expect(second.workspaceId).toBe(first.workspaceId);
      // The seed only fills an empty table: 500 + 2 + the streamed rows, not another 500.
      const all = await call(
        second.url,
        `/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM events')}`,
        second.adminToken,
      );
      expect(all.json.data).toEqual([{ n: 502 + streamed }]);
      const mine = await call(
        second.url,
        `/v0/sql?q=${encodeURIComponent('SELECT count() AS n, sum(price) AS p FROM events')}`,
        minted,
      );
      expect(mine.json.data).toEqual([{ n: 2, p: 3 }]);
      // `react-tinybird token` signs with the admin token stored in the data directory.
      const cli = runCli([
        'token',
        '--scope',
        'PIPES:READ:user_bookings',
        '--fixed',
        'user_id=p_1',
        '--data',
        data,
        '--ttl',
        '5m',
      ]);
      expect(await cli.exited).toBe(0);
      const jwt = cli.output().trim();
      const pipe = await call(second.url, '/v0/pipes/user_bookings.json?user_id=u_1', jwt);
      expect(pipe.json.data.map((r: { price: number }) => r.price).sort()).toEqual([1, 2]);
    } finally {
      await second.stop();
    }
  });
});

describe.concurrent('CLI errors say what to fix', { timeout: 30_000 }, () => {
  it('a bad datafile: file, line and what is wrong, and the rest of the project still serves', async () => {
    const project = await tempDir();
    await mkdir(join(project, 'datasources'));
    await writeFile(
      join(project, 'datasources', 'broken.datasource'),
      'SCHEMA >\n    `a` String,\n    `b`\n\nENGINE "MergeTree"\n',
    );
    await writeFile(join(project, 'datasources', 'fine.datasource'), 'SCHEMA >\n    `a` String\n');
    const dev = await startDev(['--project', project, '--data', await tempDir()]);
    try {
      expect(dev.output()).toMatch(/broken\.datasource:3: column "b" needs a ClickHouse type/);
      const fine = await fetch(`${dev.url}/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM fine')}`, {
        headers: { Authorization: `Bearer ${dev.adminToken}` },
      });
      expect(fine.status).toBe(200);
    } finally {
      await dev.stop();
    }
  });

  it('a port in use', async () => {
    const port = new URL(tb().url).port;
    const run = runCli(['dev', '--port', port, '--data', await tempDir()]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`));
    // An expected failure is its message, not a stack trace.
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('token without an admin token, or with a bad scope', async () => {
    const missing = runCli(['token', '--scope', 'PIPES:READ:kpis', '--data', join(await tempDir(), 'none')], {
      TINYBIRD_ADMIN_TOKEN: '',
    });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toMatch(/workspace\.json does not exist yet/);
    const bad = runCli(['token', '--scope', 'PIPES:WRITE:kpis', '--admin-token', tb().adminToken]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--scope takes TYPE:resource/);
    // What the signer refuses of the flags is a usage error too, in the signer's words without its package prefix.
    const ttl = runCli(['token', '--scope', 'PIPES:READ:kpis', '--ttl', 'soon', '--admin-token', tb().adminToken]);
    expect(await ttl.exited).toBe(2);
    expect(ttl.output()).toMatch(/react-tinybird: `expiresIn` must be a number of seconds or a string with a unit/);
  });
});
