// Pipes over HTTP: Tinybird's response shape, formats, params (query string and JSON body), multi-node pipes,
// fixed_params that always win, and `q=` that can read nothing but the pipe's own result.
import { describe, expect, it } from 'vitest';
import { api, demoToken, jwt, q, sql, tb } from './helpers';

interface Shape {
  meta: Array<{ name: string; type: string }>;
  data: Array<Record<string, unknown>>;
  rows: number;
  rows_before_limit_at_least: number;
  statistics: { elapsed: number; rows_read: number; bytes_read: number };
}

describe('pipe responses', () => {
  it("answer in Tinybird's JSON shape, 64-bit integers as JSON numbers", async () => {
    const res = await api<Shape>('/v0/pipes/top_airlines.json?limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(Object.keys(res.json)).toEqual(['meta', 'data', 'rows', 'rows_before_limit_at_least', 'statistics']);
    expect(res.json.meta).toEqual([
      { name: 'airline', type: 'LowCardinality(String)' },
      { name: 'bookings', type: 'UInt64' },
      { name: 'passengers', type: 'UInt64' },
      { name: 'revenue', type: 'Float64' },
    ]);
    expect(res.json.rows).toBe(3);
    expect(res.json.rows_before_limit_at_least).toBeGreaterThanOrEqual(15);
    expect(typeof res.json.data[0]?.['bookings']).toBe('number');
    expect(res.json.statistics.rows_read).toBeGreaterThanOrEqual(tb().seedRows);
    expect(typeof res.json.statistics.elapsed).toBe('number');
    // Other test files may append meanwhile: the pipe's counts lie between a count taken before and one after.
    const counts = async () =>
      new Map(
        (await sql('SELECT airline, count() AS n FROM events GROUP BY airline')).map((r) => [
          r['airline'],
          r['n'] as number,
        ]),
      );
    const before = await counts();
    const again = await api<Shape>('/v0/pipes/top_airlines.json?limit=3');
    const after = await counts();
    const top = [...before]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([airline]) => airline);
    expect(again.json.data.map((r) => r['airline'])).toEqual(top);
    for (const row of again.json.data) {
      expect(row['bookings']).toBeGreaterThanOrEqual(before.get(row['airline'])!);
      expect(row['bookings']).toBeLessThanOrEqual(after.get(row['airline'])!);
    }
  });

  it('keeps every digit of a UInt64 beyond 2^53 in the response text', async () => {
    const res = await api(
      `/v0/pipes/top_airlines.json?q=${q('SELECT toUInt64(18446744073709551615) AS big FROM _ LIMIT 1')}`,
    );
    expect(res.text).toMatch(/"big": 18446744073709551615\b/);
  });

  it('.csv answers CSV with a header, .ndjson one JSON object per line', async () => {
    const csv = await api('/v0/pipes/top_airlines.csv?limit=2');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('"airline","bookings","passengers","revenue"');
    expect(lines).toHaveLength(3);
    const ndjson = await api('/v0/pipes/top_airlines.ndjson?limit=2');
    const rows = ndjson.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).toEqual(['airline', 'bookings', 'passengers', 'revenue']);
    expect((await api('/v0/pipes/top_airlines.xlsx')).status).toBe(400);
  });

  it('takes params from a POST JSON body as well as the query string', async () => {
    const res = await api<Shape>('/v0/pipes/top_airlines.json', {
      method: 'POST',
      body: JSON.stringify({ limit: 2 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.json.rows).toBe(2);
    const bad = await api('/v0/pipes/top_airlines.json', {
      method: 'POST',
      body: '[1]',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
  });

  it('runs multi-node pipes: later nodes read earlier ones by name', async () => {
    const start = '2026-01-01 00:00:00';
    const count = async (where: string) =>
      (await sql(`SELECT count() AS n FROM events WHERE ${where}`))[0]?.['n'] as number;
    const before = await count(`timestamp >= '${start}'`);
    const res = await api<Shape>(`/v0/pipes/top_airlines.json?limit=100&start=${q(start)}`);
    const after = await count(`timestamp >= '${start}'`);
    const total = res.json.data.reduce((sum, r) => sum + (r['bookings'] as number), 0);
    expect(total).toBeGreaterThanOrEqual(before);
    expect(total).toBeLessThanOrEqual(after);

    // kpis: two period nodes joined by the endpoint node.
    const current = 'timestamp >= now() - toIntervalDay(400) AND timestamp <= now()';
    const previous = 'timestamp >= now() - toIntervalDay(800) AND timestamp < now() - toIntervalDay(400)';
    const [currentBefore, previousCount] = [await count(current), await count(previous)];
    const kpis = await api<Shape>('/v0/pipes/kpis.json?days=400');
    const currentAfter = await count(current);
    expect(kpis.json.data).toHaveLength(1);
    const row = kpis.json.data[0]!;
    expect(Object.keys(row)).toEqual(['bookings', 'revenue', 'avg_price', 'users', 'bookings_delta', 'revenue_delta']);
    expect(row['bookings']).toBeGreaterThanOrEqual(currentBefore);
    expect(row['bookings']).toBeLessThanOrEqual(currentAfter);
    expect((row['bookings'] as number) - (row['bookings_delta'] as number)).toBe(previousCount);
  });

  it('bookings_per_hour: an hourly series over the last 24 hours by default, a range with start/end', async () => {
    const series = await api<Shape>('/v0/pipes/bookings_per_hour.json');
    expect(series.status).toBe(200);
    expect(series.json.rows).toBeGreaterThan(0);
    expect(series.json.rows).toBeLessThanOrEqual(24);
    const hours = series.json.data.map((r) => r['hour'] as string);
    expect([...hours].sort()).toEqual(hours);
    const ranged = await api<Shape>(
      `/v0/pipes/bookings_per_hour.json?start=${q('2026-01-01 00:00:00')}&end=${q('2026-01-01 03:00:00')}`,
    );
    expect(ranged.status).toBe(200);
    for (const row of ranged.json.data) expect(row['hour']).toMatch(/^2026-01-01 0[0-2]:00:00$/);
    expect((await api('/v0/pipes/bookings_per_hour.json?start=yesterday')).status).toBe(400);
    // As on Tinybird: DateTime() refuses a bare day, and passes an ISO form through to ClickHouse, which cannot
    // compare it with a DateTime column.
    expect((await api('/v0/pipes/bookings_per_hour.json?start=2026-01-01')).status).toBe(400);
    expect((await api(`/v0/pipes/bookings_per_hour.json?start=${q('2026-01-01T00:00:00Z')}`)).status).toBe(400);
  });
});

describe('fixed_params', () => {
  const bookingsOf = async (user: string) =>
    (
      await sql(`SELECT booking_id FROM events WHERE user_id = '${user}' ORDER BY timestamp DESC, booking_id LIMIT 50`)
    ).map((r) => r['booking_id']);

  it('always win over the query string, repeated params and the POST body', async () => {
    const token = await jwt({
      scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_1' } }],
    });
    const mine = await bookingsOf('u_1');
    expect(mine.length).toBeGreaterThan(0);
    const attempts = [
      api<Shape>('/v0/pipes/user_bookings.json', { token }),
      api<Shape>('/v0/pipes/user_bookings.json?user_id=u_2', { token }),
      api<Shape>('/v0/pipes/user_bookings.json?user_id=u_2&user_id=u_3', { token }),
      api<Shape>(`/v0/pipes/user_bookings.json?user_id=${q("u_2' OR '1'='1")}`, { token }),
      api<Shape>('/v0/pipes/user_bookings.json', {
        token,
        method: 'POST',
        body: JSON.stringify({ user_id: 'u_2' }),
        headers: { 'Content-Type': 'application/json' },
      }),
      api<Shape>('/v0/pipes/user_bookings.json?user_id=u_3', {
        token,
        method: 'POST',
        body: JSON.stringify({ user_id: ['u_2'] }),
        headers: { 'Content-Type': 'application/json' },
      }),
      api<Shape>('/v0/pipes/user_bookings.json', {
        token,
        method: 'POST',
        body: 'user_id=u_2',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(200);
      expect(res.json.data.map((r) => r['booking_id'])).toEqual(mine);
    }
  });

  it('also hold inside q=, which only sees the fixed result', async () => {
    const token = await demoToken('?user=u_7');
    const res = await api<Shape>(
      `/v0/pipes/user_bookings.json?limit=1000&user_id=u_8&q=${q('SELECT count() AS n FROM _')}`,
      { token },
    );
    const [expected] = await sql("SELECT count() AS n FROM events WHERE user_id = 'u_7'");
    expect(res.json.data[0]?.['n']).toBe(expected?.['n']);
  });

  it('a JWT without fixed_params lets the caller choose', async () => {
    const token = await jwt({ scopes: [{ type: 'PIPES:READ', resource: 'user_bookings' }] });
    const res = await api<Shape>('/v0/pipes/user_bookings.json?user_id=u_2', { token });
    expect(res.json.data.map((r) => r['booking_id'])).toEqual(await bookingsOf('u_2'));
  });
});

describe('q= over a pipe', () => {
  it('runs SELECTs over `_`, CTEs included, and honours a trailing FORMAT', async () => {
    const count = await api<Shape>(`/v0/pipes/top_airlines.json?q=${q('SELECT count() AS n FROM _')}`);
    expect(count.json.data).toEqual([{ n: 10 }]);
    const cte = await api<Shape>(
      `/v0/pipes/top_airlines.json?limit=3&q=${q('WITH t AS (SELECT * FROM _) SELECT count() AS n FROM t UNION ALL SELECT 1 AS n FROM _ WHERE 0')}`,
    );
    expect(cte.json.data).toEqual([{ n: 3 }]);
    const csv = await api(`/v0/pipes/top_airlines.json?limit=2&q=${q('SELECT airline FROM _ FORMAT CSVWithNames')}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('"airline"');
  });

  const escapes = [
    'SELECT * FROM events',
    'SELECT * FROM default.events',
    'SELECT * FROM `default`.`events`',
    'SELECT * FROM system.tables',
    'SELECT name FROM system.users',
    "SELECT * FROM file('/etc/passwd', 'LineAsString')",
    "SELECT file('/etc/passwd')",
    "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')",
    "SELECT * FROM merge('default', '.*')",
    'SELECT * FROM view(SELECT * FROM events)',
    "SELECT * FROM _ INTO OUTFILE '/tmp/react-tinybird-escape.txt'",
    'SELECT 1; DROP TABLE events',
    'SELECT * FROM _; SELECT * FROM events',
    'SELECT * FROM _ UNION ALL SELECT * FROM events',
    'SELECT * FROM _ WHERE airline IN (SELECT airline FROM events)',
    'SELECT * FROM _ WHERE airline IN events',
    'SELECT * FROM _ JOIN events USING airline',
    'WITH x AS (SELECT * FROM events) SELECT * FROM x',
    'SELECT * FROM (SELECT * FROM events)',
    'SELECT (SELECT count() FROM events)',
    'SELECT * FROM bookings_in_range',
    'SELECT * FROM top_airlines',
    'SELECT * FROM events_quarantine',
    'SELECT * FROM _ SETTINGS readonly = 0',
    "SELECT dictGet('d', 'x', 1)",
    "SELECT joinGet('events', 'price', 1)",
    "SELECT hasColumnInTable('default', 'events', 'price')",
    'DROP TABLE events',
    "INSERT INTO events (user_id) VALUES ('x')",
    'SHOW TABLES',
    'DESCRIBE TABLE events',
    'EXPLAIN SELECT * FROM events',
    'SELECT sleep(3)',
    '',
  ];

  it('runs table functions that only generate rows, as Tinybird does (`tb mock` fixtures, time series)', async () => {
    const res = await api<Shape>(`/v0/pipes/top_airlines.json?q=${q('SELECT sum(number) AS n FROM numbers(10)')}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toEqual([{ n: 45 }]);
  });

  it.each(escapes)('refuses %j with a 4xx', async (query) => {
    const res = await api(`/v0/pipes/top_airlines.json?q=${q(query)}`);
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
    expect(res.json?.error).toEqual(expect.any(String));
  });

  it('left the data alone after all of that', async () => {
    const [row] = await sql('SELECT count() >= 20000 AS ok FROM events');
    expect(row?.['ok']).toBe(1);
  });
});

describe('tokens from datafiles', () => {
  it('TOKEN "dashboard" READ reads the pipes that declare it and nothing else', async () => {
    const token = tb().tokens['dashboard']!;
    expect((await api('/v0/pipes/top_airlines.json', { token })).status).toBe(200);
    expect((await api('/v0/pipes/kpis.json', { token })).status).toBe(200);
    expect((await api('/v0/pipes/user_bookings.json?user_id=u_1', { token })).status).toBe(403);
    expect((await api(`/v0/sql?q=${q('SELECT count() FROM events')}`, { token })).status).toBe(403);
  });

  it('GET /v0/pipes lists what a token can read, with params', async () => {
    const all = await api<{ pipes: Array<{ name: string; params: Array<{ name: string }> }> }>('/v0/pipes');
    expect(all.json.pipes.map((p) => p.name).sort()).toEqual([
      'bookings_per_hour',
      'kpis',
      'top_airlines',
      'user_bookings',
    ]);
    expect(all.json.pipes.find((p) => p.name === 'user_bookings')?.params.map((p) => p.name)).toEqual([
      'user_id',
      'limit',
    ]);
    const some = await api<{ pipes: Array<{ name: string }> }>('/v0/pipes', { token: await jwt() });
    expect(some.json.pipes.map((p) => p.name)).toEqual(['top_airlines']);
  });
});
