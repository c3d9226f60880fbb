import { benchToken } from './lib/local';
import { createTinybirdClient } from '../src/index';
import { countRows, launchChromium, startAppendPage } from './lib/append-page';
import { startProxy } from './lib/proxy';
import { check, type LocalTinybird, type Section } from './lib/section';
import { int, ms, ratio } from './lib/stats';

const DATASOURCE = 'bench_events';
const EVENTS = 100_000;
/** One POST per event is slow by nature: it runs for a fixed time, and its request count is 1 per event regardless. */
const NAIVE_SECONDS = 10;
/** What a browser allows per origin over HTTP/1.1, and so what fire-and-forget POSTs get at most. */
const NAIVE_CONNECTIONS = 6;
const FAILURE_RATE = 0.1;
const AIRLINES = ['Iberia', 'Lufthansa', 'KLM', 'Ryanair', 'Vueling', 'easyJet'];

interface Outcome {
  events: number;
  requests: number;
  injected: number;
  seconds: number;
  stored: number;
  duplicates: number;
  lost: number;
}

const event = (variant: string, seq: number) => ({
  variant,
  seq,
  timestamp: new Date(1_700_000_000_000 + seq * 1000).toISOString().replace('T', ' ').replace('Z', ''),
  airline: AIRLINES[seq % AIRLINES.length],
  price: (seq % 500) + 0.99,
});

/** How many of a variant's events the server stored, and how many distinct ones (a difference is a duplicate). */
async function stored(local: LocalTinybird, variant: string): Promise<{ count: number; unique: number }> {
  const q = `SELECT count() AS count, uniqExact(seq) AS unique FROM ${DATASOURCE} WHERE variant = '${variant}'`;
  const response = await fetch(`${local.url}/v0/sql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${local.adminToken}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }),
  });
  if (!response.ok) throw new Error(`counting ${variant}: ${response.status} ${await response.text()}`);
  const { data } = (await response.json()) as { data: { count: number; unique: number }[] };
  return data[0]!;
}

async function viaEventQueue(
  local: LocalTinybird,
  token: string,
  failureRate: number,
  variant: string,
  lostAnswerRate = 0,
): Promise<Outcome> {
  const proxy = await startProxy({ target: local.url, failureRate, lostAnswerRate });
  const client = createTinybirdClient({ baseUrl: proxy.url, token });
  const t0 = performance.now();
  for (let seq = 0; seq < EVENTS; seq += 1) {
    client.events.append(DATASOURCE, event(variant, seq));
    // An app produces events over time: yield now and then so timed flushes can go out meanwhile.
    if (seq % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  // flush() settles when every row queued so far is acknowledged or has failed its retries; rows that failed stay queued.
  for (let round = 0; round < 20 && client.events.stats(DATASOURCE).pending > 0; round += 1) {
    await client.events.flush(DATASOURCE);
  }
  const seconds = (performance.now() - t0) / 1000;
  const pending = client.events.stats(DATASOURCE).pending;
  client.dispose();
  await proxy.close();
  const { count, unique } = await stored(local, variant);
  if (pending > 0) throw new Error(`${pending} events still queued after flushing`);
  return {
    events: EVENTS,
    requests: proxy.stats.requests,
    injected: proxy.stats.injected + proxy.stats.lostAnswers,
    seconds,
    stored: count,
    duplicates: count - unique,
    lost: EVENTS - unique,
  };
}

/** The naive way: every event is its own POST, errors ignored (fire and forget), at most one browser's connections. */
async function viaPostPerEvent(
  local: LocalTinybird,
  token: string,
  failureRate: number,
  variant: string,
): Promise<Outcome> {
  const proxy = await startProxy({ target: local.url, failureRate, seed: 7 });
  let next = 0;
  const t0 = performance.now();
  const deadline = Date.now() + NAIVE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: NAIVE_CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        const seq = next++;
        try {
          const response = await fetch(`${proxy.url}/v0/events?name=${DATASOURCE}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
            body: JSON.stringify(event(variant, seq)),
          });
          await response.body?.cancel();
        } catch {
          // What `fetch(...)` without a catch in an event handler amounts to: the event is gone.
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await proxy.close();
  const { count, unique } = await stored(local, variant);
  return {
    events: next,
    requests: proxy.stats.requests,
    injected: proxy.stats.injected,
    seconds,
    stored: count,
    duplicates: count - unique,
    lost: next - unique,
  };
}

/** Rows queued when the tab closes: the demo's shape, about 170 bytes each, so twice the 64 KB keepalive budget. */
const CLOSED_WITH = 600;

interface PageClose {
  persist: boolean;
  atClose: number;
  afterReopen: number;
  lost: number;
  duplicates: number;
}

/**
 * Chromium, a page that mounts the provider: append CLOSED_WITH rows, close the tab at once (pagehide runs), then open
 * the page again and count what the server holds. Evaluated as strings: bench files run under tsx, whose helpers do not
 * exist in the page.
 */
