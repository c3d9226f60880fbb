// A short soak in real Chromium: a dashboard of six widgets (three polling every 2 s, three not) with 5 s tokens, on the
// local server, through proxies that inject faults between the browser and both the API and the token route. After
// each fault, every widget must show data again on its own, within the healer's 3 s probe interval plus slack; no
// widget may ever show an auth error; the token route never sees more than one request a second; and a widget that
// kept its data through an outage must not flash an error when the network comes back or the tab is shown.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, startPage } from '../../bench/lib/append-page';
import { startProxy, type Proxy, type ProxyFault } from '../../bench/lib/proxy';
import type { Shown } from './soak-page';

const tb = inject('tinybird');

const WIDGETS = 6;
/**
 * From the end of a fault until every widget shows data: the healer probes failed queries at most 3 s apart, and the
 * rest is slack for a loaded 2-core machine. A bound on behaviour (without healing, a widget that does not poll stays
 * on its error for good), not a speed benchmark: `npm run bench -- healing` measures recovery times.
 */
const HEAL_BOUND_MS = 3_000 + 6_000;
/** Each fault lasts at least this long, and until every widget has met it. */
const FAULT_MIN_MS = 3_000;
/**
 * The client starts token requests at least 1 s apart; the proxy sees each when it arrives, which a loaded machine can
 * delay by a little: what is checked is that no two arrive closer than this (a burst arrives milliseconds apart).
 */
const TOKEN_GAP_MS = 800;
const AUTH_ERRORS = ['FORBIDDEN', 'UNAUTHENTICATED', 'INVALID_TOKEN'];

let api: Proxy;
let route: Proxy;
let site: Awaited<ReturnType<typeof startPage>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;
/** When each token request reached the proxy (epoch ms). */
const tokenRequests: number[] = [];
const pageErrors: string[] = [];
/**
 * Per phase, ms from the end of the fault until every widget showed data (after `online` or a tab shown, until their
 * refetches were over): printed at the end, not asserted.
 */
const recoveries: Record<string, number> = {};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shown = (): Promise<Shown[]> => page.evaluate(() => window.soak.now());
const logSince = (at: number): Promise<Shown[]> =>
  page.evaluate((since) => window.soak.log.filter((entry) => entry.at >= since), at);
const tokenExpiresAt = (): Promise<number | null> => page.evaluate(() => window.soak.tokenExpiresAt());

/** Waits until every widget shows `state` (`code` too, when given); fails after `timeout` ms saying what they show. */
async function allShow(state: Shown['state'], timeout: number, code?: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([s, c, n]) => {
        const now = window.soak.now();
        return now.length === n && now.every((w) => w.state === s && (c === undefined || w.code === c));
      },
      [state, code, WIDGETS] as const,
      { timeout: Math.max(1, timeout), polling: 50 },
    );
  } catch {
    const now = (await shown()).map((w) => `${w.widget}: ${w.state} ${w.code}`.trim());
    throw new Error(`not every widget showed ${state} ${code ?? ''} within ${timeout} ms: ${now.join(', ')}`);
  }
}

/** Waits until no widget is fetching and the page holds a token: a phase's refetches are over, for better or worse. */
async function settled(): Promise<void> {
  await page.waitForFunction(() => window.soak.settled(), undefined, { timeout: HEAL_BOUND_MS, polling: 50 });
}

let hidden = false;
/** Headless Chromium never hides a tab: say it did, as switching tabs would (the real event bubbles). */
async function setVisibility(state: 'hidden' | 'visible'): Promise<void> {
  hidden = state === 'hidden';
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}

/** Ends whatever fault a failed phase left on, so the next phase starts from a healthy page. */
async function endFaults(): Promise<void> {
  api.setFault(null);
  route.setFault(null);
  await context.setOffline(false);
  if (hidden) await setVisibility('visible');
}

/** With the fault on, waits until the token the page holds has expired. */
async function pastTokenExpiry(): Promise<void> {
  // A token request the proxy let through just before the fault may still bring a token: read the expiry after it.
  await sleep(300);
  await sleep(((await tokenExpiresAt()) ?? 0) + 300 - Date.now());
}

/**
 * With the fault on, waits until the token has expired and a round of token requests has failed: the token source
 * then answers with that failure during its cooldown, which is what a reconnect or focus refetch must not show.
 */
async function tokenLost(): Promise<void> {
  await page.waitForFunction(() => window.soak.tokenStatus() === 'error', undefined, { timeout: 20_000, polling: 50 });
}

/**
 * A fault between the browser and the API or the token route: on while the widgets refetch (as a filter change makes
 * them), until every widget shows `code`; then off, and every widget must show data again within the bound.
 */
async function outage(name: string, proxy: Proxy, fault: ProxyFault, code: string): Promise<void> {
  const began = Date.now();
  proxy.setFault(fault);
  if (proxy === route) await pastTokenExpiry();
  await page.evaluate(() => window.soak.invalidate());
  await allShow('error', 20_000, code);
  await sleep(began + FAULT_MIN_MS - Date.now());
  const ended = Date.now();
  proxy.setFault(null);
  await allShow('data', HEAL_BOUND_MS);
  recoveries[name] = Date.now() - ended;
}

