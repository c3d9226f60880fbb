// Events survive the page, in real Chromium against the local server: rows queued when a tab closes (over the keepalive
// budget, offline, full storage) arrive from the next page of the origin, once. Arrivals are counted on the server.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { countRows, launchChromium, startAppendPage } from '../../bench/lib/append-page';
import { eventually } from '../support/eventually';

const tb = inject('tinybird');
let site: Awaited<ReturnType<typeof startAppendPage>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let keeper: Page;
const run = Date.now().toString(36);
let serial = 0;
/** A user id of its own per test, so counts on the shared server see only that test's rows. */
const freshUser = () => `persist-${run}-${++serial}`;

beforeAll(async () => {
  site = await startAppendPage(tb);
  browser = await launchChromium();
  context = browser.context;
  // Chromium quits when its last tab closes: this one stays open.
  keeper = await context.newPage();
}, 60_000);
afterEach(async () => {
  await context.setOffline(false);
  for (const page of context.pages()) if (page !== keeper) await page.close();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site.url}${query}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  await page.evaluate(() => window.appendPage.ready());
  return page;
}

const append = (page: Page, user: string, count: number, from = 0) =>
  page.evaluate(([u, n, f]) => window.appendPage.append(u, n, f), [user, count, from] as const);
const stats = (page: Page) =>
  page.evaluate(() => {
    const { error, ...counts } = window.appendPage.stats();
    return { ...counts, error: error?.code ?? null };
  });
const storedKeys = (page: Page) => page.evaluate(() => window.appendPage.storedKeys());

/** Closes a tab as a person does: pagehide runs. With unload handlers, close() does not wait for the tab to go. */
async function closeTab(page: Page): Promise<void> {
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
}

/** Headless Chromium never hides a tab: say it did, as switching tabs would. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

/** Waits until the server holds `count` rows of `user`, then a while longer to see that no duplicate follows. */
async function arrived(user: string, count: number): Promise<void> {
  await eventually(async () => expect(await countRows(tb, user)).toEqual({ count, unique: count }), 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(await countRows(tb, user)).toEqual({ count, unique: count });
}

describe('rows queued when the page closes', () => {
  it('600 rows then close: what fits the keepalive budget goes at once, the rest on the next visit; none twice', async () => {
    const user = freshUser();
    const page = await open();
    await append(page, user, 600);
    await closeTab(page);
    // The keepalive requests outlive the page; the rows past the budget wait in storage.
    await eventually(async () => expect((await countRows(tb, user)).count).toBeGreaterThan(0), 15_000);
    const atClose = await countRows(tb, user);
    expect(atClose.count).toBeLessThan(600);

    const next = await open();
    await arrived(user, 600);
    await eventually(async () => expect(await storedKeys(next)).toEqual([]));
    expect((await stats(next)).sent).toBe(600 - atClose.count);
    await next.close();
  }, 90_000);

  it('offline: append, close, come back online and reopen: every row arrives', async () => {
    const user = freshUser();
    const page = await open();
    await context.setOffline(true);
    await append(page, user, 300);
    await eventually(async () => expect((await stats(page)).error).toBe('NETWORK'));
    await closeTab(page);
    await context.setOffline(false);
    expect((await countRows(tb, user)).count).toBe(0);

    const next = await open();
    await arrived(user, 300);
    await next.close();
  }, 90_000);

  it('two tabs opened at once share the stored rows of three closed tabs without sending any twice', async () => {
    const user = freshUser();
    const closing = [await open(), await open(), await open()];
    await context.setOffline(true);
    for (const [index, page] of closing.entries()) await append(page, user, 400, index * 400);
    for (const page of closing) await closeTab(page);
    await context.setOffline(false);
    expect((await countRows(tb, user)).count).toBe(0);

    const tabs = await Promise.all([open(), open()]);
    await arrived(user, 1_200);
    const sent = await Promise.all(tabs.map(async (tab) => (await stats(tab)).sent));
    expect(sent[0]! + sent[1]!).toBe(1_200);
    await Promise.all(tabs.map((tab) => tab.close()));
  }, 90_000);
});

describe('storage', () => {
  it('a row acknowledged after the tab was hidden leaves storage, so the next visit does not send it again', async () => {
    const user = freshUser();
    const page = await open();
    await context.setOffline(true);
    await append(page, user, 50);
    await setVisibility(page, 'hidden');
    expect(await storedKeys(page)).toHaveLength(1);
    await context.setOffline(false); // 'online': the rows go at once
    await eventually(async () => expect(await storedKeys(page)).toEqual([]));
    await setVisibility(page, 'visible');
    await closeTab(page);
    const next = await open();
    await arrived(user, 50);
    expect((await stats(next)).sent).toBe(0);
    await next.close();
  }, 90_000);

  it('with storage full, rows stay in memory with a warning, and are sent once the network is back', async () => {
    const user = freshUser();
    const page = await open();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const filled = await page.evaluate(() => {
      // Fill this origin's quota: halve the chunk whenever it no longer fits.
      let chunk = 'x'.repeat(1 << 20);
      let keys = 0;
      while (chunk.length > 0) {
        try {
          localStorage.setItem(`filler-${keys}`, chunk);
          keys++;
        } catch {
          chunk = chunk.slice(0, chunk.length >> 1);
        }
      }
      return keys;
    });
    expect(filled).toBeGreaterThan(0);
    await context.setOffline(true);
    await append(page, user, 100);
    await setVisibility(page, 'hidden');
    await eventually(async () => expect(warnings.join('\n')).toMatch(/could not store 100 unsent rows/));
    expect(await storedKeys(page)).toEqual([]);
    expect((await stats(page)).pending).toBe(100);

    await context.setOffline(false);
    await setVisibility(page, 'visible');
    await arrived(user, 100);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }, 90_000);
});
