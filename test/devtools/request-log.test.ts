import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTinybirdClient } from '../../src/index';
import type { RequestEvent, TinybirdClient } from '../../src/index';
import { createRequestLog } from '../../src/devtools/createRequestLog';
import { describeRequest } from '../../src/devtools/describeRequest';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive } from '../support/drive';

let server: FixtureServer;
let client: TinybirdClient;

beforeEach(async () => {
  server = await startFixtureServer();
  client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url });
});
afterEach(async () => {
  client.dispose();
  vi.useRealTimers();
  await server.close();
});

const flushed = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createRequestLog, fed by a real client', () => {
  it('folds a 403 refresh and 429 backoffs into one entry per call, newest first', async () => {
    vi.useFakeTimers(FAKE);
    const log = createRequestLog();
    client.onRequest(log.record);
    const first = await drive(client.tokens.getToken());
    server.inject({ status: 403 }, 1, (request) => request.token === first);
    await drive(client.query('refreshed'));
    server.inject({ status: 429 }, 2);
    await drive(client.query('limited', { limit: 3 }));
    await drive(flushed());
    const [limited, refreshed] = log.entries();
    expect(log.entries()).toHaveLength(2);
    expect(refreshed).toMatchObject({ kind: 'pipe', name: 'refreshed', status: 200, pending: false });
    expect(refreshed).toMatchObject({ attempts: 2, refreshes: 1, backoffs: 0 });
    expect(limited).toMatchObject({ kind: 'pipe', name: 'limited', params: 'limit=3', status: 200 });
    expect(limited).toMatchObject({ attempts: 3, refreshes: 0, backoffs: 2 });
    // Two 429s waited out backoffs of fake time: the latency covers all three attempts.
    expect(limited!.duration).toBeGreaterThan(100);
  });

  it('shows a call in flight until it is answered, and appends with their body size', async () => {
    const log = createRequestLog();
    client.onRequest(log.record);
    const seen: boolean[] = [];
    log.subscribe(() => seen.push(log.entries()[0]!.pending));
    client.events.append('clicks', [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await client.events.flush('clicks');
    await flushed();
    expect(seen).toEqual([true, false]);
    expect(log.entries()[0]).toMatchObject({ kind: 'events', name: 'clicks', method: 'POST', sent: 26, status: 200 });
  });

  it('keeps the newest `limit` entries, ignores answers whose start it never saw, and clears', () => {
    const log = createRequestLog(2);
    const event = (id: number, patch: Partial<RequestEvent> = {}): RequestEvent => ({
      id,
      method: 'GET',
      url: `/v0/pipes/p${id}.json`,
      at: 1_000 + id,
      ...patch,
    });
    for (const id of [1, 2, 3]) log.record(event(id));
    expect(log.entries().map((e) => e.name)).toEqual(['p3', 'p2']);
    const before = log.entries();
    log.record(event(1, { status: 200 }));
    expect(log.entries()).toBe(before);
    log.record(event(2, { status: 500, at: 1_050, received: 'not a number' }));
    expect(log.entries()[1]).toMatchObject({ status: 500, duration: 48, received: null, pending: false });
    log.clear();
    expect(log.entries()).toEqual([]);
  });
});

describe('describeRequest', () => {
  it.each([
    ['/v0/pipes/top%20airlines.json?limit=5', { kind: 'pipe', name: 'top airlines' }],
    ['/v0/sql?q=SELECT+1+FORMAT+JSON', { kind: 'sql', name: 'SELECT 1 FORMAT JSON' }],
    ['/v0/sql', { kind: 'sql', name: '(statement in the body)' }],
    ['/v0/events?name=clicks&wait=true', { kind: 'events', name: 'clicks' }],
    ['/v0/health', { kind: 'other', name: '/v0/health' }],
  ])('%s', (url, target) => {
    expect(describeRequest(url)).toEqual(target);
  });
});
