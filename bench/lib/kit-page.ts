// One load of a dashboard in Chromium, as the kit section measures it: a fresh context (no cache), the page kept open
// for a fixed time without any interaction, while an init script records when each widget is first drawn and the
// layout shifts, and the counting proxy's log says who asked the API what, and when.
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';

/** A widget, and how to tell from the DOM that it shows its data: the source of `(document) => boolean`. */
export interface WidgetProbe {
  name: string;
  drawn: string;
}

/** One request the proxy in front of the local server received. */
export interface ApiRequest {
  at: number;
  method: string;
  path: string;
  /** Sent by the page (a cross-origin fetch carries `Origin`), not by the app's own server. */
  fromBrowser: boolean;
}

export interface LoadResult {
  /** ms from navigation start until every widget was drawn; null if some never was. */
  drawnMs: number | null;
  /** ms from navigation start until the first byte of the page's HTML. */
  htmlMs: number;
  /** ms from navigation start until each widget was drawn (absent: never). */
  widgets: Record<string, number>;
  /** Chromium's CLS: the largest session window of layout shifts (gaps < 1 s, at most 5 s), over the whole load. */
  cls: number;
  /** Scripts the page loaded while open: count, decoded bytes, and gzip -9 of each summed. */
  scripts: { count: number; bytes: number; gzip: number };
  /** API requests until every widget was drawn, and while the page was open: queries by who sent them, preflights. */
  untilDrawn: Counts;
  whileOpen: Counts;
  /** Queries while open, by endpoint (`/v0/pipes/<name>.json` -> name). */
  byPipe: Record<string, number>;
  /** Requests the page made beyond the loopback address (they fail: the browser resolves no other host). */
  external: string[];
  /** Page requests whose URL carried the viewer's token. */
  tokenInUrl: number;
  /** The date range each top-list query sent (to show both dashboards read the same days). */
  ranges: string[];
  /** Queries until every widget was drawn that repeated an earlier one of the load exactly (same URL). */
  repeated: number;
  /** Queries while open by the date range they sent (`date_from..date_to`, '' when none). */
  byRange: Record<string, number>;
}

export interface Counts {
  browser: number;
  server: number;
  preflight: number;
}

export interface LoadOptions {
  url: string;
  widgets: readonly WidgetProbe[];
  /** How long the page stays open (ms from navigation start). */
  openMs: number;
  /** The proxy's log of API requests; read, never cleared. */
  api: readonly ApiRequest[];
  /** The viewer's token, to count URLs that carry it. */
  token?: string;
}

interface PageState {
  drawn: Record<string, number>;
  allDrawnAt: number | null;
  cls: number;
}

/**
 * Runs in the page before its own scripts. A string, not a function: tsx compiles this file with esbuild's keepNames,
 * whose `__name(...)` wrappers do not exist in the page.
 */
const PROBE = String.raw`(widgets) => {
  const tests = widgets.map(({ name, drawn }) => ({ name, test: new Function('document', 'return (' + drawn + ')(document);') }));
  const state = { drawn: {}, allDrawnAt: null, cls: 0 };
  window.__kitBench = state;
  let session = 0, first = 0, last = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      if (session > 0 && entry.startTime - last < 1000 && entry.startTime - first < 5000) session += entry.value;
      else { session = entry.value; first = entry.startTime; }
      last = entry.startTime;
      state.cls = Math.max(state.cls, session);
    }
  }).observe({ type: 'layout-shift', buffered: true });
  // Checked once per frame, before it is painted: a widget counts as drawn in the first frame that shows its data.
  const tick = () => {
    for (const { name, test } of tests) {
      if (name in state.drawn) continue;
      try { if (test(document)) state.drawn[name] = performance.now(); } catch { /* not there yet */ }
    }
    if (Object.keys(state.drawn).length === tests.length) state.allDrawnAt = Math.max(...Object.values(state.drawn));
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}`;

const loopback = (url: string) =>
  /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url) || /^(data|blob):/.test(url);

