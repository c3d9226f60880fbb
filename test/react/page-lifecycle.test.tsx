import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenSource, createTinybirdClient } from '../../src/index';
import type { TinybirdClient } from '../../src/index';
import { startFixtureServer } from '../support/fixture-server';
import type { FixtureServer } from '../support/fixture-server';
import { FAKE, drive, ioTurns, until } from '../support/drive';

// Browser page lifecycle (jsdom): tabs that come back after their timers were throttled, pages that go away.

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('visibilitychange', () => {
  it('refreshes at once when the tab comes back with an expired token', async () => {
    vi.useFakeTimers(FAKE);
    server.tokenTtl = 60;
    const tokens = new TokenSource({ tokenUrl: server.tokenUrl });
    await drive(tokens.getToken());
    setVisibility('hidden');
    // A background tab: the clock moves on, the refresh timer is throttled and never fires.
    const due = tokens.getState().refreshAt!;
    vi.setSystemTime(tokens.getState().expiresAt! + 5_000);
    expect(Date.now()).toBeGreaterThan(due);
    expect(server.counts.token).toBe(1);
    setVisibility('visible');
    await until(
      () => server.counts.token === 2 && tokens.getState().status === 'ready' && tokens.getState().refreshCount === 1,
    );
    expect(tokens.getState().expiresAt).toBeGreaterThan(Date.now());
    tokens.dispose();
  });

  it('does nothing when the token is still fresh, and nothing after dispose()', async () => {
    const tokens = new TokenSource({ tokenUrl: server.tokenUrl });
    await tokens.getToken();
    setVisibility('visible');
    await ioTurns(20);
    expect(server.counts.token).toBe(1);
    tokens.dispose();
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    vi.useFakeTimers(FAKE);
    vi.setSystemTime(Date.now() + 3_600_000);
    setVisibility('visible');
    await ioTurns(20);
    expect(server.counts.token).toBe(1);
  });
});

describe('pagehide', () => {
  let client: TinybirdClient;
  const keepalive: Array<{ keepalive: boolean | undefined; bytes: number }> = [];
  beforeEach(() => {
    keepalive.length = 0;
    // Records what the browser would be asked for, then sends it for real.
    const recordingFetch: typeof fetch = (input, init) => {
      if (String(input).includes('/v0/events'))
        keepalive.push({ keepalive: init?.keepalive, bytes: String(init?.body ?? '').length });
      return fetch(input, init);
    };
    client = createTinybirdClient({
      tokenUrl: server.tokenUrl,
      baseUrl: server.url,
      fetch: recordingFetch,
      events: { flushInterval: 60_000 },
    });
  });
  afterEach(() => client.dispose());

  it('sends queued rows with keepalive when the page hides, without waiting for the flush interval', async () => {
    await client.tokens.getToken();
    client.events.append('events', [{ id: 1 }, { id: 2 }]);
    window.dispatchEvent(new Event('pagehide'));
    await until(() => client.events.stats('events').sent === 2);
    expect(keepalive).toEqual([{ keepalive: true, bytes: expect.any(Number) }]);
    expect(server.rows.get('events')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('also on visibilitychange to hidden, within the 64 KB keepalive budget; the rest stays pending', async () => {
    await client.tokens.getToken();
    const rows = Array.from({ length: 200 }, (_, id) => ({ id, pad: 'x'.repeat(1_000) })); // ~200 KB
    client.events.append('events', rows);
    setVisibility('hidden');
    await until(() => client.events.stats('events').sent > 0);
    expect(keepalive.every((call) => call.keepalive === true && call.bytes <= 64 * 1024)).toBe(true);
    const total = keepalive.reduce((n, call) => n + call.bytes, 0);
    expect(total).toBeLessThanOrEqual(64 * 1024);
    const { sent, pending } = client.events.stats('events');
    expect(sent + pending).toBe(200);
    expect(pending).toBeGreaterThan(0);
    setVisibility('visible');
    await client.events.flush('events');
    expect(new Set(server.rows.get('events')!.map((row) => row.id)).size).toBe(200);
  });

  it('a keepalive send that fails hands its rows back to the queue: a flush() made meanwhile still delivers them', async () => {
    await client.tokens.getToken();
    client.events.append('events', [{ id: 1 }, { id: 2 }]);
    server.inject({ drop: 'before' }, 1); // the keepalive request never gets an answer
    setVisibility('hidden');
    let flushed = false;
    // Asked while the keepalive request holds every row: there is nothing for flush() itself to send yet.
    void client.events.flush('events').then(() => (flushed = true));
    await until(() => flushed);
    setVisibility('visible');
    expect(keepalive.map((call) => call.keepalive)).toEqual([true, undefined]);
    expect(client.events.stats('events')).toMatchObject({ pending: 0, sent: 2 });
    expect(server.rows.get('events')).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('online', () => {
  it('rows waiting out a backoff after a network failure go as soon as the browser is online again', async () => {
    vi.useFakeTimers(FAKE);
    const client = createTinybirdClient({
      tokenUrl: server.tokenUrl,
      baseUrl: server.url,
      events: { flushInterval: 10 },
    });
    try {
      await drive(client.tokens.getToken());
      server.inject({ drop: 'before' }, 1); // the connection drops: a network failure, retried after a backoff
      client.events.append('events', [{ id: 1 }, { id: 2 }]);
      await vi.advanceTimersByTimeAsync(10);
      await until(() => client.events.stats('events').error?.code === 'NETWORK');
      expect(client.events.stats('events').pending).toBe(2);
      // Fake time stands still from here: only the online event can send the rows now.
      window.dispatchEvent(new Event('online'));
      await until(() => client.events.stats('events').sent === 2);
      expect(server.rows.get('events')).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      client.dispose();
    }
  });
});
