import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTinybirdClient, EventQueue, TinybirdClient } from '../../src/index';
import type { TinybirdClientOptions } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive, ioTurns, settle, until } from '../support/drive';
import { rejection } from '../support/rejection';

let server: FixtureServer;
const clients: TinybirdClient[] = [];
const make = (options: Partial<TinybirdClientOptions> = {}) => {
  const client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url, ...options });
  clients.push(client);
  return client;
};

beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  vi.useRealTimers();
  await server.close();
});

type Echo = { pipe: string; method: string; params: Record<string, string> };

describe('requests', () => {
  it('sends the token as a Bearer header, never in the URL, and returns Tinybird’s JSON', async () => {
    const client = make();
    const result = await client.query<Echo>('top_airlines', { limit: 5 });
    expect(result.data[0]).toMatchObject({ pipe: 'top_airlines', method: 'GET', params: { limit: '5' } });
    expect(result.meta).toEqual([
      { name: 'airline', type: 'String' },
      { name: 'bookings', type: 'UInt64' },
    ]);
    expect(result.statistics.rows_read).toBe(10);
    const [request] = server.requests;
    expect(request!.valid).toBe(true);
    expect(request!.token).toBe(client.tokens.getState().token);
    expect(request!.search.has('token')).toBe(false);
  });

  it('encodes params: Dates in UTC, arrays comma-joined, null/undefined omitted', async () => {
    const client = make();
    const { data } = await client.query<Echo>('p', {
      day: new Date('2024-05-01T00:00:00Z'),
      since: new Date('2024-05-01T13:04:05.120Z'),
      airlines: ['AA', 'BA'],
      ids: [1, 2, 3],
      flag: true,
      name: 'a&b=c',
      skip: null,
      missing: undefined,
    });
    expect(data[0]!.params).toEqual({
      // A midnight Date is still a time: DateTime() refuses a bare day.
      day: '2024-05-01 00:00:00',
      since: '2024-05-01 13:04:05',
      airlines: 'AA,BA',
      ids: '1,2,3',
      flag: 'true',
      name: 'a&b=c',
    });
  });

  it('refuses a `token` param (it would override the header and land in logs)', () => {
    const client = make();
    expect(() => client.query('p', { token: 'x' })).toThrow(TypeError);
  });

  it('switches to POST with a JSON body when the URL would pass ~8 KB', async () => {
    const client = make();
    const ids = Array.from({ length: 2_000 }, (_, i) => `id-${i}`);
    const { data } = await client.query<Echo>('p', { ids, limit: 3 });
    expect(data[0]!.method).toBe('POST');
    expect(data[0]!.params.ids!.split(',')).toHaveLength(2_000);
    expect(data[0]!.params.limit).toBe('3');
  });

  it('runs SQL, adding FORMAT JSON, and POSTs long statements', async () => {
    const client = make();
    const short = await client.sql<{ q: string }>('SELECT 1');
    expect(short.data[0]!.q).toBe('SELECT 1 FORMAT JSON');
    const kept = await client.sql<{ q: string }>('SELECT 1 FORMAT JSONEachRow');
    expect(kept.data[0]!.q).toBe('SELECT 1 FORMAT JSONEachRow');
    const long = `SELECT ${'1 + '.repeat(3_000)}1`;
    const posted = await client.sql<{ q: string }>(long);
    expect(posted.data[0]!.q).toBe(`${long} FORMAT JSON`);
    expect(server.requests.at(-1)!.method).toBe('POST');
  });

  it('appends rows directly with wait=true', async () => {
    const client = make();
    const result = await client.append('events', [{ id: 1 }, { id: 2, _quarantine: true }]);
    expect(result).toEqual({ successful_rows: 1, quarantined_rows: 1 });
    expect(server.rows.get('events')).toHaveLength(2);
    expect(server.requests[0]!.search.get('wait')).toBe('true');
  });

  it('has no event queue until something that appends attaches one; createTinybirdClient does', () => {
    const bare = new TinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url });
    clients.push(bare);
    expect(() => bare.events).toThrow(/call useAppend first, or create the client with createTinybirdClient/);
    const queue = bare.attachEvents(EventQueue);
    expect(bare.events).toBe(queue);
    expect(bare.attachEvents(EventQueue)).toBe(queue);
    expect(make().events).toBeInstanceOf(EventQueue);
  });

  it('takes the API host from the token route when no baseUrl is given', async () => {
    server.tokenExtra = { baseUrl: server.url };
    const client = make({ baseUrl: undefined });
    expect(client.baseUrl()).toBe('https://api.tinybird.co');
    await client.query('p');
    expect(client.baseUrl()).toBe(server.url);
    expect(server.counts.pipe).toBe(1);
  });

  it('works with a static p. token too', async () => {
    // The fixture only verifies JWTs, so a static token is refused: what matters is the header and the FORBIDDEN code.
    const client = make({ tokenUrl: undefined, token: server.adminToken });
    const error = await rejection(client.query('p'));
    expect(error.code).toBe('FORBIDDEN');
    expect(server.requests).toHaveLength(1); // nothing to refresh: no pointless retry
    expect(server.requests[0]!.token).toBe(server.adminToken);
  });
});

