import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTinybirdClient } from '../../src/index';
import type { EventQueueOptions, TinybirdClient } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { until } from '../support/drive';

// What the queue keeps in localStorage (jsdom: no Web Locks, so pages adopt only entries written at pagehide). The
// close-and-reopen behaviour in a real browser, with locks and several tabs, is test/react/event-persistence.test.ts.

let server: FixtureServer;
const clients: TinybirdClient[] = [];
const make = (events: EventQueueOptions = {}) => {
  const client = createTinybirdClient({ tokenUrl: server.tokenUrl, baseUrl: server.url, events });
  clients.push(client);
  return client;
};
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: from + i, pad: 'x'.repeat(500) }));
const entries = () =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith('react-tinybird:events:'))
    .map((key) => JSON.parse(localStorage.getItem(key)!) as { closed: boolean; rows: [string, { id: number }][] });
const storedIds = () => entries().flatMap((entry) => entry.rows.map(([, row]) => row.id));
const setVisibility = (state: 'visible' | 'hidden') => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
};
const microtasks = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  localStorage.clear();
  server = await startFixtureServer();
});
afterEach(async () => {
  setVisibility('visible');
  for (const client of clients.splice(0)) client.dispose();
  vi.restoreAllMocks();
  localStorage.clear();
  await server.close();
});

describe('page hide', () => {
  it('stores the rows past the keepalive budget (rows only, never the token); the next page sends them, once', async () => {
    const first = make({ flushInterval: 60_000 });
    const token = await first.tokens.getToken();
    first.events.append('events', rows(200));
    window.dispatchEvent(new Event('pagehide'));
    const stored = storedIds();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(200);
    expect(entries()[0]!.closed).toBe(true);
    expect(JSON.stringify(localStorage)).not.toContain(token);
    await until(() => first.events.stats('events').pending === 0);
    first.dispose();

    const next = make();
    next.events.restore();
    await next.events.flush('events');
    const ids = server.rows.get('events')!.map((row) => row.id);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    expect(storedIds()).toEqual([]);
  });

  it('writes nothing with persist: false', async () => {
    server.tokenMode = 'fail';
    const { events } = make({ persist: false });
    events.append('events', rows(5));
    window.dispatchEvent(new Event('pagehide'));
    expect(Object.keys(localStorage)).toEqual([]);
    expect(events.stats('events').pending).toBe(5);
  });
});

describe('caps', () => {
  it('with onDrop, evicts the oldest rows past maxStoredRows, says which, and counts them', async () => {
    server.tokenMode = 'fail'; // nothing can be sent: every row waits
    const onDrop = vi.fn();
    const { events } = make({ maxStoredRows: 10, onDrop });
    events.append('events', rows(25));
    setVisibility('hidden');
    expect(storedIds()).toEqual(rows(10, 15).map((row) => row.id));
    await microtasks();
    expect(onDrop).toHaveBeenCalledTimes(1);
    expect(onDrop.mock.calls[0]![0]).toBe('events');
    expect((onDrop.mock.calls[0]![1] as { id: number }[]).map((row) => row.id)).toEqual(rows(15).map((row) => row.id));
    expect(events.stats('events')).toMatchObject({ pending: 10, dropped: 15 });
  });

  it('without onDrop, evicts nothing: the oldest rows that fit maxStoredBytes are stored, the rest stay in memory with a warning', async () => {
    server.tokenMode = 'fail';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { events } = make({ maxStoredBytes: 5_000 });
    events.append('events', rows(25));
    setVisibility('hidden');
    expect(storedIds()).toEqual(rows(9).map((row) => row.id));
    expect(events.stats('events')).toMatchObject({ pending: 25, dropped: 0 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/16 unsent rows are over maxStoredRows/));
  });

  it('a storage that refuses the write (quota) leaves every row in memory, with a warning and no exception', async () => {
    server.tokenMode = 'fail';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const { events } = make();
    events.append('events', rows(3));
    expect(() => setVisibility('hidden')).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not store 3 unsent rows/));
    expect(events.stats('events').pending).toBe(3);
  });
});

describe('what the app clears', () => {
  it('discardFailed() removes the discarded rows from storage too', async () => {
    const { events } = make();
    server.inject({ status: 400, message: 'bad row' }, 1);
    events.append('events', rows(3));
    await events.flush('events');
    expect(events.stats('events').failed).toBe(3);
    setVisibility('hidden');
    expect(storedIds()).toEqual([0, 1, 2]);
    events.discardFailed('events');
    await microtasks();
    expect(storedIds()).toEqual([]);
  });

  it("clearStored() forgets this page's unsent rows and every stored entry of the key (sign-out)", async () => {
    server.tokenMode = 'fail';
    localStorage.setItem(
      'react-tinybird:events:othertab',
      // Open: in a browser without Web Locks, the entry of a tab that may still be alive is never adopted.
      JSON.stringify({ closed: false, rows: [['events', { id: 99 }]] }),
    );
    localStorage.setItem('someone-else', 'kept');
    const { events } = make();
    events.append('events', rows(4));
    setVisibility('hidden');
    expect(storedIds().sort()).toEqual([0, 1, 2, 3, 99]);
    expect(events.clearStored()).toBe(4);
    await microtasks();
    expect(Object.keys(localStorage)).toEqual(['someone-else']);
    expect(events.stats('events').pending).toBe(0);
  });
});
