import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TinybirdError, createTinybirdClient } from '../../src/index';
import type { EventQueueOptions, TinybirdClient } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive, driveUntil, ioTurns, until } from '../support/drive';

let server: FixtureServer;
const clients: TinybirdClient[] = [];
const make = (events: EventQueueOptions = {}) => {
  const client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url, events });
  clients.push(client);
  return client;
};
const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, airline: 'AA', passengers: 1 }));
const ids = (name = 'events') => (server.rows.get(name) ?? []).map((row) => row.id as number);

beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  vi.useRealTimers();
  await server.close();
});

function thrown(fn: () => void): TinybirdError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TinybirdError);
    return error as TinybirdError;
  }
  throw new Error('expected a throw');
}

describe('batching', () => {
  it('delivers 10,000 rows appended at once, every row exactly once, in order, in few requests', async () => {
    const { events } = make();
    events.append('events', rows(10_000));
    expect(events.stats('events').pending).toBe(10_000);
    await events.flush('events');
    expect(ids()).toEqual(rows(10_000).map((r) => r.id));
    expect(server.counts.events).toBe(10); // maxBatchRows 1000
    expect(server.counts.token).toBe(1);
    expect(events.stats('events')).toEqual({
      pending: 0,
      sent: 10_000,
      quarantined: 0,
      failed: 0,
      dropped: 0,
      error: null,
    });
    const body = server.requests[0]!;
    expect(body.search.get('name')).toBe('events');
    expect(body.search.get('wait')).toBe('true');
  });

  it('waits flushInterval for more rows, then sends one batch', async () => {
    vi.useFakeTimers(FAKE);
    const { events, tokens } = make({ flushInterval: 2_000 });
    await drive(tokens.getToken());
    for (let i = 0; i < 5; i++) events.append('events', { id: i });
    await vi.advanceTimersByTimeAsync(1_900);
    await ioTurns(20);
    expect(server.counts.events).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    await until(() => events.stats('events').sent === 5);
    expect(server.counts.events).toBe(1);
  });

  it('sends as soon as a batch is full (rows or bytes)', async () => {
    const { events } = make({ flushInterval: 60_000, maxBatchRows: 100, maxBatchBytes: 10_000 });
    events.append('events', rows(100));
    await until(() => events.stats('events').sent === 100);
    events.append(
      'big',
      Array.from({ length: 30 }, (_, id) => ({ id, blob: 'x'.repeat(1_000) })),
    );
    await until(() => events.stats('big').sent >= 9);
    expect(server.requests.filter((r) => r.search.get('name') === 'big')[0]!.body.length).toBeLessThanOrEqual(10_000);
    await events.flush();
    expect(ids('big')).toHaveLength(30);
  });

  it('keeps one queue per data source', async () => {
    const { events } = make();
    events.append('a', rows(3));
    events.append('b', rows(2));
    await events.flush();
    expect(ids('a')).toHaveLength(3);
    expect(ids('b')).toHaveLength(2);
    expect(events.stats('a').sent).toBe(3);
    expect(events.stats('never')).toEqual({ pending: 0, sent: 0, quarantined: 0, failed: 0, dropped: 0, error: null });
    expect(events.stats('never')).toBe(events.stats('other')); // stable snapshot for useSyncExternalStore
  });

  it('reports quarantined rows', async () => {
    const { events } = make();
    events.append('events', [{ id: 1 }, { id: 2, _quarantine: true }]);
    await events.flush();
    expect(events.stats('events')).toMatchObject({ sent: 2, quarantined: 1, pending: 0 });
  });
});

