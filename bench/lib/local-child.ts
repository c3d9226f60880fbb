/**
 * Runs one local server in its own process (chDB allows one data dir per process, and a server apart from the bench
 * measures like the separate process it is in real use). Prints one JSON line with its address when ready, then answers
 * JSON-line requests on stdin: `{"op":"raw","sql":"...","n":500,"pauseMs":1}` times the same SQL on chDB directly
 * (with an optional pause before each query).
 * Exits, removing its temp folders, when stdin closes or on SIGTERM.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startLocalServer } from '../../src/local/index';

const [, , ...projectDirs] = process.argv;
const work = await mkdtemp(join(tmpdir(), 'react-tinybird-bench-'));
const project = join(work, 'project');
const dataDir = join(work, 'data');
// The demo project plus the bench's own data source and pipe, in one folder as the server expects.
for (const dir of projectDirs) {
  for (const file of await readdir(dir)) await cp(join(dir, file), join(project, file), { recursive: true });
}

// BENCH_SEED_ROWS: demo bookings to seed (default: the server's own default, 200,000).
const rows = process.env.BENCH_SEED_ROWS ? Number(process.env.BENCH_SEED_ROWS) : undefined;
// BENCH_QUERY_CONCURRENCY: read sessions per kind (default: the server's own, 2); 1 is one query at a time.
const concurrency = process.env.BENCH_QUERY_CONCURRENCY ? Number(process.env.BENCH_QUERY_CONCURRENCY) : undefined;
// BENCH_FIXTURES=1: a project that brings its own data (fixtures/, e.g. the web analytics starter kit), not the demo's.
const fixtures = process.env.BENCH_FIXTURES === '1';
const server = await startLocalServer({
  project,
  port: 0,
  dataDir,
  seed: fixtures ? false : rows !== undefined ? { rows } : true,
  fixtures,
  ...(concurrency !== undefined && { queryLimits: { concurrency } }),
});
let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  // chDB's background threads may still be finishing a merge: retry, and never fail the run over a temp folder.
  await rm(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch((error: unknown) => {
    process.stderr.write(`could not remove ${work}: ${String(error)}\n`);
  });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.stdin.on('end', () => void shutdown());

let session: import('chdb').Session | undefined;
createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line) as { op: 'raw'; sql: string; n: number; pauseMs?: number };
  if (request.op !== 'raw') return;
  void (async () => {
    // A further Session on the server's own path is allowed; opened like the server's read session.
    session ??= new (await import('chdb')).Session(join(dataDir, 'chdb'), {
      connectionArgs: ['--output_format_json_quote_64bit_integers=0', '--session_timezone=UTC', '--readonly=2'],
    });
    const times: number[] = [];
    for (let i = 0; i < request.n; i += 1) {
      // A pause before each query, as an HTTP client leaves between one answer and its next request: chDB answers a
      // query that follows an idle moment more slowly than one that follows another at once.
      if (request.pauseMs) await new Promise((resolve) => setTimeout(resolve, request.pauseMs));
      const t0 = performance.now();
      (await session.queryAsync(request.sql, { format: 'JSON' })).text();
      times.push(performance.now() - t0);
    }
    process.stdout.write(`${JSON.stringify({ op: 'raw', times })}\n`);
  })();
});

process.stdout.write(
  `${JSON.stringify({ url: server.url, adminToken: server.adminToken, workspaceId: server.workspaceId })}\n`,
);
