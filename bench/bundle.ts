import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import {
  bundleSize,
  clientEntryFixture,
  dashboardFixture,
  reactExternal,
  readOnlyFixture,
  repoRoot,
  sizeBudgets,
  type BundleSize,
} from './lib/bundle';
import { ensureScratchPackage, scratchDir } from './lib/scratch';
import { kb, ratio } from './lib/stats';
import { check, type Section } from './lib/section';

const CHARTS_VERSION = '0.3.0';
// The SDK's exports map hides its package.json, so read the file.
const sdkVersion = (
  JSON.parse(readFileSync(`${repoRoot}node_modules/@tinybirdco/sdk/package.json`, 'utf8')) as { version: string }
).version;

interface Case {
  key: string;
  label: string;
  bundled: string;
  contents: string;
  external: readonly string[];
  resolveDir?: string;
  /** The case of the alternative this one is compared with. */
  versus?: string;
}

const rq = '@tanstack/react-query';

const cases: Case[] = [
  {
    key: 'read-only-rq-external',
    label: 'react-tinybird: TinybirdProvider + useEndpoint (read-only, no event queue)',
    bundled: 'react-query external',
    contents: readOnlyFixture,
    external: [...reactExternal, rq],
  },
  {
    key: 'client-rq-external',
    label: 'react-tinybird: TinybirdProvider + useEndpoint + useAppend',
    bundled: 'react-query external',
    contents: clientEntryFixture,
    external: [...reactExternal, rq],
  },
  {
    key: 'client-rq-bundled',
    label: 'react-tinybird: TinybirdProvider + useEndpoint + useAppend',
    bundled: 'react-query bundled',
    contents: clientEntryFixture,
    external: reactExternal,
    // Like for like: each with its query library bundled (react-query here, SWR there), its hook imported alone.
    versus: 'tb-usequery-deep',
  },
  {
    key: 'core-client',
    label: 'react-tinybird: createTinybirdClient (no React)',
    bundled: 'all bundled',
    contents: `export { createTinybirdClient } from 'react-tinybird';`,
    external: [...reactExternal, rq],
    versus: 'sdk-client',
  },
  {
    key: 'tb-usequery',
    // No ratio against it: the package root drags every component and ECharts in, which says nothing about the hook.
    label: `@tinybirdco/charts ${CHARTS_VERSION}: useQuery from the package root (ECharts-laden)`,
    bundled: 'swr + echarts bundled',
    contents: `export { useQuery } from '@tinybirdco/charts';`,
    external: reactExternal,
    resolveDir: scratchDir,
  },
  // Its package.json has no `sideEffects: false`, so the root import above keeps every component and ECharts. Importing
  // the hook's own file avoids that; no documentation shows it, but it is the fairest size for the hook alone.
  {
    key: 'tb-usequery-deep',
    label: `@tinybirdco/charts ${CHARTS_VERSION}: useQuery from dist/hooks/use-chart-query.js`,
    bundled: 'swr bundled',
    contents: `export { useChartQuery } from '@tinybirdco/charts/dist/hooks/use-chart-query.js';`,
    external: reactExternal,
    resolveDir: scratchDir,
  },
  {
    key: 'sdk-client',
    label: `@tinybirdco/sdk ${sdkVersion}: createClient`,
    bundled: 'all bundled',
    // Its package root also reaches Node-only modules (fs, path): left out here, as a browser bundler would stub them.
    contents: `export { createClient } from '@tinybirdco/sdk';`,
    external: [...reactExternal, 'node:*', ...builtinModules],
  },
  {
    key: 'charts-entry',
    label: 'react-tinybird/charts: all 7 components',
    bundled: 'recharts, react-query, react-tinybird external',
    contents: `export * from 'react-tinybird/charts';`,
    external: [...reactExternal, rq, 'recharts', 'react-tinybird'],
  },
  {
    key: 'charts-entry-bundled',
    label: 'react-tinybird/charts: all 7 components',
    bundled: 'recharts + react-query bundled',
    contents: `export * from 'react-tinybird/charts';`,
    external: reactExternal,
  },
  {
    key: 'devtools-entry',
    label: 'react-tinybird/devtools: TinybirdDevtools',
    bundled: 'react-query, react-tinybird external',
    contents: `export * from 'react-tinybird/devtools';`,
    external: [...reactExternal, rq, 'react-tinybird'],
  },
  {
    key: 'dashboard-entry',
    label: 'react-tinybird/dashboard: DashboardProvider, TimeRangePicker, FilterChips, useDashboard',
    bundled: 'react-query, react-tinybird external',
    contents: dashboardFixture,
    external: [...reactExternal, rq, 'react-tinybird'],
  },
  {
    key: 'line-bundled',
    label: 'react-tinybird/charts: LineChart + provider',
    bundled: 'recharts + react-query bundled',
    contents: `export { LineChart } from 'react-tinybird/charts'; export { TinybirdProvider } from 'react-tinybird';`,
    external: reactExternal,
    versus: 'tb-line',
  },
  {
    key: 'tb-line',
    label: `@tinybirdco/charts ${CHARTS_VERSION}: LineChart`,
    bundled: 'echarts + swr bundled',
    contents: `export { LineChart } from '@tinybirdco/charts';`,
    external: reactExternal,
    resolveDir: scratchDir,
  },
  {
    key: 'dashboard',
    label: 'react-tinybird: 3-chart dashboard (bar, line, area)',
    bundled: 'recharts + react-query bundled',
    contents: dashboard(
      'react-tinybird/charts',
      `import { TinybirdProvider } from 'react-tinybird';`,
      'TinybirdProvider',
      'tokenUrl="/api/tinybird-token"',
    ),
    external: reactExternal,
    versus: 'tb-dashboard',
  },
  {
    key: 'tb-dashboard',
    label: `@tinybirdco/charts ${CHARTS_VERSION}: 3-chart dashboard (bar, line, area)`,
    bundled: 'echarts + swr bundled',
    contents: dashboard(
      '@tinybirdco/charts',
      `import { ChartProvider } from '@tinybirdco/charts';`,
      'ChartProvider',
      'queryConfig={{ token: "t" }}',
    ),
    external: reactExternal,
    resolveDir: scratchDir,
  },
];

