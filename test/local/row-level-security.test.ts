// Row-level security on every path that reads a pipe: a JWT's fixed_params (and a data source scope's filter) hold
// whether the pipe is read as an endpoint, through its q=, or through the Query API (FROM pipe, a CTE, a subquery,
// pipeline=, a JSON body), whatever the request sends; and a pipe's intermediate nodes stay the admin's only.
import { describe, expect, it } from 'vitest';
import { api, jwt, q, sql } from './helpers';

type Rows = { data: Array<Record<string, unknown>> };

const pinnedToken = () =>
  jwt({ scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_1' } }] });

/** The rows of u_1 that user_bookings returns with limit=1000: what every path below may count, and no more. */
async function countOf(user: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    `SELECT count() AS n FROM (SELECT 1 FROM events WHERE user_id = '${user}' LIMIT 1000)`,
  );
  return row!.n;
}

describe('fixed_params through the Query API', () => {
  const attacks: Array<[string, string, Record<string, unknown>?]> = [
    ['FROM pipe', 'SELECT count() AS n FROM user_bookings'],
    ['a CTE', 'WITH b AS (SELECT * FROM user_bookings) SELECT count() AS n FROM b'],
    ['a subquery', 'SELECT count() AS n FROM (SELECT booking_id FROM user_bookings)'],
    ['a join', 'SELECT count() AS n FROM user_bookings AS a JOIN user_bookings AS b USING (booking_id)'],
    ['a comma join', 'SELECT count() AS n FROM (SELECT 1) AS one, user_bookings'],
    ['a union', 'SELECT count() AS n FROM (SELECT booking_id FROM user_bookings UNION ALL SELECT 1 WHERE 0)'],
  ];

  for (const [path, query] of attacks) {
    it(`hold for ${path}, whatever user_id the request sends`, async () => {
      const token = await pinnedToken();
      const mine = await countOf('u_1');
      const theirs = await countOf('u_2');
      expect(mine).toBeGreaterThan(0);
      expect(theirs).not.toBe(mine);
      const res = await api<Rows>(`/v0/sql?q=${q(query)}&user_id=u_2&limit=1000`, { token });
      expect(res.status, res.text).toBe(200);
      const n = Number(res.json.data[0]?.['n']);
      // A join of the pinned rows with themselves counts each once (booking ids are unique).
      expect(n).toBe(mine);
    });
  }

  it('hold for pipeline=, a repeated param and a JSON POST body', async () => {
    const token = await pinnedToken();
    const mine = await countOf('u_1');
    const viaPipeline = await api<Rows>(
      `/v0/sql?q=${q('SELECT count() AS n FROM _')}&pipeline=user_bookings&user_id=u_2&limit=1000`,
      { token },
    );
    expect(viaPipeline.status, viaPipeline.text).toBe(200);
    expect(viaPipeline.json.data[0]?.['n']).toBe(mine);
    const repeated = await api<Rows>(
      `/v0/sql?q=${q('SELECT count() AS n FROM user_bookings')}&user_id=u_2&user_id=u_3&limit=1000`,
      { token },
    );
    expect(repeated.json.data[0]?.['n']).toBe(mine);
    const posted = await api<Rows>('/v0/sql', {
      token,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ q: 'SELECT count() AS n FROM user_bookings', user_id: 'u_2', limit: 1000 }),
    });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.json.data[0]?.['n']).toBe(mine);
  });

  it('hold for a template q that sets the parameter itself', async () => {
    const token = await pinnedToken();
    const res = await api<Rows>(
      `/v0/sql?q=${q("% {% set user_id = 'u_2' %} SELECT count() AS n FROM user_bookings")}&limit=1000`,
      { token },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.data[0]?.['n']).toBe(await countOf('u_1'));
  });

  it('two scopes that pin one parameter to different values cannot be read in one query', async () => {
    const token = await jwt({
      scopes: [
        { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_1' } },
        { type: 'PIPES:READ', resource: 'kpis', fixed_params: { user_id: 'u_2' } },
      ],
    });
    const both = await api<{ error: string }>(
      `/v0/sql?q=${q('SELECT (SELECT count() FROM user_bookings) AS a, (SELECT count() FROM kpis) AS b')}`,
      { token },
    );
    expect(both.status).toBe(403);
    expect(both.json.error).toMatch(/user_id/);
    // Each alone still reads its own pin.
    const one = await api<Rows>(`/v0/sql?q=${q('SELECT count() AS n FROM user_bookings')}&limit=1000`, { token });
    expect(one.json.data[0]?.['n']).toBe(await countOf('u_1'));
  });

  it('hold when another scope of the token names the pipe as a data source', async () => {
    // A data source scope on a pipe's name used to replace the pipe's pins, and its filter was never applied.
    for (const scope of [
      { type: 'DATASOURCES:READ', resource: 'user_bookings' },
      { type: 'DATASOURCES:READ', resource: 'user_bookings', filter: "user_id = 'u_1'" },
    ]) {
      const pinned = { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_1' } };
      for (const scopes of [
        [pinned, scope],
        [scope, pinned],
      ]) {
        const res = await api<Rows>(`/v0/sql?q=${q('SELECT count() AS n FROM user_bookings')}&user_id=u_2&limit=1000`, {
          token: await jwt({ scopes }),
        });
        expect(res.status, res.text).toBe(200);
        expect(res.json.data[0]?.['n']).toBe(await countOf('u_1'));
      }
      const alone = await api(`/v0/sql?q=${q('SELECT count() AS n FROM user_bookings')}&user_id=u_2`, {
        token: await jwt({ scopes: [scope] }),
      });
      expect(alone.status, alone.text).toBe(403);
    }
  });

  it('a JWT without fixed_params still lets the caller choose', async () => {
    const token = await jwt({ scopes: [{ type: 'PIPES:READ', resource: 'user_bookings' }] });
    const res = await api<Rows>(`/v0/sql?q=${q('SELECT count() AS n FROM user_bookings')}&user_id=u_2&limit=1000`, {
      token,
    });
    expect(res.json.data[0]?.['n']).toBe(await countOf('u_2'));
  });
});

