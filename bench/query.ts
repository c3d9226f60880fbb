import { createTinybirdClient } from '../src/index';
import { goal, type Section } from './lib/section';
import { SHARED_SEED_ROWS, benchToken } from './lib/local';
import { int, ms, ratio, summarize, type LatencySummary } from './lib/stats';

const PIPE = 'top_airlines';
const PARAMS = { limit: 10 };
const N = 1_000;
const WARMUP = 50;
/** About what a dashboard fires at once on load. */
const BATCH = 10;
const GOAL = 1.05;

type Query = () => Promise<unknown>;

/** Times `run` once per call, alternating the two contenders so drift (GC, chDB caches) hits both alike. */
async function sequential(a: Query, b: Query, n: number): Promise<[number[], number[]]> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < n; i += 1) {
    for (const [run, into] of i % 2 === 0
      ? ([
          [a, ta],
          [b, tb],
        ] as const)
      : ([
          [b, tb],
          [a, ta],
        ] as const)) {
      const t0 = performance.now();
      await run();
      into.push(performance.now() - t0);
    }
  }
  return [ta, tb];
}

/** Batches of `batch` concurrent queries, alternating contenders per batch; each query's own latency is recorded. */
async function concurrent(a: Query, b: Query, n: number, batch: number): Promise<[number[], number[]]> {
  const ta: number[] = [];
  const tb: number[] = [];
  const runBatch = (run: Query, into: number[]) =>
    Promise.all(
      Array.from({ length: batch }, async () => {
        const t0 = performance.now();
        await run();
        into.push(performance.now() - t0);
      }),
    );
  for (let i = 0; i < n / batch; i += 1) {
    if (i % 2 === 0) {
      await runBatch(a, ta);
      await runBatch(b, tb);
    } else {
      await runBatch(b, tb);
      await runBatch(a, ta);
    }
  }
  return [ta, tb];
}

export const querySection: Section = {
  id: 'query',
  title: 'Query overhead',
  async run(ctx) {
    const local = await ctx.local();
    const token = await benchToken(local, 'bench_query', [{ type: 'PIPES:READ', resource: PIPE }]);
    const client = createTinybirdClient({ baseUrl: local.url, token });
    const url = `${local.url}/v0/pipes/${PIPE}.json?limit=${PARAMS.limit}`;
    const viaClient: Query = () => client.query(PIPE, PARAMS);
    // The bare minimum a hand-written call does: one fetch with the header, status check, JSON parse.
    const viaFetch: Query = async () => {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return response.json();
    };

    // Both answer the same rows (a wrong comparison would be worse than none).
    const [a, b] = (await Promise.all([viaClient(), viaFetch()])) as [{ data: unknown }, { data: unknown }];
    if (JSON.stringify(a.data) !== JSON.stringify(b.data))
      throw new Error('TinybirdClient and fetch returned different rows');

    ctx.log(`warm-up ${WARMUP}`);
    await sequential(viaClient, viaFetch, WARMUP);
    ctx.log(`${N} sequential queries each`);
    const [seqClient, seqFetch] = (await sequential(viaClient, viaFetch, N)).map(summarize) as [
      LatencySummary,
      LatencySummary,
    ];
    ctx.log(`${N} concurrent queries each (batches of ${BATCH})`);
    const [conClient, conFetch] = (await concurrent(viaClient, viaFetch, N, BATCH)).map(summarize) as [
      LatencySummary,
      LatencySummary,
    ];
    client.dispose();

    const row = (mode: string, ours: LatencySummary, theirs: LatencySummary) => [
      mode,
      ms(ours.p50),
      ms(theirs.p50),
      ratio(ours.p50, theirs.p50),
      ms(ours.p99),
      ms(theirs.p99),
      ratio(ours.p99, theirs.p99),
    ];
    const p50Ratio = Math.max(seqClient.p50 / seqFetch.p50, conClient.p50 / conFetch.p50);
    return {
      summary:
        `Alternative: a hand-written \`fetch\` with an \`Authorization: Bearer\` header. TinybirdClient adds token handling, ` +
        `typed errors and retries; its p50 is ${ratio(seqClient.p50, seqFetch.p50)} (sequential) and ` +
        `${ratio(conClient.p50, conFetch.p50)} (concurrent) of the bare fetch (goal <= ${GOAL}).`,
      tables: [
        {
          columns: [
            `${N} × ${PIPE} (limit ${PARAMS.limit})`,
            'TinybirdClient p50',
            'fetch p50',
            'p50 ratio',
            'TinybirdClient p99',
            'fetch p99',
            'p99 ratio',
          ],
          rows: [row('sequential', seqClient, seqFetch), row(`concurrent, batches of ${BATCH}`, conClient, conFetch)],
        },
      ],
      checks: [goal(`p50 ratio <= ${GOAL}`, p50Ratio <= GOAL, `worst ${p50Ratio.toFixed(3)}`)],
      notes: [
        `Same loopback local server (its own process, ${int(SHARED_SEED_ROWS)} demo bookings), same JWT; contenders interleaved query by query (sequential) and batch by batch (concurrent).`,
      ],
      data: {
        sequential: { client: seqClient, fetch: seqFetch },
        concurrent: { client: conClient, fetch: conFetch, batch: BATCH },
      },
    };
  },
};
