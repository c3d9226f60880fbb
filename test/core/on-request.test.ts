import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createTinybirdClient } from '../../src/index';
import type { RequestEvent, TinybirdClient } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive } from '../support/drive';
import { rejection } from '../support/rejection';

let server: FixtureServer;
let client: TinybirdClient;
let events: RequestEvent[];

beforeEach(async () => {
  server = await startFixtureServer();
  client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url });
  events = [];
  client.onRequest((event) => events.push(event));
});
afterEach(async () => {
  client.dispose();
  vi.useRealTimers();
  await server.close();
});

/** Listeners are called in a microtask after the request's own step: let those run. */
const flushed = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('client.onRequest', () => {
  it('reports a query to the local server when it leaves and when answered, with status, sizes and no token', async () => {
    // The local server (Hono) sends Content-Length; the fixture server streams its answers chunked.
    client.dispose();
    client = createTinybirdClient({ tokenUrl: inject('tinybird').tokenUrl });
    client.onRequest((event) => events.push(event));
    const { data } = await client.query('top_airlines', { limit: 5 });
    await flushed();
    expect(data).toHaveLength(5);
    expect(events).toHaveLength(2);
    const [start, end] = events;
    expect(start).toMatchObject({ method: 'GET', url: '/v0/pipes/top_airlines.json?limit=5', sent: 0 });
    expect(start!.status).toBeUndefined();
    expect(end).toMatchObject({ id: start!.id, url: start!.url, status: 200 });
    // Five rows of JSON plus meta and statistics.
    expect(Number(end!.received)).toBeGreaterThan(200);
    expect(end!.at).toBeGreaterThanOrEqual(start!.at);
    const token = client.tokens.getState().token!;
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('gives every attempt of one call the same id: a 403 refresh retries under it', async () => {
    const first = await client.tokens.getToken();
    server.inject({ status: 403 }, 1, (request) => request.token === first);
    await client.query('p');
    await client.query('p');
    await flushed();
    const statuses = (id: number) => events.filter((e) => e.id === id && e.status !== undefined).map((e) => e.status);
    const [a, b] = [...new Set(events.map((e) => e.id))];
    expect(statuses(a!)).toEqual([403, 200]);
    expect(statuses(b!)).toEqual([200]);
    for (const token of [first, client.tokens.getState().token!]) expect(JSON.stringify(events)).not.toContain(token);
  });

  it('reports 429 retries under one id, and a network failure as status 0', async () => {
    vi.useFakeTimers(FAKE);
    server.inject({ status: 429 }, 2);
    await drive(client.query('p'));
    server.inject({ drop: 'before' }, 3);
    await rejection(drive(client.query('p')));
    await drive(flushed());
    const ids = [...new Set(events.map((e) => e.id))];
    expect(ids).toHaveLength(2);
    const ends = (id: number) => events.filter((e) => e.id === id && e.status !== undefined).map((e) => e.status);
    expect(ends(ids[0]!)).toEqual([429, 429, 200]);
    expect(ends(ids[1]!)).toEqual([0, 0, 0]);
  });

  it('reports the event queue’s batches and SQL, and stops after unsubscribing', async () => {
    client.events.append('events', [{ id: 1 }, { id: 2 }]);
    await client.events.flush('events');
    await client.sql('SELECT 1');
    await flushed();
    const [batch, sql] = events.filter((e) => e.status === undefined);
    expect(batch).toMatchObject({ method: 'POST', url: '/v0/events?name=events&wait=true', sent: 17 });
    expect(sql!.url).toBe('/v0/sql?q=SELECT+1+FORMAT+JSON');
    const seen = events.length;
    const stop = client.onRequest(() => {
      throw new Error('must not be called');
    });
    stop();
    await client.query('p');
    await flushed();
    expect(events.length).toBe(seen + 2);
  });
});