describe('failures never lose rows', () => {
  it('rows survive 403 (refresh), 429, 500 and dropped connections; duplicates only from lost answers', async () => {
    vi.useFakeTimers(FAKE);
    const { events, tokens } = make({ maxBatchRows: 250 });
    const first = await drive(tokens.getToken());
    server.inject({ status: 403 }, 1, (r) => r.token === first);
    server.inject({ status: 429 }, 2);
    server.inject({ status: 429, retryAfter: 1 }, 1);
    server.inject({ status: 500 }, 2);
    server.inject({ drop: 'before' }, 2);
    server.inject({ drop: 'after' }, 2); // rows stored, answer lost: at-least-once resends them
    events.append('events', rows(5_000));
    await drive(events.flush('events'));
    const received = ids();
    const unique = new Set(received);
    expect(unique.size).toBe(5_000);
    const duplicates = received.length - unique.size;
    expect(duplicates).toBeLessThanOrEqual(2 * 250); // at most the two batches whose answers were lost
    expect(duplicates).toBeGreaterThan(0);
    expect(events.stats('events')).toMatchObject({ pending: 0, sent: 5_000, failed: 0, error: null });
    expect(server.counts.token).toBe(2);
    console.info(
      `[measure] 5000 rows under 10 injected failures: ${received.length} received, ${duplicates} duplicates, ${server.counts.events} requests`,
    );
  });

  it('a 400 fails the batch for good: counted, inspectable, retryable — never dropped', async () => {
    const { events } = make();
    server.inject({ status: 400, message: 'Error parsing NDJSON' }, 1);
    events.append('events', rows(3));
    await events.flush();
    const stats = events.stats('events');
    expect(stats).toMatchObject({ pending: 0, sent: 0, failed: 3 });
    expect(stats.error).toMatchObject({ code: 'BAD_REQUEST', serverMessage: 'Error parsing NDJSON' });
    const [batch] = events.failures('events');
    expect(batch!.rows).toEqual(rows(3));
    expect(events.retryFailed('events')).toBe(3);
    await events.flush();
    expect(events.stats('events')).toMatchObject({ pending: 0, sent: 3, failed: 0, error: null });
    expect(ids()).toEqual([0, 1, 2]);
  });

  it('a second 403 fails the batch as FORBIDDEN; discardFailed() is the only way rows leave unacknowledged', async () => {
    const { events } = make();
    server.inject({ status: 403, message: 'no APPEND scope' }, 2);
    events.append('events', rows(2));
    await events.flush();
    expect(events.stats('events').failed).toBe(2);
    expect(events.stats('events').error).toMatchObject({ code: 'FORBIDDEN', serverMessage: 'no APPEND scope' });
    expect(server.counts.token).toBe(2);
    const dropped = events.discardFailed('events');
    expect(dropped[0]!.rows).toHaveLength(2);
    expect(events.stats('events')).toMatchObject({ failed: 0, error: null });
  });

  it('while the token route is down rows stay pending, the error is visible, then they go out', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenMode = 'fail';
    const { events } = make();
    events.append('events', rows(10));
    const flushed = events.flush('events');
    await driveUntil(() => events.stats('events').error?.code === 'TOKEN_FETCH_FAILED');
    await drive(new Promise((resolve) => setTimeout(resolve, 10_000)));
    expect(events.stats('events')).toMatchObject({ pending: 10, sent: 0 });
    expect(events.stats('events').error?.code).toBe('TOKEN_FETCH_FAILED');
    const tokenRequests = server.counts.token;
    expect(tokenRequests).toBeLessThan(20); // backoff, no hot loop
    server.tokenMode = 'json';
    await drive(flushed);
    expect(events.stats('events')).toMatchObject({ pending: 0, sent: 10, error: null });
  });
});

describe('bounds and validation', () => {
  it('throws QUEUE_FULL past maxQueueRows instead of dropping, and queues nothing of that call', async () => {
    server.tokenMode = 'unauthorized'; // nothing can be sent
    const { events } = make({ maxQueueRows: 100, flushInterval: 60_000 });
    events.append('events', rows(60));
    events.append('other', rows(40));
    const error = thrown(() => events.append('events', rows(1)));
    expect(error.code).toBe('QUEUE_FULL');
    expect(error.message).toMatch(/maxQueueRows \(100\)/);
    expect(events.stats('events').pending).toBe(60);
  });

  it('rejects unserialisable rows at append time with INVALID_ROW', () => {
    const { events } = make();
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic.self = cyclic;
    expect(thrown(() => events.append('events', { id: 1n })).message).toMatch(/BigInt/);
    expect(thrown(() => events.append('events', [{ id: 1 }, cyclic])).code).toBe('INVALID_ROW');
    expect(thrown(() => events.append('events', [1 as unknown as object])).code).toBe('INVALID_ROW');
    expect(events.stats('events').pending).toBe(0);
  });

  it('dispose() stops its timers, keeps unsent rows pending, and resumes on the next append', async () => {
    vi.useFakeTimers(FAKE);
    const { events } = make({ flushInterval: 5_000 });
    events.append('events', rows(1)); // no token yet: the best-effort send on dispose has nothing to send with
    events.dispose();
    await vi.advanceTimersByTimeAsync(3_600_000);
    await ioTurns(50);
    expect(server.counts.events).toBe(0);
    expect(server.counts.token).toBe(0);
    expect(events.stats('events').pending).toBe(1);
    events.append('events', rows(1, 1));
    await drive(events.flush());
    expect(ids()).toEqual([0, 1]);
  });

  it('dispose() sends what is queued once, with keepalive, when a token is at hand', async () => {
    const seen: Array<boolean | undefined> = [];
    const recordingFetch: typeof fetch = (input, init) => {
      seen.push(init?.keepalive);
      return fetch(input, init);
    };
    const client = createTinybirdClient({
      tokenUrl: server.tokenUrl,
      baseUrl: server.url,
      fetch: recordingFetch,
      events: { flushInterval: 60_000 },
    });
    clients.push(client);
    await client.tokens.getToken();
    client.events.append('events', rows(3));
    client.dispose();
    await until(() => client.events.stats('events').sent === 3);
    expect(ids()).toEqual([0, 1, 2]);
    expect(seen.at(-1)).toBe(true);
  });
});