/**
 * The cause of an outage ends with a page event (`online`, tab shown) while some widgets still hold their data: every
 * widget shows data again within the bound, and none of those that kept theirs shows an error on the way.
 */
async function endsWithPageEvent(name: string, end: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => ({ at: Date.now(), shown: window.soak.now() }));
  const kept = before.shown.filter((w) => w.state === 'data').map((w) => w.widget);
  // The widgets that do not poll made no request during the outage: they, at least, kept their data.
  expect(kept.length).toBeGreaterThanOrEqual(3);
  const ended = Date.now();
  await end();
  await allShow('data', HEAL_BOUND_MS);
  // The refetches the event started may still be waiting for their token: the check covers them too.
  await settled();
  recoveries[name] = Date.now() - ended;
  const flashes = (await logSince(before.at)).filter((e) => kept.includes(e.widget) && e.state !== 'data');
  expect(flashes.map((e) => `widget ${e.widget}: ${e.code || e.state} at +${e.at - ended} ms`)).toEqual([]);
}

beforeAll(async () => {
  api = await startProxy({ target: tb.url, retryAfter: 1 });
  // The page's origin serves the page and the token route; its tokens send the page to the API through `api`.
  site = await startPage('test/soak/soak-page.tsx', { url: api.url, adminToken: tb.adminToken });
  route = await startProxy({
    target: site.url,
    onRequest: (req) => void (req.url?.startsWith('/api/tinybird-token') && tokenRequests.push(Date.now())),
  });
  browser = await launchChromium();
  context = browser.context;
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${route.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  await allShow('data', 20_000);
}, 60_000);

afterAll(async () => {
  console.info(
    `soak: ms from the end of each fault until every widget showed data: ${JSON.stringify(recoveries)}; ` +
      `${tokenRequests.length} token requests; ${api.stats.byStatus[403] ?? 0} API answers 403 (refreshed and ` +
      `retried by the client, never shown)`,
  );
  await browser?.close();
  await Promise.all([site?.close(), route?.close(), api?.close()]);
});

describe('soak: six widgets, 5 s tokens, faults between the browser and the API and token route', () => {
  // Each phase starts from a dashboard that shows fresh data everywhere: a refetch of every widget, with no fault on,
  // puts it there even after a phase that failed, so each phase's verdict is its own.
  const phase = (name: string, run: () => Promise<void>) =>
    it(
      name,
      async () => {
        await page.evaluate(() => window.soak.invalidate());
        await allShow('data', HEAL_BOUND_MS);
        await settled();
        try {
          await run();
        } finally {
          await endFaults();
        }
        // The next phase's fault must not meet this one's refetches.
        await settled();
      },
      40_000,
    );

  phase('API 503 storm', () => outage('503', api, '503', 'SERVER_ERROR'));

  phase('API 429 storm with Retry-After', () => outage('429', api, '429', 'RATE_LIMITED'));

  phase('dropped connections', () => outage('reset', api, 'reset', 'NETWORK'));

  phase('token route down across a token expiry', () => outage('token route', route, '503', 'TOKEN_FETCH_FAILED'));

  phase('offline across a token expiry, then online: no error while offline, no flash after', async () => {
    const wentOffline = Date.now();
    await context.setOffline(true);
    await tokenLost();
    // react-query starts nothing while the page is offline: only a request already in flight may fail.
    const excused = await page.evaluate(() => window.soak.fetchingAtOffline);
    expect(excused).not.toBeNull();
    const failed = (await logSince(wentOffline)).filter((e) => e.state === 'error' && !excused!.includes(e.widget));
    expect(failed.map((e) => `widget ${e.widget}: ${e.code} at +${e.at - wentOffline} ms`)).toEqual([]);
    await endsWithPageEvent('offline', () => context.setOffline(false));
  });

  phase('tab hidden while its token expires (the route failing), then shown: no flash of error', async () => {
    await setVisibility('hidden');
    route.setFault('503');
    await tokenLost();
    route.setFault(null);
    await endsWithPageEvent('hidden', () => setVisibility('visible'));
  });

  it('no widget ever showed an auth error, token requests were never closer than a second, no page error', async () => {
    const log = await page.evaluate(() => window.soak.log);
    expect(log.filter((entry) => AUTH_ERRORS.includes(entry.code))).toEqual([]);
    const gaps = tokenRequests.slice(1).map((at, i) => at - tokenRequests[i]!);
    expect(gaps.filter((gap) => gap < TOKEN_GAP_MS)).toEqual([]);
    // Enough requests to mean something: a token every few seconds, and the outages' attempts.
    expect(tokenRequests.length).toBeGreaterThanOrEqual(5);
    expect(pageErrors).toEqual([]);
  });
});
