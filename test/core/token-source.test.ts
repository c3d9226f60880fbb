import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenSource } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive, driveUntil, ioTurns, until } from '../support/drive';
import { rejection } from '../support/rejection';

let server: FixtureServer;
const sources: TokenSource[] = [];
const make = (options: ConstructorParameters<typeof TokenSource>[0]) => {
  const source = new TokenSource(options);
  sources.push(source);
  return source;
};

beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  for (const source of sources.splice(0)) source.dispose();
  vi.useRealTimers();
  await server.close();
});

describe('getting a token', () => {
  it('reads JSON {token, expiresAt} from the token route and decodes the claims', async () => {
    const tokens = make({ tokenUrl: server.tokenUrl });
    expect(tokens.getState().status).toBe('loading');
    const token = await tokens.getToken();
    const state = tokens.getState();
    expect(state).toMatchObject({ token, status: 'ready', error: null, refreshCount: 0 });
    expect(state.claims).toMatchObject({ workspace_id: 'ws-fixture', name: 'fixture' });
    expect(state.expiresAt).toBe((state.claims!.exp as number) * 1000);
    expect(state.refreshAt).toBe(state.expiresAt! - 60_000);
  });

  it('accepts a bare JWT as text', async () => {
    server.tokenMode = 'text';
    const tokens = make({ tokenUrl: server.tokenUrl });
    expect((await tokens.getToken()).split('.')).toHaveLength(3);
  });

  it('shares one request among any number of concurrent callers', async () => {
    const tokens = make({ tokenUrl: server.tokenUrl });
    const all = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(new Set(all).size).toBe(1);
    expect(server.counts.token).toBe(1);
    await tokens.getToken();
    expect(server.counts.token).toBe(1);
  });

  it('calls getToken() and accepts a string or a grant', async () => {
    const jwt = await server.sign();
    const a = make({ getToken: () => jwt });
    expect(await a.getToken()).toBe(jwt);
    const b = make({ getToken: async () => ({ token: jwt, baseUrl: 'https://api.eu.tinybird.co' }) });
    await b.getToken();
    expect(b.getState().baseUrl).toBe('https://api.eu.tinybird.co');
  });

  it('treats a p. static token as non-expiring and never requests anything', async () => {
    const tokens = make({ token: server.adminToken });
    expect(tokens.getState()).toMatchObject({ status: 'ready', expiresAt: null, refreshAt: null });
    expect(await tokens.getToken()).toBe(server.adminToken);
    expect(tokens.refreshable).toBe(false);
    expect(await tokens.refresh()).toBe(server.adminToken);
  });

  it('uses initialToken without a round trip, and replaces a stale one', async () => {
    const fresh = await server.sign();
    const tokens = make({ tokenUrl: server.tokenUrl, initialToken: { token: fresh } });
    expect(await tokens.getToken()).toBe(fresh);
    expect(server.counts.token).toBe(0);

    const stale = await server.sign({ exp: Math.floor(Date.now() / 1000) - 10, iatOffset: -700 });
    const other = make({ tokenUrl: server.tokenUrl, initialToken: stale });
    expect(other.getState().status).toBe('loading');
    expect(await other.getToken()).not.toBe(stale);
    expect(server.counts.token).toBe(1);
  });

  it('lets a route’s expiresAt shorten a token’s life but never extend it past the JWT exp', async () => {
    const jwt = await server.sign({ ttl: 60 });
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp as number;
    const later = make({ getToken: () => ({ token: jwt, expiresAt: exp + 3600 }) });
    await later.getToken();
    expect(later.getState().expiresAt).toBe(exp * 1000);
    const earlier = make({ getToken: () => ({ token: jwt, expiresAt: new Date((exp - 30) * 1000).toISOString() }) });
    await earlier.getToken();
    expect(earlier.getState().expiresAt).toBe((exp - 30) * 1000);
  });

  it('refuses to construct without a source, or with two', () => {
    expect(() => new TokenSource({})).toThrow(TypeError);
    expect(() => new TokenSource({ token: 'p.x', tokenUrl: '/t' })).toThrow(/only one/);
  });
});

