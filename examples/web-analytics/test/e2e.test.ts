// The web analytics example as a user runs it: `next build`, `next start` against a local Tinybird serving the web
// analytics starter kit's own project (its fixtures loaded), in multi-tenant mode (TENANT_ID), and real Chromium.
// The kit is read where it lies: WEB_ANALYTICS_KIT, else ../shared/tinybird-projects/web-analytics-starter-kit/tinybird
// next to the repository.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalServer, type LocalServer } from 'react-tinybird/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM } from '../../../test/support/chromium';
import { nextStart } from '../../../test/support/next-start';

const app = fileURLToPath(new URL('..', import.meta.url));
const kit =
  process.env.WEB_ANALYTICS_KIT ?? join(app, '../../../shared/tinybird-projects/web-analytics-starter-kit/tinybird');
const require = createRequire(join(app, 'package.json'));
const nextBin = require.resolve('next/dist/bin/next');
const TENANT = 'tenant_1';
/** The fixtures end on 2025-07-17: the dashboard's clock is frozen just after, so its default range (30 days) has data. */
const NOW = '2025-07-18T00:00:00Z';
/** Every pipe the analytics tab reads, and those that read the dates and the domain. */
const FILTERED = ['kpis', 'top_pages', 'top_sources', 'top_devices', 'top_browsers', 'top_locations'];
const WIDGETS = [...FILTERED, 'current_visitors', 'trend', 'domains'];
let tb: LocalServer;
let dataDir: string;
let server: ChildProcess | undefined;
let base: string;
let browser: Browser;
const allUrls: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'web-analytics-tb-'));
  tb = await startLocalServer({ project: kit, port: 0, dataDir, fixtures: true, log: false });
  const env = {
    ...process.env,
    TINYBIRD_URL: tb.url,
    TINYBIRD_ADMIN_TOKEN: tb.adminToken,
    TENANT_ID: TENANT,
    ANALYTICS_NOW: NOW,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: app, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  ({ base, server } = await nextStart(nextBin, app, env));
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await tb?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('renders the URL’s view in the first HTML: its state, its rows, the trend drawn; the token, no admin secret', async () => {
  const html = await (await fetch(`${base}/?range=12mo&domain=test.org`)).text();
  expect(html).toMatch(/<option value="12mo" selected=""/);
  expect(html).toContain('Remove filter domain: test.org');
  const pages = await adminRows(
    'top_pages',
    new URLSearchParams({ date_from: '2024-07-18', date_to: '2025-07-17', domain: 'test.org', limit: '8' }),
  );
  expect(pages.length).toBeGreaterThan(0);
  for (const row of pages) expect(html).toContain(`>${String(row['pathname'])}<`);
  expect(html).toContain('rtb-static-chart'); // the trend's SVG, drawn on the server
  expect(html).not.toContain(tb.adminToken);
});

it('keeps the range and a clicked domain in the URL, and both survive a reload', async () => {
  const { page } = await open('/');
  await page.locator('.rtb-range select').selectOption('12mo');
  await domainButton(page, 'myapp.com').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('domain')).toBe('myapp.com');
  expect(new URL(page.url()).searchParams.get('range')).toBe('12mo');
  await page.reload();
  await expect.poll(() => page.locator('.rtb-range select').inputValue()).toBe('12mo');
  await page.getByRole('button', { name: 'Remove filter domain: myapp.com' }).waitFor();
  await expect.poll(() => domainButton(page, 'myapp.com').getAttribute('aria-pressed')).toBe('true');
  await page.context().close();
});

it('back and forward move through the states; the web vitals tab keeps them', async () => {
  const { page } = await open('/');
  await domainButton(page, 'myapp.com').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('domain')).toBe('myapp.com');
  await page.waitForTimeout(1_100); // past the provider's coalescing window: the next change is a new entry
  await page.locator('.rtb-range select').selectOption('7d');
  await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
  await page.goBack();
  await expect.poll(() => page.locator('.rtb-range select').inputValue()).toBe('30d');
  await page.getByRole('button', { name: 'Remove filter domain: myapp.com' }).waitFor();
  await page.goForward();
  await expect.poll(() => page.locator('.rtb-range select').inputValue()).toBe('7d');
  await page.getByRole('link', { name: 'Web vitals' }).click();
  await expect
    .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
    .toEqual({
      range: '7d',
      domain: 'myapp.com',
      tab: 'vitals',
    });
  await page.getByRole('figure', { name: 'Web vitals' }).waitFor();
  await page.context().close();
});