describe('403: refresh once, retry once', () => {
  it('N concurrent 403s cause one token refresh, and each request is retried exactly once', async () => {
    const client = make();
    const first = await client.tokens.getToken();
    server.inject({ status: 403 }, 10, (request) => request.token === first);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.query('p', { i })));
    expect(results).toHaveLength(10);
    expect(server.counts.token).toBe(2);
    expect(server.counts.pipe).toBe(10);
    expect(server.requests).toHaveLength(20);
    for (let i = 0; i < 10; i++) {
      expect(server.requests.filter((r) => r.search.get('i') === String(i))).toHaveLength(2);
    }
  });

  it('a second 403 is FORBIDDEN with the server’s message', async () => {
    const client = make();
    server.inject({ status: 403, message: 'token has no READ scope for secret_pipe' }, 2);
    const error = await rejection(client.query('secret_pipe'));
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
      serverMessage: 'token has no READ scope for secret_pipe',
    });
    expect(error.documentation).toMatch(/^https:/);
    expect(error.name).toBe('TinybirdError');
    expect(server.counts.token).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('a real signature failure from the server surfaces its message', async () => {
    const client = make({ tokenUrl: undefined, getToken: () => 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.bad' });
    const error = await rejection(client.query('p'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.serverMessage).toMatch(/Signature verification failed/);
  });
});

describe('backoff and errors', () => {
  beforeEach(() => {
    vi.useFakeTimers(FAKE);
  });

  it('429: backs off and succeeds', async () => {
    const client = make();
    server.inject({ status: 429 }, 2);
    const result = await drive(client.query('p'));
    expect(result.rows).toBe(1);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('429: honours a readable Retry-After', async () => {
    const client = make();
    await drive(client.tokens.getToken());
    server.inject({ status: 429, retryAfter: 3 });
    let done = false;
    const pending = client.query('p').then(() => (done = true));
    // Fake time waits for the 429 to arrive over real sockets: a slow machine must not look like an early retry.
    await until(() => server.requests.length === 1);
    await drive(new Promise((resolve) => setTimeout(resolve, 2_800)));
    expect(done).toBe(false);
    expect(server.requests).toHaveLength(1);
    await drive(pending);
    expect(server.requests).toHaveLength(2);
  });

  it('429 past the bound is RATE_LIMITED', async () => {
    const client = make({ maxRateLimitRetries: 2 });
    server.inject({ status: 429 }, 5);
    const error = await rejection(drive(client.query('p')));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(server.requests).toHaveLength(3);
  });

  it('5xx is retried, then SERVER_ERROR', async () => {
    const client = make();
    server.inject({ status: 500 }, 1);
    await drive(client.query('p'));
    server.inject({ status: 503 }, 10);
    const error = await rejection(drive(client.query('p')));
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(server.requests.map((r) => r.status)).toEqual([500, 200, 503, 503, 503]);
  });

  it('a dropped connection is retried, then NETWORK', async () => {
    const client = make();
    server.inject({ drop: 'before' }, 1);
    await drive(client.query('p'));
    server.inject({ drop: 'before' }, 10);
    const error = await rejection(drive(client.query('p')));
    expect(error.code).toBe('NETWORK');
    expect(error.cause).toBeDefined();
  });

  it('404 is NOT_FOUND and 400 BAD_REQUEST, with Tinybird’s message, not retried', async () => {
    const client = make();
    const missing = await rejection(drive(client.query('missing')));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, serverMessage: "Pipe 'missing' not found" });
    const bad = await rejection(drive(client.query('bad', { limit: 'abc' })));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
    expect(bad.message).toContain("Error validating 'abc' to type Int32");
    expect(server.requests).toHaveLength(2);
  });

  it('an AbortSignal stops a request, also while it sleeps in backoff', async () => {
    const client = make();
    await drive(client.tokens.getToken());
    server.inject({ status: 429, retryAfter: 60 });
    const controller = new AbortController();
    const pending = client.query('p', {}, { signal: controller.signal });
    pending.catch(() => {});
    await until(() => server.requests.length === 1 && server.requests[0]!.status === 429);
    await vi.advanceTimersByTimeAsync(1_000);
    await ioTurns();
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    await vi.advanceTimersByTimeAsync(120_000);
    await ioTurns();
    expect(server.requests).toHaveLength(1);
  });

  it('never sends an expired token, across many lifetimes', async () => {
    server.tokenTtl = 30;
    const client = make();
    for (let minute = 0; minute < 10; minute++) {
      await settle(client.query('p', { minute }));
      await drive(new Promise((resolve) => setTimeout(resolve, 20_000)));
    }
    expect(server.requests.length).toBeGreaterThanOrEqual(10);
    expect(server.requests.every((r) => r.valid && !r.expired)).toBe(true);
    // ~200 s of 30 s tokens refreshed at 27 s: about 7 refreshes, not one per query or a loop.
    expect(server.counts.token).toBeGreaterThanOrEqual(6);
    expect(server.counts.token).toBeLessThanOrEqual(9);
  });
});

describe('a custom fetch', () => {
  it('whose answers are not this realm’s Response (a polyfill, another frame) is still retried and read into errors', async () => {
    // The real server's answer, copied into a plain object with Response's shape, as another realm's Response looks.
    const foreign: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      return {
        ok: response.ok,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: null,
        text: async () => text,
        json: async () => JSON.parse(text) as unknown,
      } as unknown as Response;
    };
    vi.useFakeTimers(FAKE);
    const client = make({ fetch: foreign });
    server.inject({ status: 503 }, 1);
    const { data } = await drive(client.query<Echo>('top_airlines', { limit: 1 }));
    expect(data[0]).toMatchObject({ pipe: 'top_airlines' });
    server.inject({ status: 503 }, 3);
    const error = await rejection(drive(client.query('top_airlines')));
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 503 });
  });
});
