// The local server under hostile input (issue 22's attacks on templates, pools and request bodies), each sent to the
// server as it was before the fixes (BENCH_HOSTILE_BEFORE, default f29c949, extracted with git archive) and to today's,
// in one run: the answer, how long it took, how long /v0/health took at worst meanwhile, the server's RSS after it,
// and whether the server survived. A server that died is started again for the next attack.
import { gzipSync } from 'node:zlib';
import { beforeBuild } from './lib/before-build';
import { benchToken, startLocalProcess, type LocalProcess } from './lib/local';
import type { Section } from './lib/section';
import { check, goal } from './lib/section';
import { ms } from './lib/stats';

const BEFORE = process.env.BENCH_HOSTILE_BEFORE ?? 'f29c949';
const SEED_ROWS = 20_000;
/** ~10^8 row pairs: a second or more of work on 2 cores (the fairness section's slow query). */
const SLOW =
  'SELECT count() AS n FROM events AS a, (SELECT price FROM events LIMIT 5000) AS b WHERE a.price + b.price < 0';

interface Outcome {
  /** The status (several, comma-separated, when the attack sends several requests), or why there was none. */
  answer: string;
  /** How long the attack took; for the pool attack, how long token B's SELECT 1 took. */
  ms: number;
  healthWorstMs: number;
  rssMiB: number;
  alive: boolean;
}

interface Attack {
  name: string;
  issue: string;
  run(server: Server): Promise<{ answer: string; ms?: number }>;
}

