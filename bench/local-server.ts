import { spawn } from 'node:child_process';
import { repoRoot } from './lib/bundle';
import { benchToken, startLocalProcess, type LocalProcess } from './lib/local';
import type { Section } from './lib/section';
import { int, ms, ratio, summarize, type LatencySummary } from './lib/stats';

const PIPE = 'top_airlines';
/** What top_airlines.pipe runs, written out, to time chDB itself on the same data. */
const TOP_AIRLINES_SQL =
  'SELECT airline, count() AS bookings, sum(passengers) AS passengers, round(sum(price), 2) AS revenue FROM events GROUP BY airline ORDER BY bookings DESC, airline LIMIT 10';
const SEQUENTIAL = 1_000;
const SINGLE_APPENDS = 300;
const BULK_APPENDS = 20;
const BULK_ROWS = 10_000;
const LOAD_CONNECTIONS = 8;
const LOAD_SECONDS = 5;

async function timed(n: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  return times;
}

async function expectOk(response: Response): Promise<void> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** autocannon in its own process (never in the server's), fixed connections and duration. */
function autocannon(url: string, headers: Record<string, string>, extra: string[] = []): Promise<Load> {
  const args = [
    `${repoRoot}node_modules/autocannon/autocannon.js`,
    '-j',
    '-c',
    String(LOAD_CONNECTIONS),
    '-d',
    String(LOAD_SECONDS),
    ...extra,
  ];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const r = JSON.parse(out) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        requestsPerSecond: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

export const localServerSection: Section = {
  id: 'local',
  title: 'Local server',
  async run(ctx) {
    // Its own fresh process: idle and after-load memory then belong to this section alone.
    const local: LocalProcess = await startLocalProcess(ctx.log);
    try {
      const rssIdle = local.rss();
      const token = await benchToken(local, 'bench_local', [
        { type: 'PIPES:READ', resource: PIPE },
        { type: 'DATASOURCES:APPEND', resource: 'bench_events' },
      ]);
      const auth = { Authorization: `Bearer ${token}` };
      const pipeUrl = `${local.url}/v0/pipes/${PIPE}.json`;
      const eventsUrl = `${local.url}/v0/events?name=bench_events&wait=true`;
      const row = (seq: number) =>
        JSON.stringify({ variant: 'local', seq, timestamp: '2026-01-01 00:00:00.000', airline: 'KLM', price: 9.99 });
      const bulkBody = Array.from({ length: BULK_ROWS }, (_, i) => row(i)).join('\n');

      ctx.log(`${SEQUENTIAL} sequential ${PIPE} queries`);
      await timed(50, async () => expectOk(await fetch(pipeUrl, { headers: auth })));
      const pipe = summarize(await timed(SEQUENTIAL, async () => expectOk(await fetch(pipeUrl, { headers: auth }))));
      const raw = summarize(await local.rawQuery(TOP_AIRLINES_SQL, SEQUENTIAL));
      const rawPaused = summarize(await local.rawQuery(TOP_AIRLINES_SQL, SEQUENTIAL, 1));
      ctx.log(`${SINGLE_APPENDS} single-row and ${BULK_APPENDS} × ${int(BULK_ROWS)}-row appends`);
      const post = (body: string) =>
        fetch(eventsUrl, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-ndjson' }, body });
      const single = summarize(await timed(SINGLE_APPENDS, async (i) => expectOk(await post(row(i)))));
      const bulk = summarize(await timed(BULK_APPENDS, async () => expectOk(await post(bulkBody))));

      ctx.log(`autocannon: ${LOAD_CONNECTIONS} connections × ${LOAD_SECONDS} s on ${PIPE}, then on /v0/events`);
      const pipeLoad = await autocannon(pipeUrl, auth);
      const appendLoad = await autocannon(eventsUrl, { ...auth, 'Content-Type': 'application/x-ndjson' }, [
        '-m',
        'POST',
        '-b',
        row(0),
      ]);
      // Writes are serialized: one more append returns once those autocannon left queued are written.
      await expectOk(await post(row(0)));
      const rssAfter = local.rss();

      const seqRow = (label: string, s: LatencySummary, extra: string) => [
        label,
        int(s.n),
        ms(s.p50),
        ms(s.p99),
        extra,
      ];
      const loadRow = (label: string, l: Load) => [
        label,
        int(l.requestsPerSecond),
        ms(l.p50, 0),
        ms(l.p99, 0),
        int(l.non2xx + l.errors),
      ];
      return {
        summary:
          `Alternative: Tinybird Local (a Docker image; no Docker on this machine, so no side-by-side figure) or the cloud API over the internet. ` +
          `Against chDB queried directly on the same data, HTTP + JWT check + pipe rendering make a ${PIPE} call ${ratio(pipe.p50, raw.p50)} ` +
          `the engine's own p50 (${ms(pipe.p50)} vs ${ms(raw.p50)}).`,
        tables: [
          {
            caption: 'Sequential latency over loopback (one request at a time):',
            columns: ['Request', 'n', 'p50', 'p99', 'Note'],
            rows: [
              seqRow(`GET ${PIPE}.json (JWT)`, pipe, `${ratio(pipe.p50, raw.p50)} of chDB direct`),
              seqRow(`chDB direct, same SQL (no HTTP)`, raw, 'the engine alone, queries back to back'),
              seqRow(
                `chDB direct, 1 ms pause before each`,
                rawPaused,
                `${ratio(rawPaused.p50, raw.p50)}: chDB's own cost of the gap every HTTP call leaves`,
              ),
              seqRow('POST /v0/events, 1 row, wait=true', single, ''),
              seqRow(
                `POST /v0/events, ${int(BULK_ROWS)} rows, wait=true`,
                bulk,
                `${int(BULK_ROWS / (bulk.p50 / 1000))} rows/s at p50`,
              ),
            ],
          },
          {
            caption: `Bounded load: autocannon, ${LOAD_CONNECTIONS} connections, ${LOAD_SECONDS} s, separate process:`,
            columns: ['Request', 'Requests/s', 'p50', 'p99', 'Errors + non-2xx'],
            rows: [loadRow(`GET ${PIPE}.json`, pipeLoad), loadRow('POST /v0/events, 1 row, wait=true', appendLoad)],
          },
          {
            caption: 'Server process memory:',
            columns: ['When', 'RSS'],
            rows: [
              ['idle, after seeding', `${int(rssIdle / 2 ** 20)} MB`],
              ['after the load above', `${int(rssAfter / 2 ** 20)} MB`],
            ],
          },
        ],
        checks: [],
        notes: [
          `The server runs in its own Node process with a temp dataDir, seeded with the demo data; the client is the bench process.`,
        ],
        data: { pipe, raw, rawPaused, single, bulk, pipeLoad, appendLoad, rssIdle, rssAfter },
      };
    } finally {
      await local.close();
    }
  },
};
