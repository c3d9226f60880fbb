// Token minting (POST /v0/tokens/), Tinybird Local's GET /tokens, the token listing, health and CORS.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { api, jwt, tb } from './helpers';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Authorization, Content-Type, X-Requested-With, X-Tb-Warning',
  'access-control-expose-headers': 'X-Tb-Warning',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-max-age': '86400',
};
const exp = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
const mint = (query: string, body: unknown, token: string | null = tb().adminToken) =>
  api(`/v0/tokens/${query}`, {
    method: 'POST',
    token,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });

describe('POST /v0/tokens/?expiration_time=', () => {
  it('mints a JWT with the admin token; the JWT works for its scope only', async () => {
    const res = await mint(`?expiration_time=${exp(600)}`, {
      name: 'minted',
      scopes: [{ type: 'PIPES:READ', resource: 'kpis' }],
    });
    expect(res.status).toBe(200);
    const token = res.json.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({
      workspace_id: tb().workspaceId,
      name: 'minted',
      scopes: [{ type: 'PIPES:READ', resource: 'kpis' }],
    });
    expect((await api('/v0/pipes/kpis.json', { token })).status).toBe(200);
    expect((await api('/v0/pipes/top_airlines.json', { token })).status).toBe(403);
  });

  it('refuses past or missing expirations, unknown resources, bad bodies and non-admin callers', async () => {
    const scopes = [{ type: 'PIPES:READ', resource: 'kpis' }];
    expect((await mint(`?expiration_time=${exp(-10)}`, { name: 'x', scopes })).json.error).toMatch(/in the future/);
    expect((await mint(`?expiration_time=${exp(-10)}`, { name: 'x', scopes })).status).toBe(400);
    expect((await mint('', { name: 'x', scopes })).status).toBe(400);
    expect((await mint('?expiration_time=soon', { name: 'x', scopes })).status).toBe(400);
    expect(
      (await mint(`?expiration_time=${exp(60)}`, { name: 'x', scopes: [{ type: 'PIPES:READ', resource: 'nope' }] }))
        .status,
    ).toBe(400);
    expect((await mint(`?expiration_time=${exp(60)}`, { name: '', scopes })).status).toBe(400);
    expect((await mint(`?expiration_time=${exp(60)}`, { name: 'x', scopes: [] })).status).toBe(400);
    expect(
      (await mint(`?expiration_time=${exp(60)}`, { name: 'x', scopes: [{ type: 'ADMIN', resource: 'kpis' }] })).status,
    ).toBe(400);
    expect((await mint(`?expiration_time=${exp(60)}`, { name: 'x', scopes }, await jwt())).status).toBe(403);
    expect((await mint(`?expiration_time=${exp(60)}`, { name: 'x', scopes }, null)).status).toBe(403);
  });
});

describe('token listings', () => {
  it('GET /tokens answers like Tinybird Local, to non-browser clients only', async () => {
    const res = await api('/tokens', { token: null });
    expect(res.json).toEqual({
      user_token: tb().adminToken,
      admin_token: tb().adminToken,
      workspace_admin_token: tb().adminToken,
    });
    const fromPage = await api('/tokens', { token: null, headers: { Origin: 'https://evil.example' } });
    expect(fromPage.status).toBe(403);
    expect(fromPage.text).not.toContain(tb().adminToken);
  });

  it('GET /tokens refuses a page that reached the server through DNS rebinding (no Origin, a foreign Host)', async () => {
    // A same-origin GET carries no Origin header; only the Host tells that the page came from another site's name.
    const get = (host: string) =>
      new Promise<{ status: number; text: string }>((done, fail) => {
        const req = request(`${tb().url}/tokens`, { headers: { Host: host } }, (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (c: string) => (text += c))
            .on('end', () => done({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', fail).end();
      });
    const port = new URL(tb().url).port;
    const rebound = await get(`evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.text).not.toContain(tb().adminToken);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      expect((await get(host)).status, host).toBe(200);
    }
  });

  it("GET /v0/tokens lists the admin token and the datafiles' static tokens, for the admin only", async () => {
    const res = await api<{ tokens: Array<{ name: string; token: string; scopes: unknown[] }> }>('/v0/tokens');
    // Other test files create static tokens on this shared server too (POST /v0/tokens): these four are always there.
    expect(res.json.tokens.map((t) => t.name)).toEqual(
      expect.arrayContaining(['admin token', 'dashboard', 'events_append', 'events_read']),
    );
    expect(res.json.tokens.find((t) => t.name === 'dashboard')?.scopes).toEqual([
      { type: 'PIPES:READ', resource: 'bookings_per_hour' },
      { type: 'PIPES:READ', resource: 'kpis' },
      { type: 'PIPES:READ', resource: 'top_airlines' },
    ]);
    expect((await api('/v0/tokens', { token: tb().tokens['dashboard'] })).status).toBe(403);
  });

  it("the admin token has Tinybird's shape: p. + base64url JSON with u and host", () => {
    const [prefix, claims] = tb().adminToken.split('.');
    expect(prefix).toBe('p');
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toMatchObject({
      u: tb().workspaceId,
      host: 'local',
    });
  });
});

describe('health and CORS', () => {
  it('GET /v0/health answers without a token', async () => {
    const res = await api('/v0/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('OPTIONS answers 204 with the CORS headers', async () => {
    const res = await fetch(`${tb().url}/v0/pipes/top_airlines.json`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    for (const [key, value] of Object.entries(CORS)) expect(res.headers.get(key), key).toBe(value);
  });

  it.each([
    ['a pipe', '/v0/pipes/top_airlines.json'],
    ['an error', '/v0/pipes/nope.json'],
    ['a 403', '/v0/pipes/kpis.json?token=nope'],
    ['an unknown route', '/nope'],
  ])('every response carries them: %s', async (_, path) => {
    const res = await api(path, { headers: { Origin: 'https://app.example' } });
    for (const [key, value] of Object.entries(CORS)) expect(res.headers.get(key), key).toBe(value);
  });

  it('a 413 from the body limit carries them too', async () => {
    const res = await api('/v0/events?name=events', {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 10, 0x20),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
