// The Query API: admin reads everything; a JWT reads only its DATASOURCES:READ data sources, with their filter
// applied wherever the data source is read (subqueries, joins, unions, CTEs). FORMAT is honoured or refused.
import { describe, expect, it } from 'vitest';
import { api, demoToken, jwt, q, sql, tb } from './helpers';

const readEvents = (filter?: string) =>
  jwt({
    scopes: [
      filter === undefined
        ? { type: 'DATASOURCES:READ', resource: 'events' }
        : { type: 'DATASOURCES:READ', resource: 'events', filter },
    ],
  });

describe('Query API', () => {
  it('GET ?q= and POST as text/plain, form or JSON answer the same JSON', async () => {
    const query = "SELECT count() AS n FROM events WHERE user_id = 'u_9'";
    const [expected] = await sql(query);
    const answers = await Promise.all([
      api(`/v0/sql?q=${q(query)}`),
      api('/v0/sql', { method: 'POST', body: query, headers: { 'Content-Type': 'text/plain' } }),
      api('/v0/sql', {
        method: 'POST',
        body: `q=${q(query)}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      api('/v0/sql', {
        method: 'POST',
        body: JSON.stringify({ q: query }),
        headers: { 'Content-Type': 'application/json' },
      }),
    ]);
    for (const res of answers) {
      expect(res.status, res.text).toBe(200);
      expect(res.json.data).toEqual([expected]);
      expect(Object.keys(res.json)).toEqual(['meta', 'data', 'rows', 'rows_before_limit_at_least', 'statistics']);
    }
    expect((await api('/v0/sql')).status).toBe(400);
  });

  it('takes a trailing FORMAT off the query and answers in it; refuses unknown ones', async () => {
    const json = await api(`/v0/sql?q=${q('SELECT 1 AS x FORMAT JSON')}`);
    expect(json.json.data).toEqual([{ x: 1 }]);
    const csv = await api(`/v0/sql?q=${q('SELECT 1 AS x, 2 AS y FORMAT CSVWithNames')}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text).toBe('"x","y"\n1,2\n');
    const ndjson = await api(`/v0/sql?q=${q('SELECT 1 AS x FORMAT JSONEachRow')}`);
    expect(ndjson.text).toBe('{"x":1}\n');
    const pretty = await api(`/v0/sql?q=${q('SELECT 1 FORMAT Pretty')}`);
    expect(pretty.status).toBe(400);
    expect(pretty.json.error).toMatch(/FORMAT Pretty is not supported/);
  });

  it('a JWT without DATASOURCES:READ for a data source gets 403 for it', async () => {
    const res = await api(`/v0/sql?q=${q('SELECT count() FROM events')}`, { token: await jwt() });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('token has no READ scope for events');
    const quarantine = await api(`/v0/sql?q=${q('SELECT count() FROM events_quarantine')}`, {
      token: await readEvents(),
    });
    expect(quarantine.status).toBe(403);
  });

  it('a JWT with DATASOURCES:READ and no filter reads the whole data source', async () => {
    const [expected] = await sql('SELECT count() > 0 AS some, uniqExact(user_id) > 100 AS many FROM events');
    const res = await api(
      `/v0/sql?q=${q('SELECT count() > 0 AS some, uniqExact(user_id) > 100 AS many FROM events')}`,
      { token: await readEvents() },
    );
    expect(res.json.data).toEqual([expected]);
  });

  it("a query that fails part-way through its answer leaves nothing of it in the next token's answer", async () => {
    // chDB hands what a failed query had already written (its JSON header, blocks of rows) to the session's next query.
    const failing =
      "SELECT user_id, throwIf(n > 150000, 'stop') AS boom FROM (SELECT user_id, row_number() OVER () AS n FROM events ARRAY JOIN range(10) AS k)";
    const other = await readEvents("user_id = 'u_2'");
    for (let round = 0; round < 5; round++) {
      expect((await api(`/v0/sql?q=${q(failing)}`)).status).toBe(400);
      const next = await api(`/v0/sql?q=${q('SELECT DISTINCT user_id FROM events')}`, { token: other });
      expect(next.status, next.text.slice(0, 300)).toBe(200);
      expect(next.json.data).toEqual([{ user_id: 'u_2' }]);
    }
  });

  it('reads a pipe as a table, its template rendered with the request parameters', async () => {
    const all = await api(`/v0/sql?q=${q('SELECT count() AS n FROM top_airlines')}&limit=2`);
    expect(all.status).toBe(200);
    expect(all.json.data).toEqual([{ n: 2 }]);
    const asUnderscore = await api(`/v0/sql?q=${q('SELECT count() AS n FROM _')}&pipeline=top_airlines&limit=3`);
    expect(asUnderscore.json.data).toEqual([{ n: 3 }]);
  });
});

describe('Query API filters (DATASOURCES:READ filter)', () => {
  const user = 'u_3';
  const filtered = () => readEvents(`user_id = '${user}'`);

  // Each query may be answered or refused; an answer must never contain another user's rows.
  const attempts = [
    'SELECT DISTINCT user_id FROM events',
    'SELECT DISTINCT user_id FROM (SELECT * FROM events)',
    'SELECT DISTINCT a.user_id FROM events AS a JOIN events AS b ON a.booking_id = b.booking_id',
    'SELECT DISTINCT user_id FROM events WHERE user_id IN (SELECT user_id FROM events)',
    'SELECT DISTINCT user_id FROM (WITH events AS (SELECT * FROM events) SELECT * FROM events)',
    'WITH e AS (SELECT * FROM events) SELECT DISTINCT user_id FROM e',
    'SELECT DISTINCT user_id FROM events UNION DISTINCT SELECT DISTINCT user_id FROM events',
    "SELECT DISTINCT user_id FROM events WHERE 1 OR user_id != 'u_3'",
    "SELECT DISTINCT user_id FROM events PREWHERE user_id != 'u_3'",
    'SELECT arrayJoin((SELECT groupUniqArray(user_id) FROM events)) AS user_id',
    'WITH events AS (SELECT * FROM events) SELECT DISTINCT user_id FROM events',
    'SELECT DISTINCT user_id FROM default.events',
    'SELECT DISTINCT user_id FROM `default`.events',
    'SELECT DISTINCT user_id FROM events_quarantine',
    "SELECT DISTINCT user_id FROM merge('default', 'events')",
    'SELECT DISTINCT user_id FROM events WHERE (user_id) IN events',
    "SELECT DISTINCT user_id FROM events SETTINGS additional_table_filters = {'events': '1'}",
    'SELECT DISTINCT user_id FROM events; SELECT DISTINCT user_id FROM default.events',
    "SELECT DISTINCT user_id FROM file('/etc/passwd', 'LineAsString', 'user_id String')",
  ];

  it.each(attempts)('%s never returns another user', async (query) => {
    const res = await api<{ data: Array<{ user_id: string }> }>(`/v0/sql?q=${q(query)}`, { token: await filtered() });
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status === 200) {
      expect(res.json.data.length).toBeGreaterThan(0);
      expect(new Set(res.json.data.map((r) => r.user_id))).toEqual(new Set([user]));
    }
  });

  it('counts what the filter lets through, exactly', async () => {
    const [expected] = await sql(`SELECT count() AS n FROM events WHERE user_id = '${user}'`);
    const res = await api(`/v0/sql?q=${q('SELECT count() AS n FROM events')}`, { token: await filtered() });
    expect(res.json.data).toEqual([expected]);
    expect(expected?.['n']).toBeGreaterThan(0);
  });

  it('several filters on one data source must all hold', async () => {
    const token = await jwt({
      scopes: [
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id IN ('u_3', 'u_4')" },
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_4'" },
      ],
    });
    const res = await api(`/v0/sql?q=${q('SELECT DISTINCT user_id FROM events')}`, { token });
    expect(res.json.data).toEqual([{ user_id: 'u_4' }]);
  });

  it("the demo token route's ?user= pins SQL reads to that user", async () => {
    const res = await api(`/v0/sql?q=${q('SELECT DISTINCT user_id FROM events')}`, {
      token: await demoToken('?user=u_5'),
    });
    expect(res.json.data).toEqual([{ user_id: 'u_5' }]);
  });

  it('static READ tokens of a data source read it through the Query API', async () => {
    const res = await api(`/v0/sql?q=${q('SELECT count() >= 20000 AS ok FROM events')}`, {
      token: tb().tokens['events_read'],
    });
    expect(res.json.data).toEqual([{ ok: 1 }]);
  });
});
