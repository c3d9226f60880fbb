// Every row of the error table in TINYBIRD_API.md: status and message text, as clients match on them.
import { describe, expect, it } from 'vitest';
import { api, jwt, tb, unsignedJwt } from './helpers';

const PIPE = '/v0/pipes/top_airlines.json';
const now = () => Math.floor(Date.now() / 1000);

describe('error table', () => {
  it('no token: 403 invalid authentication token, with documentation', async () => {
    const res = await api(PIPE, { token: null });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/^invalid authentication token/);
    expect(res.json.documentation).toMatch(/^https:\/\/www\.tinybird\.co\/docs/);
  });

  it('expired JWT: 403 ... Signature has expired', async () => {
    const res = await api(PIPE, { token: await jwt({ exp: now() - 5 }) });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/^invalid authentication token\. .*Signature has expired/);
  });

  it('bad signature: 403 ... Signature verification failed', async () => {
    const res = await api(PIPE, { token: await jwt({}, { secret: `${tb().adminToken}x` }) });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/^invalid authentication token\. .*Signature verification failed/);
  });

  it('unknown workspace_id: 403 ... Workspace with ID <id> not found', async () => {
    const res = await api(PIPE, { token: await jwt({ workspace_id: 'ws-nobody' }) });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/^invalid authentication token\. .*Workspace with ID ws-nobody not found/);
  });

  it("missing exp: 403 JWT tokens is missing the 'exp' claim", async () => {
    const res = await api(PIPE, { token: await jwt({ exp: undefined }) });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/^invalid authentication token/);
    expect(res.json.error).toContain("JWT tokens is missing the 'exp' claim");
  });

  it('alg none and other algorithms are refused, even with valid claims', async () => {
    const claims = {
      workspace_id: tb().workspaceId,
      name: 'x',
      exp: now() + 60,
      scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
    };
    for (const token of [
      unsignedJwt(claims),
      await jwt(claims, { alg: 'HS512' }),
      await jwt(claims, { alg: 'HS384' }),
    ]) {
      const res = await api(PIPE, { token });
      expect(res.status).toBe(403);
      expect(res.json.error).toMatch(/^invalid authentication token\. .*alg/);
    }
  });

  it('malformed tokens and unknown static tokens: 403 invalid authentication token', async () => {
    for (const token of ['abc', 'a.b.c', 'eyJ.eyJ.x', `p.${'x'.repeat(40)}`, `${tb().adminToken}x`]) {
      const res = await api(PIPE, { token });
      expect(res.status, token).toBe(403);
      expect(res.json.error).toMatch(/^invalid authentication token/);
    }
  });

  it('JWT without a scope for the pipe: 403 token has no READ scope for <pipe>', async () => {
    const res = await api('/v0/pipes/kpis.json', { token: await jwt() });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('token has no READ scope for kpis');
  });

  it("unknown pipe: 404 Pipe '<name>' not found", async () => {
    const res = await api('/v0/pipes/nope.json');
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("Pipe 'nope' not found");
  });

  it("bad parameter: 400 Template Syntax Error: Error validating 'abc' to type Int32", async () => {
    const res = await api(`${PIPE}?limit=abc`);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^Template Syntax Error: Error validating 'abc' to type Int32/);
  });

  it('missing required parameter: 400 Required parameter is not defined', async () => {
    const res = await api('/v0/pipes/user_bookings.json');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^Template Syntax Error: Required parameter is not defined\. Check the parameters /);
  });

  it('rate limit: 429 past limits.rps, with X-RateLimit-* and Retry-After', async () => {
    const token = await jwt({ limits: { rps: 2 } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => api(`${PIPE}?limit=1`, { token })));
    const limited = answers.filter((a) => a.status === 429);
    // 6 requests in at most two 1 s windows of 2: at least 2 are refused, whatever the timing.
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    const refused = limited[0]!;
    expect(refused.headers.get('X-RateLimit-Limit')).toBe('2');
    expect(refused.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('X-RateLimit-Reset')).toMatch(/^\d+$/);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(refused.json.error).toMatch(/Too many requests/);
  });

  it('the rate limit bucket is per pipe and per JWT name', async () => {
    const name = `bucket_${Math.random()}`;
    const scopes = [
      { type: 'PIPES:READ', resource: 'top_airlines' },
      { type: 'PIPES:READ', resource: 'kpis' },
    ];
    const a = await jwt({ name, scopes, limits: { rps: 1 } });
    const b = await jwt({ name, scopes, limits: { rps: 1 } });
    const other = await jwt({ name: `${name}_other`, scopes, limits: { rps: 1 } });
    // Same name, two tokens: one bucket (3 requests in at most two windows of 1: one is refused).
    // Another name or another pipe: their own buckets.
    const shared = await Promise.all([a, b, a].map((token) => api(`${PIPE}?limit=1`, { token })));
    expect(shared.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    const otherName = await api(`${PIPE}?limit=1`, { token: other });
    const otherPipe = await api('/v0/pipes/kpis.json', { token: a });
    expect([otherName.status, otherPipe.status]).toEqual([200, 200]);
  });

  it('limits.rps <= 0 means no limit', async () => {
    const token = await jwt({ limits: { rps: 0 } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => api(`${PIPE}?limit=1`, { token })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('?token= wins over the Authorization header', async () => {
    const good = await jwt();
    expect((await api(`${PIPE}?token=nope`, { token: good })).status).toBe(403);
    expect((await api(`${PIPE}?token=${good}`, { token: 'nope' })).status).toBe(200);
  });

  it('unknown routes answer 404 JSON', async () => {
    const res = await api('/v0/nothing');
    expect(res.status).toBe(404);
    expect(res.json.error).toMatch(/Not found/);
  });
});
