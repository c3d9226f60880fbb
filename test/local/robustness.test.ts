// Inputs found by fuzzing the running server: each must be a 4xx or a quarantined row, never a 500, a request's rows are
// written all or nothing, and an error body never carries the engine's own text (DB::Exception, codes, versions).
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { api, sql, tb } from './helpers';

const user = () => `t_${Math.random().toString(36).slice(2)}`;
const row = (u: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    timestamp: '2001-01-01 00:00:00',
    user_id: u,
    airline: 'Robust Air',
    origin: 'A',
    destination: 'B',
    price: 1,
    ...extra,
  });
const events = (body: string | Buffer, headers: Record<string, string> = {}) =>
  api<{ successful_rows: number; quarantined_rows: number; error?: string }>('/v0/events?name=events&wait=true', {
    method: 'POST',
    body,
    headers,
  });
const count = async (u: string) =>
  (await sql<{ n: number }>(`SELECT count() AS n FROM events WHERE user_id = '${u}'`))[0]?.n;
const ENGINE_TEXT = /DB::Exception|Code: \d+|\(version \d|Stack trace|[A-Z_]{12,}\)/;

describe('robustness of the Events API', () => {
  it('quarantines a row with a deeply nested value instead of failing the request', async () => {
    const u = user();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = [row(u), row(u).replace(/}$/, `,"extra":${deep}}`), row(u).replace(/"A"/, `${deep}`)].join('\n');
    const res = await events(body);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json).toEqual({ successful_rows: 2, quarantined_rows: 1 });
    expect(await count(u)).toBe(2);
  });

  it('quarantines a lone UTF-16 surrogate and writes the good rows once: a retry adds nothing twice', async () => {
    const u = user();
    const bad = row(u).replace(`"${u}"`, `"${u}\\ud800"`);
    const body = [row(u), bad, row(u, { price: 2 })].join('\n');
    const first = await events(body);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ successful_rows: 2, quarantined_rows: 1 });
    expect(first.text).not.toMatch(ENGINE_TEXT);
    expect(await count(u)).toBe(2);
    const [q] = await sql<{ n: number }>(
      `SELECT count() AS n FROM events_quarantine WHERE startsWith(user_id, '${u}')`,
    );
    expect(q?.n).toBe(1);
  });

  it('stores the JSON text of an object or array read into a String or Array(String) column', async () => {
    const u = user();
    const res = await events(row(u, { airline: { name: 'Nested Air', code: 'NA' }, origin: ['MAD', 'LIS'] }));
    expect(res.json).toEqual({ successful_rows: 1, quarantined_rows: 0 });
    const [stored] = await sql(`SELECT airline, origin FROM events WHERE user_id = '${u}'`);
    expect(JSON.parse(stored?.['airline'])).toEqual({ name: 'Nested Air', code: 'NA' });
    expect(JSON.parse(stored?.['origin'])).toEqual(['MAD', 'LIS']);
  });

  it('quarantines a DateTime sent as a string of digits, as Tinybird does, and takes a number of seconds', async () => {
    const u = user();
    const res = await events(
      [row(u, { timestamp: '978307200' }), row(u, { timestamp: 978307200 }), row(u, { timestamp: '2001-01-01' })].join(
        '\n',
      ),
    );
    expect(res.json).toEqual({ successful_rows: 2, quarantined_rows: 1 });
    const [q] = await sql(`SELECT timestamp, c__error FROM events_quarantine WHERE user_id = '${u}'`);
    expect(q?.['timestamp']).toBe('978307200');
    expect(String(q?.['c__error'])).toMatch(/timestamp/);
  });

  it('decodes a gzip body (Content-Encoding: gzip)', async () => {
    const u = user();
    const body = gzipSync(Buffer.from([row(u), row(u)].join('\n')));
    const res = await events(body, { 'Content-Encoding': 'gzip' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ successful_rows: 2, quarantined_rows: 0 });
    expect(await count(u)).toBe(2);
  });

  it(
    'refuses a gzip body that inflates past the limit with a 413, and a corrupt one with a 400',
    { timeout: 60_000 },
    async () => {
      const u = user();
      // ~60 MB of NDJSON in well under 1 MB of gzip: past the 50 MB an Events API body may inflate to.
      const line = Buffer.from(`${row(u)}\n`);
      const bomb = gzipSync(
        Buffer.concat(Array.from({ length: Math.ceil((60 * 1024 * 1024) / line.length) }, () => line)),
        {
          level: 1,
        },
      );
      expect(bomb.length).toBeLessThan(10 * 1024 * 1024);
      const res = await events(bomb, { 'Content-Encoding': 'gzip' });
      expect(res.status, res.text.slice(0, 300)).toBe(413);
      expect(res.json.error).toMatch(/decompress|inflate|MB/i);
      expect(await count(u)).toBe(0);
      const corrupt = await events(Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' });
      expect(corrupt.status).toBe(400);
    },
  );
});

describe('robustness of request parameters', () => {
  it('answers a deeply nested POST parameter with a 400, not a 500', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const path of ['/v0/pipes/top_airlines.json', '/v0/sql']) {
      const res = await api(path, {
        method: 'POST',
        body: path === '/v0/sql' ? `{"q":"SELECT 1","x":${deep}}` : `{"limit":${deep}}`,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(400);
      expect(res.text).not.toMatch(ENGINE_TEXT);
    }
  });

  it('never echoes the engine text in an error body', async () => {
    for (const q of ['SELECT nope FROM events', 'SELECT 1 +', 'SELECT toDate(user_id) FROM events LIMIT 1']) {
      const res = await api(`/v0/sql?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBeGreaterThanOrEqual(400);
      expect(res.status, q).toBeLessThan(500);
      expect(res.json.error, q).not.toMatch(ENGINE_TEXT);
    }
  });
});

describe('robustness of kept-alive connections', () => {
  it('answers the next request on the connection after refusing one whose body it did not read', async () => {
    // One socket for both requests, as a client's keep-alive pool reuses it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body?: Buffer) =>
      new Promise<number>((done, fail) => {
        const url = new URL(`${tb().url}${path}`);
        const req = request(
          url,
          { agent, method: body ? 'POST' : 'GET', headers: { Authorization: `Bearer ${tb().adminToken}` } },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('error', fail);
        req.end(body);
      });
    try {
      const big = Buffer.alloc(2 * 1024 * 1024, 'a');
      expect(await send('/v0/datasources?name=no_such_source&mode=append&format=csv', big)).toBe(404);
      expect(await send('/v0/pipes')).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