describe('refresh schedule', () => {
  it('refreshes before expiry (default margin) and never sends an expired token', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenTtl = 600;
    const tokens = make({ tokenUrl: server.tokenUrl });
    const first = await drive(tokens.getToken());
    const { expiresAt, refreshAt } = tokens.getState();
    expect(expiresAt! - refreshAt!).toBe(60_000);

    await vi.advanceTimersByTimeAsync(refreshAt! - Date.now() - 1_000);
    expect(server.counts.token).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => server.counts.token === 2 && tokens.getState().refreshCount === 1);
    expect(Date.now()).toBeLessThan(expiresAt!);
    const second = tokens.getState();
    expect(second.expiresAt).toBeGreaterThan(expiresAt!);
    expect(first).toBeTypeOf('string');
  });

  it('scales the default margin with a short lifetime and clamps refreshMargin at half the lifetime', async () => {
    server.tokenTtl = 20;
    const short = make({ tokenUrl: server.tokenUrl });
    await short.getToken();
    let s = short.getState();
    expect(s.expiresAt! - s.refreshAt!).toBeCloseTo(2_000, -2); // 10 % of 20 s

    const clamped = make({ tokenUrl: server.tokenUrl, refreshMargin: 15 });
    await clamped.getToken();
    s = clamped.getState();
    expect(s.expiresAt! - s.refreshAt!).toBeLessThanOrEqual(10_000);
    expect(s.expiresAt! - s.refreshAt!).toBeGreaterThan(9_000);

    const custom = make({ tokenUrl: server.tokenUrl, refreshMargin: 5 });
    await custom.getToken();
    s = custom.getState();
    expect(s.expiresAt! - s.refreshAt!).toBe(5_000);
  });

  it('corrects for a server clock that is an hour ahead or behind (from iat)', async () => {
    for (const offset of [3600, -3600]) {
      server.tokenClockOffset = offset;
      const tokens = make({ tokenUrl: server.tokenUrl });
      const before = Date.now();
      await tokens.getToken();
      const { expiresAt, status } = tokens.getState();
      expect(status).toBe('ready');
      // Local expiry is about ttl from now, not shifted by the server's hour.
      expect(expiresAt! - before).toBeGreaterThan(595_000);
      expect(expiresAt! - before).toBeLessThan(602_000);
    }
  });

  it('fetches a new token when asked after expiry even if no timer ran (a throttled tab)', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenTtl = 60;
    const tokens = make({ tokenUrl: server.tokenUrl });
    const first = await drive(tokens.getToken());
    tokens.dispose(); // no timers: like a background tab that never woke up
    vi.setSystemTime(Date.now() + 120_000);
    const second = await drive(tokens.getToken());
    expect(second).not.toBe(first);
    expect(server.counts.token).toBe(2);
  });

  it('keeps a working token when a background refresh fails, and retries it later', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenTtl = 600;
    const tokens = make({ tokenUrl: server.tokenUrl });
    const first = await drive(tokens.getToken());
    server.tokenMode = 'fail';
    await vi.advanceTimersByTimeAsync(tokens.getState().refreshAt! - Date.now());
    await driveUntil(() => server.counts.token === 4); // one scheduled refresh = 3 bounded attempts
    await drive(new Promise((resolve) => setTimeout(resolve, 5_000)));
    expect(tokens.getState()).toMatchObject({ token: first, status: 'ready' });
    expect(tokens.getState().error?.code).toBe('TOKEN_FETCH_FAILED');
    expect(await tokens.getToken()).toBe(first);
    server.tokenMode = 'json';
    await drive(new Promise((resolve) => setTimeout(resolve, 60_000)));
    expect(tokens.getState()).toMatchObject({ status: 'ready', error: null, refreshCount: 1 });
    expect(server.counts.token).toBeLessThan(20); // spaced out, no hot loop
  });

  it('dispose() clears every timer', async () => {
    vi.useFakeTimers(FAKE);
    const tokens = make({ tokenUrl: server.tokenUrl });
    await drive(tokens.getToken());
    const armed = vi.getTimerCount(); // ours, plus any the HTTP stack keeps
    tokens.dispose();
    expect(vi.getTimerCount()).toBe(armed - 1);
    expect(tokens.getState().refreshAt).toBeNull();
    await vi.advanceTimersByTimeAsync(3_600_000);
    await until(() => true);
    expect(server.counts.token).toBe(1);
  });
});

