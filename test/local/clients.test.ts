// Real clients nobody here wrote, unchanged: @tinybirdco/sdk mints a JWT, queries a pipe, runs SQL and ingests;
// a JWT signed with `jsonwebtoken` the way Tinybird's guide does it is accepted.
import { createClient, createJWT } from '@tinybirdco/sdk';
import jsonwebtoken from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { api, sql, tb } from './helpers';

describe('@tinybirdco/sdk against the local server', () => {
  it('tokens.createJWT mints a JWT whose fixed_params the server enforces', async () => {
    const admin = createClient({ baseUrl: tb().url, token: tb().adminToken });
    const { token } = await admin.tokens.createJWT({
      name: 'sdk_user_11',
      expiresAt: new Date(Date.now() + 10 * 60 * 1000),
      scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_11' } }],
      limits: { rps: 50 },
    });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ workspace_id: tb().workspaceId, name: 'sdk_user_11', limits: { rps: 50 } });

    const user = createClient({ baseUrl: tb().url, token });
    const result = await user.query('user_bookings', { user_id: 'u_12', limit: 500 });
    const [expected] = await sql("SELECT count() AS n FROM events WHERE user_id = 'u_11'");
    expect(result.data).toHaveLength(expected?.['n'] as number);
    expect(result.meta.map((m) => m.name)).toContain('booking_id');
    await expect(user.query('top_airlines')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('createJWT with a past expiration is a 400', async () => {
    await expect(
      createJWT(
        { baseUrl: tb().url, token: tb().adminToken },
        {
          name: 'late',
          expiresAt: Math.floor(Date.now() / 1000) - 10,
          scopes: [{ type: 'PIPES:READ', resource: 'kpis' }],
        },
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('query, sql and ingest work with the admin token', async () => {
    const client = createClient({ baseUrl: tb().url, token: tb().adminToken });
    const top = await client.query('top_airlines', { limit: 2 });
    expect(top.rows).toBe(2);
    expect(top.statistics.rows_read).toBeGreaterThan(0);
    const user = `t_sdk_${Math.random().toString(36).slice(2)}`;
    const ingested = await client.ingestBatch('events', [
      {
        timestamp: '2001-01-01 00:00:00',
        user_id: user,
        airline: 'Test Air',
        origin: 'A',
        destination: 'B',
        passengers: 1,
        price: 5,
      },
      {
        timestamp: '2001-01-01 00:00:01',
        user_id: user,
        airline: 'Test Air',
        origin: 'A',
        destination: 'B',
        passengers: 2,
        price: 6,
      },
    ]);
    expect(ingested).toEqual({ successful_rows: 2, quarantined_rows: 0 });
    const rows = await client.sql<{ n: number }>(`SELECT count() AS n FROM events WHERE user_id = '${user}'`);
    expect(rows.data).toEqual([{ n: 2 }]);
  });
});

describe('a JWT signed with jsonwebtoken, as in the seed guide', () => {
  it('is accepted, and its fixed_params win', async () => {
    const payload = {
      workspace_id: tb().workspaceId,
      name: 'my_demo_jwt',
      exp: Math.floor(Date.now() / 1000) + 60 * 15,
      scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_21' } }],
    };
    const token = jsonwebtoken.sign(payload, tb().adminToken, { noTimestamp: true });
    const res = await api<{ data: unknown[] }>('/v0/pipes/user_bookings.json?user_id=u_22&limit=500', { token });
    expect(res.status).toBe(200);
    const [expected] = await sql("SELECT count() AS n FROM events WHERE user_id = 'u_21'");
    expect(res.json.data).toHaveLength(expected?.['n'] as number);
  });

  it('signed with another key or algorithm, it is refused', async () => {
    const payload = {
      workspace_id: tb().workspaceId,
      name: 'x',
      exp: Math.floor(Date.now() / 1000) + 60,
      scopes: [{ type: 'PIPES:READ', resource: 'kpis' }],
    };
    for (const token of [
      jsonwebtoken.sign(payload, 'another key'),
      jsonwebtoken.sign(payload, tb().adminToken, { algorithm: 'HS512' }),
    ]) {
      expect((await api('/v0/pipes/kpis.json', { token })).status).toBe(403);
    }
  });
});
