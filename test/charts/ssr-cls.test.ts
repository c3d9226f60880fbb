// Charts in the first HTML, in Chromium: a page rendered with react-dom/server sends each chart's SVG, hydrates, and
// recharts takes over; the layout shift over the whole load is measured (PerformanceObserver 'layout-shift').
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../bench/lib/append-page';
import { repoRoot } from '../../bench/lib/bundle';
import { chartStyles } from 'react-tinybird/charts';
import { App } from './fixtures/ssr-page-app';

let url = '';
let html = '';
let stop = async () => {};

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [`${repoRoot}test/charts/fixtures/ssr-page-app.tsx`],
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    alias: { 'react-tinybird/charts': `${repoRoot}src/charts/index.ts`, 'react-tinybird': `${repoRoot}src/index.ts` },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const app = bundle.outputFiles[0]!.text;
  html = `<!doctype html><meta charset="utf-8"><title>ssr</title><style>${chartStyles}</style><div id="root">${renderToString(createElement(App))}</div><script src="/app.js"></script>`;
  const server = createServer((request, response) => {
    const js = request.url === '/app.js';
    response.writeHead(200, { 'Content-Type': js ? 'text/javascript' : 'text/html', 'Cache-Control': 'no-store' });
    response.end(js ? app : html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  stop = () =>
    new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
}, 60_000);

afterAll(() => stop());

it('the first HTML draws every chart, and the page does not shift when recharts takes over', async () => {
  expect(html.match(/class="rtb-static-chart"/g)).toHaveLength(4);
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.addInitScript(() => {
      const w = window as unknown as { __cls: number };
      w.__cls = 0;
      (window as unknown as { __shifts: string[] }).__shifts = [];
      new PerformanceObserver((list) => {
        type Shift = { value: number; hadRecentInput: boolean; sources: { node?: Node }[] };
        for (const entry of list.getEntries() as unknown as Shift[]) {
          if (entry.hadRecentInput) continue;
          w.__cls += entry.value;
          (window as unknown as { __shifts: string[] }).__shifts.push(
            `${entry.value.toFixed(4)} ${entry.sources.map((s) => (s.node as Element | undefined)?.className ?? s.node?.nodeName).join(', ')}`,
          );
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(url);
    // Hydrated: recharts has drawn all four and the static SVGs are gone.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.recharts-surface').length >= 4 &&
        document.querySelectorAll('.rtb-static-chart').length === 0,
    );
    // Let recharts' animations and any late layout finish before reading the total.
    await page.waitForTimeout(1_500);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: string[] }).__shifts);
    console.log(`cumulative layout shift over the load, server-rendered charts: ${cls.toFixed(4)}`, shifts);
    expect(cls).toBeLessThan(0.01);
  } finally {
    await chromium.close();
  }
}, 60_000);
