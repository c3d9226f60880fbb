// vitest globalSetup: ONE local server (chDB) for the whole run, on a random port with a temp data dir and a small
// deterministic seed, plus the demo token route on another port. Tests reach both over HTTP via inject('tinybird').
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { createDemoTokenHandler } from '../../examples/demo-token-route';
import { startLocalServer } from '../../src/local/index';

/** Rows the suite's server is seeded with (seed 42). */
export const SEED_ROWS = 20_000;

type Provided = ProvidedContext['tinybird'];

interface Shared {
  started: Promise<{ provided: Provided; close: () => Promise<void> }>;
  users: number;
}

// Every vitest project (node, dom, types, browser) runs this setup in the same process, and chDB allows one data
// directory per process: the first call starts the servers, the others share them, the last teardown stops them.
const KEY = Symbol.for('react-tinybird.test.local-server');
const shared = globalThis as typeof globalThis & { [KEY]?: Shared };

async function start(): Promise<{ provided: Provided; close: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'react-tinybird-test-'));
  const server = await startLocalServer({
    project: 'examples/tinybird',
    port: 0,
    dataDir,
    seed: { rows: SEED_ROWS, seed: 42 },
    log: false,
  });
  const handler = createDemoTokenHandler({ signingKey: server.adminToken, baseUrl: server.url });
  const tokenServer = createServer(getRequestListener(handler));
  await new Promise<void>((done) => tokenServer.listen(0, '127.0.0.1', done));
  const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/api/tinybird-token`;
  return {
    provided: {
      url: server.url,
      adminToken: server.adminToken,
      workspaceId: server.workspaceId,
      tokenUrl,
      seedRows: SEED_ROWS,
      tokens: server.tokens,
    },
    async close() {
      await new Promise<void>((done) => {
        tokenServer.close(() => done());
        tokenServer.closeAllConnections();
      });
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const state = (shared[KEY] ??= { started: start(), users: 0 });
  state.users++;
  const { provided, close } = await state.started;
  project.provide('tinybird', provided);
  return async () => {
    if (--state.users > 0) return;
    delete shared[KEY];
    await close();
  };
}
