import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { repoRoot } from './bundle';
import type { LocalTinybird } from './section';
import { createTinybirdJWT, type TinybirdScope } from '../../src/server/index';

export interface LocalProcess extends LocalTinybird {
  pid: number;
  /** Resident memory of the server process, from /proc (bytes); NaN once it has exited. */
  rss(): number;
  /** Whether the server process is still running. */
  alive(): boolean;
  /** Times `sql` `n` times on chDB directly inside the server process (ms each): the engine without HTTP. */
  /** Times `sql` run `n` times on chDB directly in the server's process, each after `pauseMs` idle (default none). */
  rawQuery(sql: string, n: number, pauseMs?: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface LocalProcessOptions {
  /** Demo bookings to seed; default the server's own (200,000). */
  seedRows?: number;
  /** Read sessions per kind (queryLimits.concurrency); default the server's own. */
  queryConcurrency?: number;
  /**
   * The child script to run (default bench/lib/local-child.ts): another copy of it serves another build of the server,
   * e.g. an older commit's sources extracted next to it.
   */
  childScript?: string;
  /** The project folders to serve, merged into one (default the demo project + bench/project, seeded). */
  projects?: string[];
  /** Serve `projects` with their own fixtures instead of seeding demo bookings. */
  fixtures?: boolean;
}

/** Starts a seeded local server (demo project + bench/project) in a child process on a random port. */
export async function startLocalProcess(
  log: (message: string) => void,
  options: LocalProcessOptions = {},
): Promise<LocalProcess> {
  const env = { ...process.env };
  if (options.seedRows !== undefined) env.BENCH_SEED_ROWS = String(options.seedRows);
  if (options.queryConcurrency !== undefined) env.BENCH_QUERY_CONCURRENCY = String(options.queryConcurrency);
  if (options.fixtures) env.BENCH_FIXTURES = '1';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      options.childScript ?? `${repoRoot}bench/lib/local-child.ts`,
      ...(options.projects ?? [`${repoRoot}examples/tinybird`, `${repoRoot}bench/project`]),
    ],
    { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const queue: ((line: string) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  lines.on('line', (line) => queue.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      queue.push(resolve);
      void exited.then((code) => reject(new Error(`the local server process exited (${code}) before answering`)));
    });

  log(`starting a ${options.fixtures ? 'local server with fixtures' : 'seeded local server'} in a child process`);
  const t0 = performance.now();
  const ready = JSON.parse(await nextLine()) as LocalTinybird;
  log(`local server ready at ${ready.url} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    ...ready,
    pid: child.pid!,
    rss() {
      if (child.exitCode !== null || child.signalCode !== null) return Number.NaN;
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async rawQuery(sql, n, pauseMs) {
      const answer = nextLine();
      child.stdin!.write(`${JSON.stringify({ op: 'raw', sql, n, pauseMs })}\n`);
      return (JSON.parse(await answer) as { times: number[] }).times;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      // A process that crashed inside chDB can hang instead of exiting: give it 15 s, then kill it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let shared: Promise<LocalProcess> | undefined;

/** Demo rows in the shared server: enough for real queries, few enough that client overhead is not lost in query time. */
export const SHARED_SEED_ROWS = 20_000;

/** The one local server the sections share, started on first use. */
export function startLocal(log: (message: string) => void): Promise<LocalProcess> {
  shared ??= startLocalProcess(log, { seedRows: SHARED_SEED_ROWS });
  return shared;
}

export async function closeLocal(): Promise<void> {
  const server = await shared?.catch(() => undefined);
  shared = undefined;
  await server?.close();
}

/** An hour-long JWT for a bench section, signed with the local server's admin token as a token route would. */
export function benchToken(local: LocalTinybird, name: string, scopes: TinybirdScope[]): Promise<string> {
  return createTinybirdJWT({
    signingKey: local.adminToken,
    workspaceId: local.workspaceId,
    name,
    expiresIn: '1h',
    scopes,
  });
}
