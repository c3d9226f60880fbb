// Healing failed queries by themselves, polling or not, from every transient failure: API 5xx and 429 storms, dropped
// connections, a token route that is down. Real HTTP to the fixture server (faults injected there); fake timers only
// for scheduling (backoffs, probes, refresh timers).
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TinybirdClient, endpointQueryOptions } from '../../src/index';
import type { TinybirdClientOptions } from '../../src/index';
import { healFailedQueries } from '../../src/core/heal-failed-queries';
import { startFixtureServer } from '../support/fixture-server';
import type { Fault, FixtureServer } from '../support/fixture-server';
import { FAKE, ioTurns } from '../support/drive';

let server: FixtureServer;
const stops: Array<() => void> = [];

beforeEach(async () => {
  server = await startFixtureServer();
  vi.useFakeTimers(FAKE);
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
  await server.close();
});

/** Requests in flight (answer body included): fake time stands still while there are any, as on a fast network. */
let inflight = 0;
const counted: typeof fetch = async (input, init) => {
  inflight++;
  try {
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    return new Response(response.status === 204 ? null : body, response);
  } finally {
    inflight--;
  }
};

/**
 * Alternates real I/O and fake time until `check` holds, moving the clock only while no request is in flight: the
 * times measured are the library's scheduling, not how slowly a loaded machine answers on loopback.
 */
async function driveUntil(check: () => boolean, maxSteps = 200_000): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    await ioTurns(1);
    if (check()) return;
    if (!inflight) await vi.advanceTimersByTimeAsync(50);
  }
  throw new Error(`driveUntil: ${String(check)} did not hold`);
}

const drive = async <T>(promise: Promise<T>): Promise<T> => {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await driveUntil(() => settled);
  return promise;
};

/** A client with its healer, `widgets` non-polling queries observed (on screen), and the times token requests left. */
async function dashboard(widgets: number, options: Partial<TinybirdClientOptions> = {}) {
  const tokenRequests: number[] = [];
  const client = new TinybirdClient({
    tokenUrl: server.tokenUrl,
    baseUrl: server.url,
    fetch: (input, init) => {
      if (String(input) === server.tokenUrl) tokenRequests.push(Date.now());
      return counted(input, init);
    },
    ...options,
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  stops.push(() => client.dispose(), healFailedQueries(client, queryClient));
  await drive(client.tokens.getToken());
  const observers = Array.from(
    { length: widgets },
    (_, i) => new QueryObserver(queryClient, endpointQueryOptions(client, 'top_airlines', { limit: i + 1 })),
  );
  for (const observer of observers) stops.push(observer.subscribe(() => {}));
  const all = (status: 'success' | 'error') => () =>
    observers.every((observer) => observer.getCurrentResult().status === status);
  await driveUntil(all('success'));
  return { client, queryClient, observers, tokenRequests, all };
}

/** API requests that reached the server while `during` ran. */
async function pipeRequests(during: () => Promise<void>): Promise<number> {
  const before = server.requests.length;
  await during();
  return server.requests.length - before;
}

const advance = (ms: number) => {
  const end = Date.now() + ms;
  return driveUntil(() => Date.now() >= end);
};

describe.each<[string, Fault]>([
  ['API 503 storm', { status: 503 }],
  ['API 429 storm', { status: 429 }],
  ['dropped connections', { drop: 'before' }],
])('a widget that does not poll heals by itself after an %s', (_, fault) => {
  it('one probe at a time, at most 3 s apart; data back within 3 s of the API coming back', async () => {
    const { queryClient, observers, all } = await dashboard(3, { maxServerErrorRetries: 0, maxRateLimitRetries: 0 });
    let down = true;
    server.inject(fault, 100_000, () => down);
    // What made the widgets fetch again does not matter (a filter change, a mount): they fail, and nobody polls.
    void queryClient.invalidateQueries();
    await driveUntil(all('error'));
    // Probing the outage: one query at a time, never the three together.
    const probes = await pipeRequests(() => advance(30_000));
    expect(probes).toBeGreaterThanOrEqual(9); // 3 s apart: 30 s hold 9 or 10
    expect(probes).toBeLessThanOrEqual(20); // one at a time (three widgets would make it 30 to 60)
    down = false;
    const back = Date.now();
    await driveUntil(all('success'));
    expect(Date.now() - back).toBeLessThanOrEqual(3_000 + 50);
    expect(observers.map((observer) => observer.getCurrentResult().data?.data.length)).toEqual([1, 1, 1]);
  });
});

it('after the first minute of an outage, probes back off to at most 10 s apart', async () => {
  const { queryClient, all } = await dashboard(2, { maxServerErrorRetries: 0 });
  let down = true;
  const at: number[] = [];
  server.inject({ status: 503 }, 100_000, () => (down && at.push(Date.now()), down));
  void queryClient.invalidateQueries();
  await driveUntil(all('error'));
  await advance(150_000);
  const gaps = at.slice(1).map((time, i) => time - at[i]!);
  const late = gaps.filter((_, i) => at[i + 1]! - at[0]! > 75_000);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000 + 100);
  expect(late.length).toBeGreaterThan(0);
  expect(Math.min(...late)).toBeGreaterThan(3_000); // backed off
  down = false;
  const back = Date.now();
  await driveUntil(all('success'));
  expect(Date.now() - back).toBeLessThanOrEqual(10_000 + 50);
});

describe('a token route that is down when the token expires', () => {
  it('heals within 3 s of the route coming back, with never more than one token request a second', async () => {
    server.tokenTtl = 30;
    const { client, queryClient, all, tokenRequests } = await dashboard(3);
    server.tokenMode = 'fail';
    await advance(40_000); // past expiry: the scheduled refresh failed, and so did the ones after it
    expect(client.tokens.getState()).toMatchObject({ status: 'error', token: null });
    void queryClient.invalidateQueries();
    await driveUntil(all('error'));
    expect(queryClient.getQueryCache().getAll()[0]!.state.error).toMatchObject({ code: 'TOKEN_FETCH_FAILED' });
    await advance(20_000);
    server.tokenMode = 'json';
    const back = Date.now();
    await driveUntil(all('success'));
    expect(Date.now() - back).toBeLessThanOrEqual(3_000 + 50);
    const gaps = tokenRequests.slice(1).map((time, i) => time - tokenRequests[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
  });

  it('a refetch that waits for a token already on its way does not fail', async () => {
    server.tokenTtl = 30;
    const { client, observers } = await dashboard(1);
    server.tokenMode = 'fail';
    await advance(40_000);
    expect(client.tokens.getState().status).toBe('error');
    server.tokenMode = 'json';
    // A token request starts (a page event, a probe, the cooldown's end) and a refetch asks meanwhile.
    const fetching = client.tokens.refresh();
    const result = await drive(observers[0]!.refetch());
    expect(result.status).toBe('success');
    await drive(fetching);
  });
});