function count(requests: readonly ApiRequest[]): Counts {
  return {
    browser: requests.filter((r) => r.fromBrowser && r.method !== 'OPTIONS').length,
    server: requests.filter((r) => !r.fromBrowser && r.method !== 'OPTIONS').length,
    preflight: requests.filter((r) => r.method === 'OPTIONS').length,
  };
}

export async function measureLoad(browser: Browser, options: LoadOptions): Promise<LoadResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const external: string[] = [];
  const widgets = options.widgets.map(({ name, drawn }) => ({ name, drawn }));
  await page.addInitScript({ content: `(${PROBE})(${JSON.stringify(widgets)});` });
  const origin = new URL(options.url).origin;
  const scripts: Promise<{ bytes: number; gzip: number }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script' || !response.url().startsWith(origin)) return;
    scripts.push(
      response.body().then(
        (body) => ({ bytes: body.byteLength, gzip: gzipSync(body, { level: 9 }).byteLength }),
        () => ({ bytes: 0, gzip: 0 }),
      ),
    );
  });
  let tokenInUrl = 0;
  page.on('request', (request) => {
    if (!loopback(request.url())) external.push(request.url());
    if (options.token && request.url().includes(options.token)) tokenInUrl += 1;
  });

  const t0 = Date.now();
  await page.goto(options.url, { waitUntil: 'load', timeout: options.openMs });
  await page
    .waitForFunction(() => (window as unknown as { __kitBench: PageState }).__kitBench.allDrawnAt !== null, null, {
      timeout: Math.max(1000, t0 + options.openMs - Date.now()),
      polling: 100,
    })
    .catch(() => undefined); // reported as "never drawn", with the widgets that were
  await page.waitForTimeout(Math.max(0, t0 + options.openMs - Date.now()));
  const { state, timeOrigin, htmlMs } = await page.evaluate(() => ({
    state: (window as unknown as { __kitBench: PageState }).__kitBench,
    timeOrigin: performance.timeOrigin,
    htmlMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStart,
  }));
  await context.close();

  const sizes = await Promise.all(scripts);
  const open = options.api.filter((r) => r.at >= t0 && r.at <= t0 + options.openMs);
  const drawnAt = state.allDrawnAt === null ? null : timeOrigin + state.allDrawnAt;
  const byPipe: Record<string, number> = {};
  const ranges = new Set<string>();
  const byRange: Record<string, number> = {};
  for (const r of open) {
    if (r.method === 'OPTIONS') continue;
    const url = new URL(r.path, 'http://x');
    const range = url.searchParams.has('date_from')
      ? `${url.searchParams.get('date_from')}..${url.searchParams.get('date_to')}`
      : '';
    byRange[range] = (byRange[range] ?? 0) + 1;
    const pipe = /^\/v0\/pipes\/([^./]+)/.exec(url.pathname)?.[1] ?? url.pathname;
    byPipe[pipe] = (byPipe[pipe] ?? 0) + 1;
    if (pipe === 'top_pages') ranges.add(`${url.searchParams.get('date_from')}..${url.searchParams.get('date_to')}`);
  }
  const loading = (drawnAt === null ? open : open.filter((r) => r.at <= drawnAt)).filter((r) => r.method !== 'OPTIONS');
  const repeated = loading.length - new Set(loading.map((r) => r.path)).size;
  return {
    drawnMs: state.allDrawnAt,
    htmlMs,
    widgets: state.drawn,
    cls: state.cls,
    scripts: {
      count: sizes.length,
      bytes: sizes.reduce((sum, s) => sum + s.bytes, 0),
      gzip: sizes.reduce((sum, s) => sum + s.gzip, 0),
    },
    untilDrawn: count(drawnAt === null ? open : open.filter((r) => r.at <= drawnAt)),
    whileOpen: count(open),
    byPipe,
    external,
    tokenInUrl,
    ranges: [...ranges],
    byRange,
    repeated,
  };
}
