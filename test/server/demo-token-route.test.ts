import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { TokenResponseBody } from 'react-tinybird/server';
import { createDemoTokenHandler, DEMO_PIPES } from '../../examples/demo-token-route';
import { ADMIN_TOKEN, WORKSPACE_ID } from './fixtures';

const route = createDemoTokenHandler({ signingKey: ADMIN_TOKEN, baseUrl: 'http://127.0.0.1:7181' });
const tokenFor = async (query = '') => {
  const res = await route(new Request(`http://localhost/api/tinybird-token${query}`));
  expect(res.status).toBe(200);
  const body = (await res.json()) as TokenResponseBody;
  const { payload } = await jwtVerify(body.token, new TextEncoder().encode(ADMIN_TOKEN));
  return { body, payload };
};

describe('demo token route', () => {
  it('grants the demo pipes, reading and appending events, for 10 minutes by default', async () => {
    const { body, payload } = await tokenFor();
    expect(body.baseUrl).toBe('http://127.0.0.1:7181');
    expect(payload).toMatchObject({ workspace_id: WORKSPACE_ID, name: 'demo' });
    expect(payload['scopes']).toEqual([
      ...DEMO_PIPES.map((resource) => ({ type: 'PIPES:READ', resource })),
      { type: 'DATASOURCES:READ', resource: 'events' },
      { type: 'DATASOURCES:APPEND', resource: 'events' },
    ]);
    expect(DEMO_PIPES).toEqual(['top_airlines', 'bookings_per_hour', 'user_bookings', 'kpis']);
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('?user= pins user_id on user_bookings and filters SQL reads of events to that user', async () => {
    const { payload } = await tokenFor('?user=u_42');
    expect(payload['name']).toBe('demo_user_u_42');
    const scopes = payload['scopes'] as Array<Record<string, unknown>>;
    expect(scopes.find((s) => s['resource'] === 'user_bookings')).toEqual({
      type: 'PIPES:READ',
      resource: 'user_bookings',
      fixed_params: { user_id: 'u_42' },
    });
    expect(scopes.find((s) => s['type'] === 'DATASOURCES:READ')).toEqual({
      type: 'DATASOURCES:READ',
      resource: 'events',
      filter: "user_id = 'u_42'",
    });
    expect(scopes.filter((s) => 'fixed_params' in s)).toHaveLength(1);
  });

  it.each([
    ['?ttl=30', 30],
    ['?ttl=1', 5],
    ['?ttl=999999', 3600],
  ])('%s -> a %i s token (bounded to 5..3600)', async (query, seconds) => {
    const { body, payload } = await tokenFor(query);
    expect(payload.exp! - payload.iat!).toBe(seconds);
    expect(body.expiresAt).toBe(decodeJwt(body.token).exp);
  });

  it('takes its default lifetime from expiresIn', async () => {
    const short = createDemoTokenHandler({ signingKey: ADMIN_TOKEN, baseUrl: 'http://x', expiresIn: '1m' });
    const { token } = (await (await short(new Request('http://localhost/'))).json()) as TokenResponseBody;
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(60);
  });

  it.each(["?user=x'%20OR%201=1", '?user=', '?ttl=ten', '?ttl=-5', '?ttl=1.5'])('%s -> 400', async (query) => {
    const res = await route(new Request(`http://localhost/api/tinybird-token${query}`));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });
});