/**
 * Do-nothing stand-ins for the two engine parts of the client entry. The client entry measured with one swapped out
 * shows what that part costs, which is what a byte budget below its size would have to give up.
 */
const ENGINE_PARTS = {
  'TokenSource (refresh, skew, single-flight, retries)': {
    'src/core/token-source.ts': `export class TokenSource { constructor(o) { this.refreshable = false; this.getToken = async () => o.token; this.refresh = this.getToken; this.getState = () => ({}); this.subscribe = () => () => {}; this.dispose = () => {}; } }`,
  },
  'EventQueue (batching, retries, keepalive flush, failed rows)': {
    'src/core/event-queue.ts': `export class EventQueue { constructor() { this.append = () => {}; this.flush = async () => {}; this.stats = () => ({}); this.failures = () => []; this.retryFailed = () => 0; this.discardFailed = () => []; this.subscribe = () => () => {}; this.dispose = () => {}; } }`,
  },
};

/** The same page written against either library: three charts on one endpoint each under one provider. */
function dashboard(from: string, providerImport: string, provider: string, providerProps: string): string {
  return `${providerImport}
import { AreaChart, BarChart, LineChart } from '${from}';
export function Dashboard() {
  return (
    <${provider} ${providerProps}>
      <BarChart endpoint="top_airlines" index="airline" categories={['bookings']} />
      <LineChart endpoint="bookings_per_hour" index="hour" categories={['bookings']} />
      <AreaChart endpoint="bookings_per_hour" index="hour" categories={['revenue']} />
    </${provider}>
  );
}`;
}