it('a click on a domain filters every widget, and each shows the endpoint’s rows for it', async () => {
  const { page, pipes } = await open('/');
  await domainButton(page, 'test.org').waitFor({ timeout: 60_000 });
  pipes.length = 0;
  await domainButton(page, 'test.org').click();
  const others = WIDGETS.filter((pipe) => pipe !== 'domains'); // the clicked widget leaves its own filter out
  await expect.poll(() => others.filter((pipe) => !lastCall(pipes, pipe)), { timeout: 30_000 }).toEqual([]);
  for (const pipe of others) {
    const call = lastCall(pipes, pipe);
    expect(call?.searchParams.get('domain'), pipe).toBe('test.org');
  }
  // What each list shows is what its endpoint answers for the tenant, the range and the domain.
  const lists = {
    'Top pages': 'top_pages',
    'Top sources': 'top_sources',
    Browsers: 'top_browsers',
    Locations: 'top_locations',
  };
  for (const [title, pipe] of Object.entries(lists)) {
    const params = lastCall(pipes, pipe)!.searchParams;
    expect(params.get('date_from')).toBe('2025-06-18');
    expect(params.get('date_to')).toBe('2025-07-17'); // the last day of a range that ends at midnight
    const column = pipe === 'top_pages' ? 'pathname' : pipe === 'top_sources' ? 'referrer' : pipe.slice(4, -1);
    const rows = await adminRows(pipe, params);
    expect(rows.length, pipe).toBeGreaterThan(0);
    // Sorted: rows with equal visits may come in either order from one query to the next.
    const shown = () => page.getByRole('figure', { name: title }).locator('.rtb-barlist-label').allTextContents();
    await expect.poll(async () => (await shown()).sort()).toEqual(rows.map((row) => String(row[column])).sort());
  }
  await page.context().close();
});

it('exports exactly the endpoint’s rows for what the widget shows', async () => {
  const { page, pipes } = await open('/?range=12mo&domain=myapp.com');
  const frame = page.getByRole('figure', { name: 'Top sources' });
  const button = frame.getByRole('button', { name: /as CSV/ });
  await button.waitFor({ timeout: 60_000 });
  expect(pipes).toEqual([]); // the rows came with the page
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe('top_sources.csv');
  const csv = await readFile((await download.path())!, 'utf8');
  const params = lastCall(pipes, 'top_sources', 'csv')!.searchParams;
  expect(Object.fromEntries(params)).toEqual({
    date_from: '2024-07-18',
    date_to: '2025-07-17',
    domain: 'myapp.com',
    limit: '8',
  });
  const expected = await (
    await fetch(`${tb.url}/v0/pipes/top_sources.csv?${withTenant(params)}`, {
      headers: { Authorization: `Bearer ${tb.adminToken}` },
    })
  ).text();
  expect(csv.trim().split('\n').length).toBeGreaterThan(1);
  expect(csv).toBe(expected);
  await page.context().close();
});

it('pins the tenant in the token: asking for another tenant still answers the own tenant’s rows', async () => {
  const { token } = (await (await fetch(`${base}/api/tinybird-token`, { method: 'POST' })).json()) as { token: string };
  const read = async (query: string) =>
    (await fetch(`${tb.url}/v0/pipes/domains.json?${query}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const own = await adminRows('domains', new URLSearchParams());
  const other = await adminRows('domains', new URLSearchParams({ tenant_id: 'tenant_2' }));
  expect(own).not.toEqual(other);
  expect(((await read('tenant_id=tenant_2')) as { data: unknown }).data).toEqual(own);
});

it('fetches nothing again after hydration: the server prefetched the very queries the widgets ask for', async () => {
  // resolveDashboardParams gives the page the provider's params: a key that differed would be fetched again at once.
  const { page, pipes } = await open('/?range=7d&domain=myapp.com');
  await page.waitForTimeout(2_000);
  expect(pipes.map((url) => url.pathname)).toEqual([]);
  await page.context().close();
});

it('does not shift while it loads: cumulative layout shift of the server-rendered page in Chromium', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { cls: number };
    w.cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!entry.hadRecentInput) w.cls += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${base}/?range=12mo`);
  await page.locator('.recharts-surface').first().waitFor({ timeout: 60_000 }); // hydrated: recharts drew
  await page.waitForTimeout(1_000);
  const cls = await page.evaluate(() => (window as unknown as { cls: number }).cls);
  console.log(`web-analytics example, cumulative layout shift over the load: ${cls.toFixed(4)}`);
  expect(cls).toBeLessThan(0.1); // web.dev's "good"
  await context.close();
});

it('never puts a token in a URL', () => {
  expect(allUrls.length).toBeGreaterThan(0);
  expect(allUrls.filter((url) => /[?&]token=/.test(url))).toEqual([]);
});

// Helpers

async function open(path: string): Promise<{ page: Page; pipes: URL[] }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const pipes: URL[] = [];
  context.on('request', (request) => {
    allUrls.push(request.url());
    if (request.url().includes('/v0/pipes/')) pipes.push(new URL(request.url()));
  });
  const page = await context.newPage();
  await page.goto(base + path);
  // Hydrated (recharts has replaced the server's SVG): a control changed before that would be a server-drawn one.
  await page.locator('.recharts-surface').first().waitFor({ timeout: 60_000 });
  return { page, pipes };
}

function domainButton(page: Page, domain: string) {
  return page.getByRole('figure', { name: 'Domains' }).getByRole('button', { name: new RegExp(`^${domain}`) });
}

function lastCall(pipes: URL[], pipe: string, format = 'json'): URL | undefined {
  return pipes.filter((url) => url.pathname === `/v0/pipes/${pipe}.${format}`).at(-1);
}

/** The tenant the dashboard's token pins, added as the admin token's query would need it. */
function withTenant(params: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams(params);
  if (!query.has('tenant_id')) query.set('tenant_id', TENANT);
  return query;
}

async function adminRows(pipe: string, params: URLSearchParams): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${tb.url}/v0/pipes/${pipe}.json?${withTenant(params)}`, {
    headers: { Authorization: `Bearer ${tb.adminToken}` },
  });
  return ((await response.json()) as { data: Record<string, unknown>[] }).data;
}
