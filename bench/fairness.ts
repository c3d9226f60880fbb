// One token's slow Query API call and another token's quick ones, on a server with one read session (every query in
// one line, as before the pools) and on one with the default pool of two sessions served in turns.
import { benchToken, startLocalProcess } from './lib/local';
import type { Section } from './lib/section';
import { goal } from './lib/section';
import { int, ms, ratio, summarize, type LatencySummary } from './lib/stats';

/** ~10^8 row pairs: a second or more of work on 2 cores, well inside the 30 s limit. */
const SLOW =
  'SELECT count() AS n FROM events AS a, (SELECT price FROM events LIMIT 5000) AS b WHERE a.price + b.price < 0';
const QUICK = "SELECT count() AS n FROM events WHERE user_id = 'u_1'";
const QUICK_ALONE = 30;

interface Run {
  slowMs: number;
  alone: LatencySummary;
  during: LatencySummary;
}

async function measure(concurrency: number, log: (m: string) => void): Promise<Run> {
  const local = await startLocalProcess(log, { seedRows: 20_000, queryConcurrency: concurrency });
  try {
    const scopes = [{ type: 'DATASOURCES:READ' as const, resource: 'events' }];
    const slowToken = await benchToken(local, 'bench_slow', scopes);
    const quickToken = await benchToken(local, 'bench_quick', scopes);
    const call = async (sql: string, token: string) => {
      const res = await fetch(`${local.url}/v0/sql?q=${encodeURIComponent(sql)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const timedCall = async (sql: string, token: string) => {
      const t0 = performance.now();
      await call(sql, token);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) await call(QUICK, quickToken);
    const alone: number[] = [];
    for (let i = 0; i < QUICK_ALONE; i++) alone.push(await timedCall(QUICK, quickToken));
    log(`concurrency ${concurrency}: quick calls while one slow query runs`);
    let slowDone = false;
    const t0 = performance.now();
    const slow = call(SLOW, slowToken).then(() => {
      slowDone = true;
      return performance.now() - t0;
    });
    const during: number[] = [];
    await new Promise((r) => setTimeout(r, 50));
    while (!slowDone) during.push(await timedCall(QUICK, quickToken));
    return { slowMs: await slow, alone: summarize(alone), during: summarize(during) };
  } finally {
    await local.close();
  }
}

export const fairnessSection: Section = {
  id: 'fairness',
  title: 'Query fairness',
  async run(ctx) {
    const single = await measure(1, ctx.log);
    const pooled = await measure(2, ctx.log);
    const row = (label: string, r: Run) => [
      label,
      ms(r.slowMs, 0),
      ms(r.alone.p50),
      int(r.during.n),
      ms(r.during.p50),
      ms(r.during.p99, 0),
    ];
    return {
      summary:
        `While one token's ${ms(pooled.slowMs, 0)} query runs, another token's quick query answers at p50 ${ms(pooled.during.p50)} ` +
        `with two read sessions served in turns, against ${ms(single.during.p50)} (it waits for the slow one) with one.`,
      tables: [
        {
          caption: 'Quick Query API calls of token B while token A runs one slow query (20,000 seeded rows):',
          columns: [
            'Read sessions',
            'Slow query',
            'Quick p50 alone',
            'Quick calls during',
            'Quick p50 during',
            'Quick p99 during',
          ],
          rows: [row('1 (one line for all)', single), row('2, turns per token (default)', pooled)],
        },
      ],
      checks: [
        goal(
          'a quick query is not held up by another token’s slow one',
          pooled.during.p50 < pooled.slowMs / 4,
          `p50 during ${ms(pooled.during.p50)} vs slow ${ms(pooled.slowMs, 0)} (${ratio(pooled.during.p50, pooled.alone.p50)} of alone)`,
        ),
      ],
      notes: ['Each server runs in its own process; the quick calls are sequential, so "during" counts how many fit.'],
      data: { single, pooled },
    };
  },
};