export const bundleSection: Section = {
  id: 'bundle',
  title: 'Bundle size',
  async run(ctx) {
    ensureScratchPackage('@tinybirdco/charts', CHARTS_VERSION);
    const sizes = new Map<string, BundleSize | Error>();
    for (const c of cases) {
      ctx.log(`bundling ${c.key}`);
      sizes.set(
        c.key,
        await bundleSize(c).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      );
    }
    const gzip = (key: string) => {
      const size = sizes.get(key);
      return size instanceof Error || size === undefined ? Number.NaN : size.gzip;
    };
    const rows = cases.map((c) => {
      const size = sizes.get(c.key)!;
      if (size instanceof Error) return [c.label, c.bundled, 'n/a', 'n/a', `build failed: ${firstLine(size)}`];
      const versus = c.versus
        ? `${ratio(size.gzip, gzip(c.versus))} of ${cases.find((o) => o.key === c.versus)!.label}`
        : '';
      return [c.label, c.bundled, kb(size.minified), kb(size.gzip), versus];
    });
    const client = gzip('client-rq-external');
    const clientCase = cases.find((c) => c.key === 'client-rq-external')!;
    const allParts = Object.assign({}, ...Object.values(ENGINE_PARTS)) as Record<string, string>;
    const partRows: string[][] = [];
    for (const [part, standIns] of [
      ...Object.entries(ENGINE_PARTS),
      ['everything else (React skin, client, HTTP, errors)', allParts] as const,
    ]) {
      ctx.log(`bundling the client entry without ${part}`);
      const without = await bundleSize({ ...clientCase, standIns });
      const cost = standIns === allParts ? without.gzip : client - without.gzip;
      partRows.push([
        part,
        kb(cost),
        `${Math.round((cost / client) * 100)} %`,
        standIns === allParts ? '' : `${without.gzip.toLocaleString('en')} B`,
      ]);
    }
    const dashboardRatio = gzip('dashboard') / gzip('tb-dashboard');
    return {
      summary:
        `Alternative: @tinybirdco/charts ${CHARTS_VERSION} (Tinybird's React charts, ECharts + SWR) or the @tinybirdco/sdk query client. ` +
        `A 3-chart dashboard ships ${ratio(gzip('dashboard'), gzip('tb-dashboard'))} the gzip bytes of the same page on @tinybirdco/charts` +
        (Number.isFinite(dashboardRatio) ? ` (${kb(gzip('tb-dashboard') - gzip('dashboard'))} less). ` : '. ') +
        `Like for like, hooks with their query library bundled, ours are larger: ${kb(gzip('client-rq-bundled'))} for our provider + ` +
        `hooks with react-query, ${ratio(gzip('client-rq-bundled'), gzip('tb-usequery-deep'))} of its useQuery imported from its own ` +
        `file with SWR (${kb(gzip('tb-usequery-deep'))}); ours also carry token refresh, healing and the event queue. Its package ` +
        `root import (${kb(gzip('tb-usequery'))}) drags ECharts along and is shown without a ratio; with react-query external ` +
        `(an app that already has it) there is no like-for-like row either. The second table measures the client entry again with each engine ` +
        `part replaced by a do-nothing stand-in: a 5 KB entry would mean giving up one of them, so the budgets are per use ` +
        `instead: a read-only dashboard does not bundle the event queue (shares do not add up to 100 %: gzip shares its ` +
        `dictionary across parts).`,
      tables: [
        { columns: ['What a page imports', 'Bundled', 'Minified', 'Gzip', 'Gzip vs. the alternative'], rows },
        {
          columns: ['Client entry (react-query external): part', 'Gzip it costs', 'Share', 'Gzip without it'],
          rows: partRows,
        },
      ],
      checks: [
        check(
          `TinybirdProvider + useEndpoint <= ${sizeBudgets.readOnly.toLocaleString('en-US')} B gzip (react-query external): the budget test/size enforces`,
          gzip('read-only-rq-external') <= sizeBudgets.readOnly,
          kb(gzip('read-only-rq-external')),
        ),
        check(
          `TinybirdProvider + useEndpoint + useAppend <= ${sizeBudgets.client.toLocaleString('en-US')} B gzip (react-query external): the budget test/size enforces`,
          client <= sizeBudgets.client,
          kb(client),
        ),
      ],
      notes: [
        'esbuild, minified, ESM, browser, NODE_ENV=production, gzip -9; react and react-dom external everywhere.',
        `@tinybirdco/charts is installed in bench/.scratch with --legacy-peer-deps: its peer range is React ^18.2 only.`,
      ],
      data: {
        sizes: Object.fromEntries(
          [...sizes].map(([k, v]) => [
            k,
            v instanceof Error ? { error: v.message } : { minified: v.minified, gzip: v.gzip },
          ]),
        ),
      },
    };
  },
};

function firstLine(error: Error): string {
  // esbuild's own message starts with "Build failed with 1 error:"; the first error's text says what is wrong.
  const first = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? error.message;
  return first.split('\n')[0]!.slice(0, 120);
}
