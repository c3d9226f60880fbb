// The example app as a user runs it: `next build` (with the admin token in the environment, to prove it stays on the
// server), `next start` against a local Tinybird seeded with demo bookings, and real Chromium.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from 'react-tinybird/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../../test/support/chromium';
import { nextStart } from '../../../test/support/next-start';

const app = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(app, 'package.json'));
const nextBin = require.resolve('next/dist/bin/next');
/** `--webpack` to build with webpack instead of Turbopack. */
const buildFlags = (process.env.NEXT_BUILD_FLAGS ?? '').split(' ').filter(Boolean);
let tb: LocalServer;
let dataDir: string;
let server: ChildProcess | undefined;
let base: string;
let browser: Browser;
/** Every URL any page asked for, to check that no token ever went into one. */
const allUrls: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nextjs-example-tb-'));
  tb = await startLocalServer({
    project: join(dirname(require.resolve('react-tinybird/package.json')), 'examples/tinybird'),
    port: 0,
    dataDir,
    seed: { rows: 20_000, seed: 42 },
    log: false,
  });
  const env = {
    ...process.env,
    TINYBIRD_URL: tb.url,
    TINYBIRD_ADMIN_TOKEN: tb.adminToken,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const build = spawnSync(process.execPath, [nextBin, 'build', ...buildFlags], { cwd: app, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  // Warnings from the package would show here (e.g. a missing export, a 'use client' boundary problem).
  expect(`${build.stdout}\n${build.stderr}`).not.toMatch(/react-tinybird/i);

  ({ base, server } = await nextStart(nextBin, app, env));
  // launch() gives each run a fresh temporary profile.
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await tb?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('server-rendered page', () => {
  it('sends the signed-in user’s rows and the chart styles in the first HTML, rendered per request', async () => {
    const [u1, u2] = [await bookingIds('u_1'), await bookingIds('u_2')];
    const response = await fetch(`${base}/server-rendered`, { headers: { cookie: 'demo_session=u_1' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    for (const id of u1) expect(html).toContain(id);
    for (const id of u2) expect(html).not.toContain(id);
    expect(html).toContain(':where(.rtb-frame)'); // chartStyles, so the table is styled before the JavaScript runs
    expect(response.headers.get('cache-control')).not.toMatch(/s-maxage/); // per request, never a build-time page
    expect(html).not.toContain(tb.adminToken);
  });

  it('makes no query and no token request before its first poll', async () => {
    const { page, requests } = await open('/server-rendered', 'u_1');
    // The chart's SVG is drawn only in the browser, after the hydrated page has mounted (it measures its width): a
    // refetch on mount would start with that commit, and a moment later be on the wire.
    await page.locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    expect(requests.pipes).toEqual([]);
    expect(requests.tokens).toEqual([]); // the token signed on the server came with the page
    const poll = await page.waitForRequest(/\/v0\/pipes\//, { timeout: 30_000 });
    expect(poll.headers()['authorization']).toMatch(/^Bearer /);
    expect(requests.tokens).toEqual([]);
    await page.context().close();
  });

  it('shows the new user’s rows only after a switch', async () => {
    const { page } = await open('/server-rendered', 'u_1');
    const [u1, u2] = [await bookingIds('u_1'), await bookingIds('u_2')];
    await expectText(page, u1);
    await recordAddedText(page);
    await switchUser(page, 'u_2');
    await expectText(page, u2);
    expect(await addedTextContaining(page, u1)).toEqual([]);
    await page.context().close();
  });
});

describe('dashboard', () => {
  it('gets one token for every chart and lists the user’s bookings', async () => {
    const { page, requests } = await open('/dashboard', 'u_1');
    const u1 = await bookingIds('u_1');
    await expect.poll(() => page.locator('[data-booking]').evaluateAll(ids), { timeout: 30_000 }).toEqual(u1);
    await page.waitForRequest(/\/v0\/pipes\//, { timeout: 30_000 }); // a poll: still no second token
    expect(requests.tokens).toHaveLength(1);
    expect(requests.pipes.length).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows the new user’s rows only after a switch, from the app’s shared QueryClient', async () => {
    const { page, requests } = await open('/dashboard', 'u_1');
    const [u1, u2] = [await bookingIds('u_1'), await bookingIds('u_2')];
    await expect.poll(() => page.locator('[data-booking]').evaluateAll(ids), { timeout: 30_000 }).toEqual(u1);
    await recordAddedText(page);
    await switchUser(page, 'u_2');
    await expect.poll(() => page.locator('[data-booking]').evaluateAll(ids), { timeout: 30_000 }).toEqual(u2);
    expect(await addedTextContaining(page, u1)).toEqual([]);
    expect(requests.tokens).toHaveLength(2); // one per user
    await page.context().close();
  });

  it('signed out: UNAUTHENTICATED after one token request', async () => {
    const { page, requests } = await open('/dashboard');
    await page.getByText('UNAUTHENTICATED').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(6_000); // past the charts' 5 s poll: the page waits for a sign-in, it does not retry
    expect(requests.tokens).toHaveLength(1);
    expect(requests.pipes).toEqual([]);
    await page.context().close();
  });
});

it('never puts a token in a URL', () => {
  expect(allUrls.length).toBeGreaterThan(0);
  expect(allUrls.filter((url) => /[?&]token=/.test(url))).toEqual([]);
});

it('ships no admin token, signing or chDB code to the browser', async () => {
  const files = await listFiles(join(app, '.next/static'));
  expect(files.some((file) => file.endsWith('.js'))).toBe(true);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    expect(text, file).not.toContain(tb.adminToken);
    for (const marker of [
      'SignJWT',
      'createTinybirdJWT',
      'chdb',
      'startLocalServer',
      'must not be imported from client code',
    ]) {
      expect(text.includes(marker), `${marker} in ${file}`).toBe(false);
    }
  }
});

// Helpers

/** A fresh browser context (signed in as `user` when given), counting token and pipe requests. */
async function open(
  path: string,
  user?: string,
): Promise<{ page: Page; requests: { tokens: string[]; pipes: string[] } }> {
  const context: BrowserContext = await browser.newContext();
  if (user) await context.addCookies([{ name: 'demo_session', value: user, url: base }]);
  const requests = { tokens: [] as string[], pipes: [] as string[] };
  context.on('request', (request) => {
    const url = request.url();
    allUrls.push(url);
    if (url.includes('/api/tinybird-token')) requests.tokens.push(url);
    if (url.includes('/v0/pipes/')) requests.pipes.push(url);
  });
  const page = await context.newPage();
  await page.goto(base + path);
  return { page, requests };
}

/** The latest bookings of a user, straight from the local server. */
async function bookingIds(user: string): Promise<string[]> {
  const response = await fetch(`${tb.url}/v0/pipes/user_bookings.json?user_id=${user}&limit=10`, {
    headers: { Authorization: `Bearer ${tb.adminToken}` },
  });
  const { data } = (await response.json()) as { data: { booking_id: string }[] };
  expect(data).toHaveLength(10);
  return data.map((row) => row.booking_id);
}

function ids(elements: Element[]): string[] {
  return elements.map((element) => (element as HTMLElement).dataset['booking'] ?? '');
}

async function switchUser(page: Page, user: string): Promise<void> {
  await page.getByLabel('Signed in as').fill(user);
  await page.getByRole('button', { name: 'Switch user' }).click();
}

async function expectText(page: Page, bookings: string[]): Promise<void> {
  for (const id of bookings) await page.getByText(id).first().waitFor({ timeout: 30_000 });
}

/** From now on, remember the text of every node the page adds or changes, even if it is replaced a moment later. */
async function recordAddedText(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenText: string[] }).seenText = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'characterData') seen.push(record.target.textContent ?? '');
        // outerHTML: attributes too (the dashboard keeps each booking id in data-booking).
        for (const node of record.addedNodes)
          seen.push(node instanceof Element ? node.outerHTML : (node.textContent ?? ''));
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function addedTextContaining(page: Page, bookings: string[]): Promise<string[]> {
  const seen = await page.evaluate(() => (window as unknown as { seenText: string[] }).seenText);
  expect(seen.length).toBeGreaterThan(0);
  return bookings.filter((id) => seen.some((text) => text.includes(id)));
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