describe("a data source scope's filter", () => {
  it('holds when a pipe the token may read reads that data source through the Query API', async () => {
    const token = await jwt({
      scopes: [
        { type: 'PIPES:READ', resource: 'top_airlines' },
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_1'" },
      ],
    });
    const res = await api<Rows>(`/v0/sql?q=${q('SELECT sum(bookings) AS n FROM top_airlines')}&limit=1000`, {
      token,
    });
    expect(res.status, res.text).toBe(200);
    const [expected] = await sql<{ n: number }>("SELECT count() AS n FROM events WHERE user_id = 'u_1'");
    expect(Number(res.json.data[0]?.['n'])).toBe(expected!.n);
  });
});

// Decision: a pipe's nodes are read through the API as its result only (`_`, or FROM <pipe>); the admin token reads a
// node's SQL through GET /v0/pipes/<pipe>. Tinybird documents `pipeline=` as making `_` the pipe, nothing more.
describe("a pipe's intermediate nodes", () => {
  it('are refused through pipeline= as through the endpoint q=, even to the admin token', async () => {
    for (const token of [await jwt({ scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }] }), undefined]) {
      const viaPipeline = await api<{ error: string }>(
        `/v0/sql?q=${q('SELECT count() AS n FROM bookings_in_range')}&pipeline=top_airlines`,
        { token },
      );
      expect(viaPipeline.status).toBe(403);
      const viaEndpoint = await api<{ error: string }>(
        `/v0/pipes/top_airlines.json?q=${q('SELECT count() AS n FROM bookings_in_range')}`,
        { token },
      );
      expect(viaEndpoint.status).toBe(403);
      // Without pipeline= a node is no table at all.
      const viaSql = await api<{ error: string }>(`/v0/sql?q=${q('SELECT count() AS n FROM bookings_in_range')}`, {
        token,
      });
      expect(viaSql.status).toBe(400);
      expect(viaSql.json.error).toMatch(/Unknown table expression identifier 'bookings_in_range'/);
    }
  });
});
