import { benchToken } from './lib/local';
import { createTinybirdClient } from '../src/index';
import { startProxy } from './lib/proxy';
import { check, type LocalTinybird, type Section } from './lib/section';
import { int, ratio } from './lib/stats';

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
): Promise<Outcome> {
  const proxy = await startProxy({ target: local.url, failureRate });
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
    injected: proxy.stats.injected,
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
    const q0 = outcomes['queue-0']!;
    const n0 = outcomes['naive-0']!;
    const n10 = outcomes[`naive-${Math.round(FAILURE_RATE * 100)}`]!;
    return {
      summary:
        `Alternative: one \`fetch\` POST to the Events API per event. The queue sends ${int(EVENTS)} events in ${int(q0.requests)} requests ` +
        `(one per ${int(EVENTS / q0.requests)} events) at ${ratio(perSecond(q0), perSecond(n0))} the events/s, and loses none when ` +
        `${FAILURE_RATE * 100} % of requests fail, where POST-per-event loses ${int(n10.lost)} of ${int(n10.events)}.`,
      tables: [
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
      checks: Object.entries(outcomes)
        .filter(([key]) => key.startsWith('queue'))
        .map(([key, o]) =>
          check(
            `EventQueue loses no events (${key.replace('queue-', '')} % failures)`,
            o.lost === 0 && o.duplicates === 0,
            `${o.lost} lost, ${o.duplicates} duplicated`,
          ),
        ),
      notes: [
        `Loopback local server behind a counting proxy; the failures (half 503, half a reset connection) are injected before the request reaches the server. ` +
          `POST-per-event runs for ${NAIVE_SECONDS} s over ${NAIVE_CONNECTIONS} connections (a browser's limit per origin) and ignores errors, as a bare fetch does; its requests per ${int(EVENTS)} events are 1:1 by construction.`,
      ],
      data: { outcomes, failureRate: FAILURE_RATE },
    };
  },
};