describe('failures', () => {
  it('retries a failing token route a bounded number of times, then TOKEN_FETCH_FAILED with the status, then recovers', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'fail';
    const tokens = make({ tokenUrl: server.tokenUrl });
    const error = await rejection(drive(tokens.getToken()));
    expect(error.code).toBe('TOKEN_FETCH_FAILED');
    expect(error.status).toBe(503);
    expect(error.serverMessage).toBe('token service down');
    expect(server.counts.token).toBe(3);
    expect(tokens.getState()).toMatchObject({ status: 'error', token: null });

    server.tokenMode = 'json';
    await vi.advanceTimersByTimeAsync(2_000); // past the first cooldown (see below)
    await drive(tokens.getToken());
    expect(tokens.getState()).toMatchObject({ status: 'ready', error: null });
    expect(server.counts.token).toBe(4);
  });

  it('after a failed round, answers with that failure for a growing cooldown (at most 10 s) instead of asking again; refresh() asks at once', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'fail';
    const tokens = make({ tokenUrl: server.tokenUrl });
    const first = await rejection(drive(tokens.getToken()));
    expect(server.counts.token).toBe(3);
    // Twenty widgets polling meanwhile: the same error, no request. The first cooldown is 1-2 s.
    for (let i = 0; i < 20; i++) expect(await rejection(tokens.getToken())).toBe(first);
    expect(server.counts.token).toBe(3);
    // Later rounds make one attempt each, and wait longer: 2-4 s, 4-8 s, then 5-10 s at most.
    await vi.advanceTimersByTimeAsync(2_000);
    await rejection(drive(tokens.getToken()));
    expect(server.counts.token).toBe(4);
    await vi.advanceTimersByTimeAsync(1_900);
    await rejection(tokens.getToken());
    expect(server.counts.token).toBe(4);
    for (let round = 0; round < 4; round++) {
      await vi.advanceTimersByTimeAsync(10_000);
      await rejection(drive(tokens.getToken()));
    }
    expect(server.counts.token).toBe(8);
    // An explicit refresh() (a Retry button) does not wait, and a success ends the cooldown.
    server.tokenMode = 'json';
    await drive(tokens.refresh());
    expect(server.counts.token).toBe(9);
    expect(tokens.getState()).toMatchObject({ status: 'ready', error: null });
  });

  it('keeps retrying a down route on its own, at most once a second and at least every 10 s, and heals without a call', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'fail';
    const tokens = make({ tokenUrl: server.tokenUrl });
    await rejection(drive(tokens.getToken()));
    expect(server.counts.token).toBe(3);
    // Nobody calls getToken() from here on: the source tries again by itself, one attempt per cooldown.
    const perSecond: number[] = [];
    for (let second = 0; second < 60; second++) {
      const before = server.counts.token;
      await vi.advanceTimersByTimeAsync(1_000);
      await ioTurns(20);
      perSecond.push(server.counts.token - before);
    }
    expect(Math.max(...perSecond)).toBe(1);
    const attempts = perSecond.reduce((sum, n) => sum + n, 0);
    expect(attempts).toBeGreaterThanOrEqual(6); // 1-2 s, 2-4 s, 4-8 s, then 5-10 s apart
    expect(attempts).toBeLessThanOrEqual(12);
    expect(tokens.getState().refreshAt).not.toBeNull(); // the next attempt is scheduled, and visible

    server.tokenMode = 'json';
    await driveUntil(() => tokens.getState().status === 'ready');
    expect(tokens.getState()).toMatchObject({ status: 'ready', error: null });
    // Healed: the only refresh now scheduled is the normal one before expiry.
    expect(tokens.getState().refreshAt).toBe(tokens.getState().expiresAt! - 60_000);
  });

  it('stops retrying in the background once disposed, and never retries an UNAUTHENTICATED route by itself', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'fail';
    const tokens = make({ tokenUrl: server.tokenUrl });
    await rejection(drive(tokens.getToken()));
    tokens.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    await ioTurns();
    expect(server.counts.token).toBe(3);

    server.tokenMode = 'unauthorized';
    const signedOut = make({ tokenUrl: server.tokenUrl });
    expect((await rejection(drive(signedOut.getToken()))).code).toBe('UNAUTHENTICATED');
    const after = server.counts.token;
    await vi.advanceTimersByTimeAsync(60_000);
    await ioTurns();
    expect(server.counts.token).toBe(after);
  });

  it('recovers within one call when the route fails only briefly', async () => {
    vi.useFakeTimers(FAKE);
    server.failToken(2);
    const tokens = make({ tokenUrl: server.tokenUrl });
    await drive(tokens.getToken());
    expect(server.counts.token).toBe(3);
  });

  it('reports an unreachable token route as TOKEN_FETCH_FAILED without status', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'drop';
    const tokens = make({ tokenUrl: server.tokenUrl });
    const error = await rejection(drive(tokens.getToken()));
    expect(error.code).toBe('TOKEN_FETCH_FAILED');
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeDefined();
  });

  it('treats 401/403 from the token route as UNAUTHENTICATED and does not retry until refresh()', async () => {
    server.tokenMode = 'unauthorized';
    const tokens = make({ tokenUrl: server.tokenUrl });
    const error = await rejection(tokens.getToken());
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, serverMessage: 'not signed in' });
    await rejection(tokens.getToken());
    await rejection(tokens.getToken());
    expect(server.counts.token).toBe(1);

    server.tokenMode = 'json';
    await tokens.refresh();
    expect(tokens.getState().status).toBe('ready');
    expect(server.counts.token).toBe(2);
  });

  it.each([
    ['garbage', /neither a JWT/],
    ['expired', /expired/],
    ['noexp', /exp/],
  ] as const)('rejects a %s token from the backend as INVALID_TOKEN, without retrying', async (mode, message) => {
    server.tokenMode = mode;
    const tokens = make({ tokenUrl: server.tokenUrl });
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe('INVALID_TOKEN');
    expect(error.message).toMatch(message);
    expect(server.counts.token).toBe(1);
    expect(tokens.getState().status).toBe('error');
  });

  it('rejects a fixed JWT that has expired as INVALID_TOKEN', async () => {
    const expired = await server.sign({ exp: Math.floor(Date.now() / 1000) - 5, iatOffset: -100 });
    const tokens = make({ token: expired });
    expect(tokens.getState().error?.code).toBe('INVALID_TOKEN');
    expect((await rejection(tokens.getToken())).code).toBe('INVALID_TOKEN');
  });

  it('wraps a throwing getToken() as TOKEN_FETCH_FAILED with the cause', async () => {
    vi.useFakeTimers(FAKE);
    const boom = new Error('session store down');
    const tokens = make({ getToken: () => Promise.reject(boom) });
    const error = await rejection(drive(tokens.getToken()));
    expect(error.code).toBe('TOKEN_FETCH_FAILED');
    expect(error.cause).toBe(boom);
  });
});