async function pageClosedWithQueued(
  local: LocalTinybird,
  run: string,
): Promise<{ closes: PageClose[]; storage: Record<string, number> }> {
  const site = await startAppendPage(local);
  const browser = await launchChromium();
  try {
    const keeper = await browser.context.newPage(); // Chromium quits when its last tab closes
    const open = async (query: string) => {
      const page = await browser.context.newPage();
      await page.goto(`${site.url}${query}`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      await page.evaluate('window.appendPage.ready()');
      return page;
    };
    const settle = async (user: string) => {
      let last = -1;
      for (let i = 0; i < 40; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const { count } = await countRows(local, user);
        if (count === last && count > 0) break;
        last = count;
      }
      return countRows(local, user);
    };
    const closes: PageClose[] = [];
    for (const persist of [true, false]) {
      const user = `bench-close-${run}-${persist ? 'kept' : 'memory'}`;
      const query = persist ? '' : '?persist=0';
      const page = await open(query);
      await page.evaluate(`window.appendPage.append(${JSON.stringify(user)}, ${CLOSED_WITH})`);
      const closed = page.waitForEvent('close');
      await page.close({ runBeforeUnload: true });
      await closed;
      const atClose = (await settle(user)).count;
      const next = await open(query);
      const after = await settle(user);
      await next.close();
      closes.push({
        persist,
        atClose,
        afterReopen: after.count - atClose,
        lost: CLOSED_WITH - after.unique,
        duplicates: after.count - after.unique,
      });
    }
    // What a pagehide handler can afford: writing the stored entry of CLOSED_WITH rows, localStorage vs IndexedDB.
    const page = await open('?persist=0');
    const storage = (await page.evaluate(`(async () => {
      const row = JSON.stringify({ timestamp: '2026-01-01 00:00:00', booking_id: 'b-000000', user_id: 'u_42', airline: 'Lufthansa', origin: 'MAD', destination: 'LHR', passengers: 2, price: 123, cabin: 'economy' });
      const text = JSON.stringify({ closed: true, rows: Array.from({ length: ${CLOSED_WITH} }, () => ['events', JSON.parse(row)]) });
      const times = (n, f) => Promise.resolve().then(async () => { const t = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); await f(); t.push(performance.now() - t0); } t.sort((a, b) => a - b); return t[t.length >> 1]; });
      const local = await times(20, () => localStorage.setItem('bench-entry', text));
      localStorage.removeItem('bench-entry');
      const db = await new Promise((resolve, reject) => { const r = indexedDB.open('bench', 1); r.onupgradeneeded = () => r.result.createObjectStore('entries'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const idb = await times(20, () => new Promise((resolve, reject) => { const tx = db.transaction('entries', 'readwrite'); tx.objectStore('entries').put(text, 'entry'); tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); }));
      db.close();
      return { bytes: text.length, localStorageMs: local, indexedDbMs: idb };
    })()`)) as Record<string, number>;
    await page.close();
    await keeper.close();
    return { closes, storage };
  } finally {
    await browser.close();
    await site.close();
  }
}

export const appendsSection: Section = {
  id: 'appends',
  title: 'Appends',
  async run(ctx) {
    const local = await ctx.local();
    const token = await benchToken(local, 'bench_appends', [
      { type: 'DATASOURCES:APPEND', resource: DATASOURCE },
      { type: 'DATASOURCES:READ', resource: DATASOURCE },
    ]);
    const run = Date.now().toString(36);
    const outcomes: Record<string, Outcome> = {};
    for (const failureRate of [0, FAILURE_RATE]) {
      const tag = `${Math.round(failureRate * 100)}`;
      ctx.log(`EventQueue, ${int(EVENTS)} events, ${tag} % failures`);
      outcomes[`queue-${tag}`] = await viaEventQueue(local, token, failureRate, `${run}-queue-${tag}`);
      ctx.log(`one POST per event for ${NAIVE_SECONDS} s, ${tag} % failures`);
      outcomes[`naive-${tag}`] = await viaPostPerEvent(local, token, failureRate, `${run}-naive-${tag}`);
    }

    // At-least-once: a batch the server stored whose answer never came back is sent again, so it arrives twice.
    ctx.log(
      `EventQueue, ${int(EVENTS)} events, ${FAILURE_RATE * 100} % of answers lost after the server stored the batch`,
    );
    outcomes['queue-lost'] = await viaEventQueue(local, token, 0, `${run}-queue-lost`, FAILURE_RATE);

    ctx.log(`Chromium: page closed with ${CLOSED_WITH} rows queued, stored and not`);
    const { closes, storage } = await pageClosedWithQueued(local, run);

    const perSecond = (o: Outcome) => o.events / o.seconds;
    const rows = [0, FAILURE_RATE].flatMap((failureRate) => {
      const tag = `${Math.round(failureRate * 100)}`;
      const queue = outcomes[`queue-${tag}`]!;
      const naive = outcomes[`naive-${tag}`]!;
      const label = `${tag} % injected failures`;
      return [
        [
          `EventQueue (useAppend), ${label}`,
          int(queue.events),
          int(queue.requests),
          int(queue.injected),
          int(perSecond(queue)),
          int(queue.lost),
          int(queue.duplicates),
          int(queue.requests * (EVENTS / queue.events)),
        ],
        [
          `one POST per event, ${label}`,
          int(naive.events),
          int(naive.requests),
          int(naive.injected),
          int(perSecond(naive)),
          int(naive.lost),
          int(naive.duplicates),
          int(naive.requests * (EVENTS / naive.events)),
        ],
      ];
    });
    const lostAnswers = outcomes['queue-lost']!;
    rows.push([
      `EventQueue (useAppend), ${FAILURE_RATE * 100} % of answers lost after the server stored the batch`,
      int(lostAnswers.events),
      int(lostAnswers.requests),
      int(lostAnswers.injected),
      int(perSecond(lostAnswers)),
      int(lostAnswers.lost),
      int(lostAnswers.duplicates),
      int(lostAnswers.requests * (EVENTS / lostAnswers.events)),
    ]);
    const q0 = outcomes['queue-0']!;
    const n0 = outcomes['naive-0']!;
    const n10 = outcomes[`naive-${Math.round(FAILURE_RATE * 100)}`]!;
    return {
      summary:
        `Alternative: one \`fetch\` POST to the Events API per event. The queue sends ${int(EVENTS)} events in ${int(q0.requests)} requests ` +
        `(one per ${int(EVENTS / q0.requests)} events) at ${ratio(perSecond(q0), perSecond(n0))} the events/s, and loses none when ` +
        `${FAILURE_RATE * 100} % of requests fail, where POST-per-event loses ${int(n10.lost)} of ${int(n10.events)} (it runs for ${NAIVE_SECONDS} s). ` +
        `Delivery is at-least-once: with ${FAILURE_RATE * 100} % of answers lost after the server stored the batch, ` +
        `${int(lostAnswers.duplicates)} of ${int(EVENTS)} events arrived twice and none was lost.`,
      tables: [
        {
          caption: `Page closed with ${CLOSED_WITH} rows queued (Chromium, tab closed right after append, then the page opened again)`,
          columns: ['Unsent rows', 'Sent at close (keepalive)', 'Sent on the next visit', 'Lost', 'Duplicates'],
          rows: closes.map((c) => [
            c.persist ? 'stored in localStorage (default)' : 'memory only (`persist: false`)',
            int(c.atClose),
            int(c.afterReopen),
            int(c.lost),
            int(c.duplicates),
          ]),
        },
        {
          caption: `Writing the stored entry of ${CLOSED_WITH} rows (${int(storage.bytes!)} characters), median of 20, in the page`,
          columns: ['Storage', 'Write', 'Finishes inside pagehide'],
          rows: [
            ['localStorage.setItem', ms(storage.localStorageMs!), 'yes: synchronous'],
            ['IndexedDB put + transaction complete', ms(storage.indexedDbMs!), 'not guaranteed: asynchronous'],
          ],
        },
        {
          columns: [
            'Way',
            'Events',
            'HTTP requests',
            'Injected failures',
            'Events/s',
            'Events lost',
            'Duplicates',
            `Requests per ${int(EVENTS)} events`,
          ],
          rows,
        },
      ],
      checks: [
        ...closes
          .filter((c) => c.persist)
          .map((c) =>
            check(
              `page closed with ${CLOSED_WITH} queued: every row arrives once`,
              c.lost === 0 && c.duplicates === 0,
              `${c.lost} lost, ${c.duplicates} duplicated`,
            ),
          ),
        check(
          'EventQueue loses no events when answers are lost (at-least-once: those batches arrive twice)',
          lostAnswers.lost === 0,
          `${lostAnswers.lost} lost, ${lostAnswers.duplicates} duplicated`,
        ),
        ...Object.entries(outcomes)
          .filter(([key]) => key.startsWith('queue') && key !== 'queue-lost')
          .map(([key, o]) =>
            check(
              `EventQueue loses no events (${key.replace('queue-', '')} % failures)`,
              o.lost === 0 && o.duplicates === 0,
              `${o.lost} lost, ${o.duplicates} duplicated`,
            ),
          ),
      ],
      notes: [
        `Loopback local server behind a counting proxy; the failures (half 503, half a reset connection) are injected before the request reaches the server, ` +
          `except in the lost-answers row, where the server stores the batch and the proxy then resets the connection. ` +
          `POST-per-event runs for ${NAIVE_SECONDS} s over ${NAIVE_CONNECTIONS} connections (a browser's limit per origin) and ignores errors, as a bare fetch does; its requests per ${int(EVENTS)} events are 1:1 by construction.`,
      ],
      data: { outcomes, failureRate: FAILURE_RATE, closes, storage },
    };
  },
};
