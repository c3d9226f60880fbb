// close() while Events API appends are in flight: every request the server took gets an answer (2xx, or a clean 503
// once close() stops waiting), never a 500 or a cut connection, chDB is closed only after them (no ChdbClosedError),
// and what was acknowledged is there after a restart. Each server runs in its own process (one chDB data dir per process).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/json';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPENDS = 40;
const ROWS = 200;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Child {
  url: string;
  adminToken: string;
  close(): void;
  waitFor(text: string): Promise<void>;
  output(): string;
  exited: Promise<number | null>;
}

async function startChild(dataDir: string, closeTimeout?: number): Promise<Child> {
  const args = [
    '--import',
    'tsx',
    'test/local/close-child.ts',
    dataDir,
    ...(closeTimeout === undefined ? [] : [String(closeTimeout)]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  void exited.then(() => {
    for (const wake of waiters.splice(0)) wake();
  });
  const waitFor = async (text: string) => {
    while (!stdout.includes(text)) {
      if (child.exitCode !== null) throw new Error(`the child exited before printing "${text}":\n${stdout}\n${stderr}`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  await waitFor('\n');
  const { url, adminToken } = JSON.parse(stdout.split('\n')[0] ?? '') as { url: string; adminToken: string };
  return { url, adminToken, close: () => child.kill('SIGTERM'), waitFor, output: () => `${stdout}\n${stderr}`, exited };
}

type Outcome = { status: number; json: Json; connection?: string } | { error: string };

/** One request on its own connection (no keep-alive pool to race with), answered or failed with the socket's code. */
function send(url: string, path: string, token: string, body?: string): Promise<Outcome> {
  return new Promise((done) => {
    const req = request(
      `${url}${path}`,
      { method: body === undefined ? 'GET' : 'POST', agent: false, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, json: JSON.parse(text), connection: res.headers.connection }),
        );
        res.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    req.end(body);
  });
}

const batch = (n: number) =>
  Array.from({ length: ROWS }, (_, i) =>
    JSON.stringify({ user_id: `u_${n}_${i}`, airline: 'AB', origin: 'MAD', destination: 'BCN', price: i }),
  ).join('\n');

const countRows = async (child: Child) => {
  const res = await send(
    child.url,
    `/v0/sql?q=${encodeURIComponent('SELECT count() AS n FROM events')}`,
    child.adminToken,
  );
  if (!('status' in res) || res.status !== 200) throw new Error(`count failed: ${JSON.stringify(res)}`);
  return res.json.data[0].n as number;
};

/** A request whose headers are half sent: the server has it open, so closing does not drop the connection. */
async function halfSent(url: string): Promise<{ socket: Socket; finish(token: string): Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise((done) => socket.once('connect', done));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ended = new Promise<void>((done) => socket.once('close', () => done()));
  socket.write(`POST /v0/events?name=events&wait=true HTTP/1.1\r\nHost: ${hostname}\r\n`);
  return {
    socket,
    async finish(token) {
      const body = batch(-1);
      socket.write(`Authorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await ended;
      return text;
    },
  };
}

/** Fires the appends, closes the server while they are in flight, and returns what every request got. */
async function closeUnderLoad(closeTimeout?: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'react-tinybird-close-'));
  dirs.push(dataDir);
  const server = await startChild(dataDir, closeTimeout);
  const late = await halfSent(server.url);
  let answered = 0;
  const appends = Array.from({ length: APPENDS }, (_, n) =>
    send(server.url, '/v0/events?name=events&wait=true', server.adminToken, batch(n)).then((outcome) => {
      answered++;
      return outcome;
    }),
  );
  // A barrier: once the server answered a request sent after all the appends, it has read all of them.
  expect(await send(server.url, '/v0/health', server.adminToken)).toMatchObject({ status: 200 });
  // chDB takes the inserts one at a time: most are still waiting when close() starts, or the test proves nothing.
  const inFlightAtClose = APPENDS - answered;
  expect(inFlightAtClose).toBeGreaterThan(0);
  server.close();
  await server.waitFor('closing');
  const refused = await send(server.url, '/v0/events?name=events', server.adminToken, batch(-2));
  const lateAnswer = await late.finish(server.adminToken);
  const outcomes = await Promise.all(appends);
  await server.waitFor('closed');
  const exitCode = await server.exited;
  return { dataDir, server, outcomes, refused, lateAnswer, exitCode };
}

function expectCleanShutdown(run: Awaited<ReturnType<typeof closeUnderLoad>>) {
  for (const outcome of run.outcomes) {
    expect(outcome).not.toHaveProperty('error');
    if ('status' in outcome && outcome.status === 503) expect(outcome.json.error).toMatch(/shutting down/);
    else expect(outcome).toMatchObject({ status: 200, json: { successful_rows: ROWS, quarantined_rows: 0 } });
  }
  // After close() began: a new connection is refused; a request on a connection already open gets a Tinybird 503.
  expect(run.refused).toEqual({ error: 'ECONNREFUSED' });
  expect(run.lateAnswer).toMatch(/^HTTP\/1\.1 503 /);
  expect(run.lateAnswer).toMatch(/\r\nconnection: close\r\n/i);
  expect(run.lateAnswer).toMatch(
    /\{"error":"The local server is shutting down[^"]*","documentation":"https:\/\/www\.tinybird\.co\/docs\/[^"]*"\}$/,
  );
  expect(run.server.output()).not.toMatch(/ChdbClosedError|No active connection|Internal error/);
  expect(run.exitCode).toBe(0);
}

const acknowledged = (outcomes: Outcome[]) =>
  outcomes.reduce((sum, o) => sum + ('status' in o && o.status === 200 ? (o.json.successful_rows as number) : 0), 0);

// Each case starts chDB twice (close under load, then a restart to count): a few seconds.
describe.concurrent('close() with appends in flight', { timeout: 60_000 }, () => {
  it('lets them finish, then closes chDB; every acknowledged row survives a restart', async () => {
    const run = await closeUnderLoad();
    expectCleanShutdown(run);
    // With the default wait, nothing in flight is cut off.
    expect(run.outcomes.every((o) => 'status' in o && o.status === 200)).toBe(true);
    const restarted = await startChild(run.dataDir);
    try {
      expect(await countRows(restarted)).toBe(APPENDS * ROWS);
    } finally {
      restarted.close();
      await restarted.exited;
    }
  });

  it('answers 503 to what is still running when the wait is over, without a 500 or a chDB error', async () => {
    const run = await closeUnderLoad(0);
    expectCleanShutdown(run);
    expect(run.outcomes.some((o) => 'status' in o && o.status === 503)).toBe(true);
    const restarted = await startChild(run.dataDir);
    try {
      // A request cut off may still have landed; an acknowledged one always has.
      expect(await countRows(restarted)).toBeGreaterThanOrEqual(acknowledged(run.outcomes));
    } finally {
      restarted.close();
      await restarted.exited;
    }
  });
});
