// Serves bench/lib/append-page-app.tsx, or another page (test/soak), built with esbuild from the sources, and the demo
// token route on one origin, and launches Debian's Chromium through playwright-core: what the close-and-reopen tests,
// the soak test and the bench drive.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { createDemoTokenHandler } from '../../examples/demo-token-route';
import { repoRoot } from './bundle';
import { CHROMIUM } from '../../test/support/chromium';

export interface Target {
  url: string;
  adminToken: string;
}

const HTML =
  '<!doctype html><meta charset="utf-8"><title>react-tinybird</title><div id="root"></div><script src="/app.js"></script>';

/** The page's origin (http://127.0.0.1:<port>, a secure context, so Web Locks exist), serving the app and token route. */
export function startAppendPage(target: Target): Promise<{ url: string; close(): Promise<void> }> {
  return startPage('bench/lib/append-page-app.tsx', target);
}

/**
 * Serves `entry` (a page's script, relative to the repository, built with esbuild from the sources) and the demo token
 * route, whose tokens send the page to `target.url`, on one origin.
 */
export async function startPage(entry: string, target: Target): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [`${repoRoot}${entry}`],
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    alias: { 'react-tinybird': `${repoRoot}src/index.ts` },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const app = bundle.outputFiles[0]!.text;
  const tokens = getRequestListener(createDemoTokenHandler({ signingKey: target.adminToken, baseUrl: target.url }));
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    if (path === '/api/tinybird-token') return void tokens(request, response);
    const js = path === '/app.js';
    response.writeHead(200, { 'Content-Type': js ? 'text/javascript' : 'text/html', 'Cache-Control': 'no-store' });
    response.end(js ? app : HTML);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** A fresh Chromium profile (its own localStorage), closed and deleted by `close()`. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'react-tinybird-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM,
    headless: true,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Rows of `user` the server holds, and how many distinct booking ids among them (fewer means duplicates). */
export async function countRows(target: Target, user: string): Promise<{ count: number; unique: number }> {
  if (!/^[\w-]+$/.test(user)) throw new TypeError('countRows: user must be letters, digits, _ or -');
  const q = `SELECT count() AS count, uniqExact(booking_id) AS unique FROM events WHERE user_id = '${user}' FORMAT JSON`;
  const response = await fetch(`${target.url}/v0/sql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${target.adminToken}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }),
  });
  if (!response.ok) throw new Error(`counting ${user}: ${response.status} ${await response.text()}`);
  const { data } = (await response.json()) as { data: Array<{ count: number; unique: number }> };
  return data[0]!;
}
