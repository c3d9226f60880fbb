// Run as a child process by test/browser/frozen-data.ts (chDB allows one data directory per process, and the test
// run's own server already holds one): the story tests' data server. The playground's seed (200,000 bookings, seed
// 42, 30 days) ending at FROZEN_NOW, behind a small proxy that pins the pipes' time windows to FROZEN_NOW when a
// request leaves them open. Prints one JSON line { url, adminToken } and serves until stdin closes.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startLocalServer } from '../../src/local/index';
import { FROZEN_NOW, FROZEN_WINDOWS } from './frozen-clock';

const dataDir = await mkdtemp(join(tmpdir(), 'react-tinybird-stories-'));
const server = await startLocalServer({
  project: 'examples/tinybird',
  port: 0,
  dataDir,
  seed: { rows: 200_000, seed: 42, days: 30, end: new Date(`${FROZEN_NOW.replace(' ', 'T')}Z`) },
  log: false,
});

/** The upstream URL for a request: the pipe's frozen window added where the caller set none of its params. */
function upstream(path: string): URL {
  const url = new URL(path, server.url);
  const pipe = /^\/v0\/pipes\/([\w]+)\.(?:json|csv|ndjson)$/.exec(url.pathname)?.[1];
  const window = pipe ? FROZEN_WINDOWS[pipe] : undefined;
  if (window && Object.keys(window).every((name) => !url.searchParams.has(name))) {
    for (const [name, value] of Object.entries(window)) url.searchParams.set(name, value);
  }
  return url;
}

const proxy = createServer((req, res) => {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Readable.toWeb(req);
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host'),
  );
  fetch(upstream(req.url ?? '/'), {
    method: req.method,
    headers,
    body: body as ReadableStream | undefined,
    duplex: 'half',
  } as RequestInit)
    .then(async (answer) => {
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    })
    .catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
});
await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify({ url, adminToken: server.adminToken })}\n`);

async function stop(): Promise<void> {
  proxy.closeAllConnections();
  proxy.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