interface Server {
  local: LocalProcess;
  admin: string;
  /** A token that may read `events` (the attacker: any token that may call the Query API). */
  reader: string;
  other: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long any one request may take before the server counts as not answering (a crashed chDB can hang). */
const NO_ANSWER_MS = 90_000;
const deadline = () => AbortSignal.timeout(NO_ANSWER_MS);

async function status(response: Promise<Response>): Promise<string> {
  try {
    const res = await response;
    await res.arrayBuffer();
    return String(res.status);
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'no answer' : 'connection lost';
  }
}

/** The server answers /v0/health within 5 s (a process can outlive its crash, hung). */
async function answers(server: Server): Promise<boolean> {
  if (!server.local.alive()) return false;
  try {
    return (await fetch(`${server.local.url}/v0/health`, { signal: AbortSignal.timeout(5_000) })).ok;
  } catch {
    return false;
  }
}

function postSql(server: Server, body: Record<string, unknown>, token = server.reader): Promise<string> {
  return status(
    fetch(`${server.local.url}/v0/sql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: deadline(),
    }),
  );
}

const ATTACKS: Attack[] = [
  {
    name: "Token B's SELECT 1 while token A runs 3 slow queries (Query API)",
    issue: '8 / required 4',
    async run(server) {
      const slow = Array.from({ length: 3 }, () =>
        status(
          fetch(`${server.local.url}/v0/sql?q=${encodeURIComponent(SLOW)}`, {
            headers: bearer(server.reader),
            signal: deadline(),
          }),
        ),
      );
      await sleep(300);
      const t0 = performance.now();
      const quick = await status(
        fetch(`${server.local.url}/v0/sql?q=SELECT%201`, { headers: bearer(server.other), signal: deadline() }),
      );
      const took = performance.now() - t0;
      const slowAnswers = await Promise.all(slow);
      return { answer: `${quick} (A: ${slowAnswers.join(',')})`, ms: took };
    },
  },
  {
    name: 'An 80-byte q looping 100,000 times',
    issue: '3 / required 2',
    run: (server) => postSql(server, { q: '%\nSELECT 1 {% for i in range(100000) %}{{i}}{% end %}' }).then(answer),
  },
  {
    name: '20,000 {##} tags, one per line (100 KB)',
    issue: '4 / required 2',
    run: (server) => postSql(server, { q: `%\nSELECT 1 ${'{##}\n'.repeat(20_000)}` }).then(answer),
  },
  {
    name: '30 distinct q texts of 20 MB (20 KB gzipped each)',
    issue: '6 / required 2',
    async run(server) {
      const answers = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const body = gzipSync(JSON.stringify({ q: `%\nSELECT ${i} ${' '.repeat(20 * 1024 * 1024)}` }));
        answers.add(
          await status(
            fetch(`${server.local.url}/v0/sql`, {
              method: 'POST',
              headers: { ...bearer(server.reader), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
              body,
              signal: deadline(),
            }),
          ),
        );
      }
      return { answer: [...answers].join(',') };
    },
  },
  {
    name: 'A string doubled 30 times ({% set a = a + a %})',
    issue: 'also 5xx / required 5',
    run: (server) =>
      postSql(server, { q: `%\n{% set a = 'xx' %}${'{% set a = a + a %}'.repeat(30)}SELECT {{ len(a) }}` }).then(
        answer,
      ),
  },
  {
    name: 'Brackets nested 3,000 levels in a template',
    issue: 'also 5xx / required 5',
    run: (server) => postSql(server, { q: `%\nSELECT {{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}` }).then(answer),
  },
  {
    name: 'Blocks nested 3,000 levels in a template',
    issue: 'also 5xx / required 5',
    run: (server) =>
      postSql(server, { q: `%\nSELECT 1 ${'{% if 1 %}'.repeat(3000)}${'{% end %}'.repeat(3000)}` }).then(answer),
  },
  {
    name: 'Multipart without a boundary on POST /v0/datasources',
    issue: 'also 5xx / required 5',
    run: (server) =>
      status(
        fetch(`${server.local.url}/v0/datasources?mode=append&name=events`, {
          method: 'POST',
          headers: { ...bearer(server.admin), 'Content-Type': 'multipart/form-data' },
          body: 'garbage',
          signal: deadline(),
        }),
      ).then(answer),
  },
  {
    name: 'A list doubled 30 times (104-byte q)',
    issue: '5 / required 2',
    run: (server) =>
      postSql(server, { q: `%\n{% set a = [1] %}${'{% set a = a + a %}'.repeat(30)}SELECT {{ len(a) }}` }).then(answer),
  },
];

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const answer = (a: string) => ({ answer: a });

/** Runs `attack` while polling /v0/health every 20 ms. */
async function measure(server: Server, attack: Attack): Promise<Outcome> {
  let done = false;
  const health: number[] = [];
  const poll = (async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        await (await fetch(`${server.local.url}/v0/health`, { signal: deadline() })).arrayBuffer();
      } catch {
        // A kept-alive connection can be reset once a blocked server wakes up: the wait still counts. A dead or
        // hung server ends the polling.
        if (!server.local.alive()) break;
        if (performance.now() - t0 >= NO_ANSWER_MS) {
          health.push(Number.POSITIVE_INFINITY); // no answer at all
          break;
        }
      }
      health.push(performance.now() - t0);
      await sleep(20);
    }
  })();
  const t0 = performance.now();
  const result = await attack.run(server);
  const took = performance.now() - t0;
  done = true;
  await poll;
  await sleep(500); // lets a dying process finish dying before it is judged
  const alive = await answers(server);
  return {
    answer: result.answer,
    ms: result.ms ?? took,
    healthWorstMs: Math.max(0, ...health),
    rssMiB: server.local.rss() / 2 ** 20,
    alive,
  };
}

async function start(log: (m: string) => void, childScript?: string): Promise<Server> {
  const local = await startLocalProcess(log, {
    seedRows: SEED_ROWS,
    ...(childScript !== undefined && { childScript }),
  });
  const scopes = [{ type: 'DATASOURCES:READ' as const, resource: 'events' }];
  return {
    local,
    admin: local.adminToken,
    reader: await benchToken(local, 'bench_attacker', scopes),
    other: await benchToken(local, 'bench_bystander', scopes),
  };
}

async function runAll(log: (m: string) => void, label: string, childScript?: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let server = await start(log, childScript);
  try {
    for (const attack of ATTACKS) {
      if (!(await answers(server))) {
        log(`${label}: the server died (or hangs), starting another`);
        await server.local.close();
        server = await start(log, childScript);
      }
      log(`${label}: ${attack.name}`);
      outcomes.push(await measure(server, attack));
    }
  } finally {
    await server.local.close();
  }
  return outcomes;
}

const mib = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} MiB` : 'n/a');
const wait = (n: number) => (n === Number.POSITIVE_INFINITY ? `none in ${NO_ANSWER_MS / 1000} s` : ms(n, 0));
const cell = (o: Outcome) => [
  o.answer,
  ms(o.ms, 0),
  wait(o.healthWorstMs),
  mib(o.rssMiB),
  o.alive ? 'yes' : 'DIED (or hung)',
];

export const hostileSection: Section = {
  id: 'hostile',
  title: 'Hostile input',
  async run(ctx) {
    ctx.log(`extracting the server of ${BEFORE}`);
    const before = await runAll(ctx.log, `before (${BEFORE})`, beforeBuild(BEFORE));
    const after = await runAll(ctx.log, 'after');
    const died = before.filter((o) => !o.alive).length;
    const worstBefore = Math.max(...before.map((o) => o.healthWorstMs));
    const worstAfter = Math.max(...after.map((o) => o.healthWorstMs));
    const fiveHundreds = (os: Outcome[]) =>
      os.filter((o) => /\b5\d\d\b|no answer|connection lost/.test(o.answer)).length;
    return {
      summary:
        `Issue 22's attacks against the server of ${BEFORE} and today's, in this run: before, ${died} of ${ATTACKS.length} ` +
        `killed the process, ${fiveHundreds(before)} got a 5xx or no answer and health ${worstBefore === Number.POSITIVE_INFINITY ? `went unanswered for ${NO_ANSWER_MS / 1000} s` : `waited up to ${ms(worstBefore, 0)}`}; ` +
        `today every one is answered 4xx (or 200) with the process alive, health waiting at most ${ms(worstAfter, 0)}.`,
      tables: [
        {
          caption: `Each attack against the server before (${BEFORE}) and after; health is polled every 20 ms meanwhile (${SEED_ROWS.toLocaleString('en-US')} seeded rows):`,
          columns: [
            'Attack (issue item)',
            'Before: answer',
            'time',
            'health worst',
            'RSS after',
            'alive',
            'After: answer',
            'time',
            'health worst',
            'RSS after',
            'alive',
          ],
          rows: ATTACKS.map((a, i) => [`${a.name} (${a.issue})`, ...cell(before[i]!), ...cell(after[i]!)]),
        },
      ],
      checks: [
        check(
          'today no attack kills the server',
          after.every((o) => o.alive),
          `${after.filter((o) => !o.alive).length} died`,
        ),
        check(
          'today no attack gets a 5xx or no answer',
          fiveHundreds(after) === 0,
          after.map((o) => o.answer).join('; '),
        ),
        goal(
          "today health never waits a second, and token B's SELECT 1 is not held by A's slow queries",
          worstAfter < 1000 && after[0]!.ms < 1000,
          `health worst ${ms(worstAfter, 0)}, B's SELECT 1 ${ms(after[0]!.ms, 0)}`,
        ),
      ],
      notes: [
        `"Before" is the server of commit ${BEFORE} (the parent of the fixes; BENCH_HOSTILE_BEFORE picks another), started from its sources in a temp folder; a server that died is restarted for the next attack, which then starts with a fresh RSS.`,
        "The 20 MB texts stand for the issue's 45 MB ones (98 of which exhausted the heap): the RSS after 30 of them shows whether they are kept.",
      ],
      data: { before: BEFORE, attacks: ATTACKS.map((a) => a.name), beforeOutcomes: before, afterOutcomes: after },
    };
  },
};
