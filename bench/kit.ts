// Section `kit`: examples/web-analytics (react-tinybird) side by side with the web analytics starter kit's own dashboard,
// both built for production and served by `next start`, against one local server on the kit's project and fixtures,
// behind one counting proxy, loaded in turn in Chromium.
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/support/chromium';
import { ensureKitBuild, ensureOursBuild, kitProject, startNext, type BuiltApp, type RunningApp } from './lib/kit-apps';
import { measureLoad, type ApiRequest, type Counts, type LoadResult, type WidgetProbe } from './lib/kit-page';
import { benchToken, startLocalProcess, type LocalProcess } from './lib/local';
import { startProxy, type Proxy } from './lib/proxy';
import { goal, check, type Check, type Section, type Table } from './lib/section';
import { int, kb, percentile, ratio } from './lib/stats';

/** The kit's fixtures end on 2025-07-17: both dashboards show the 30 days before, as examples/web-analytics does. */
const NOW = '2025-07-18T00:00:00Z';
const DATE_FROM = '2025-06-18';
const DATE_TO = '2025-07-17';
const TENANT = 'tenant_1';
/** Loads per dashboard (interleaved) and how long each stays open: BENCH_KIT_LOADS, BENCH_KIT_OPEN_S. */
const LOADS = Number(process.env.BENCH_KIT_LOADS ?? 3);
const OPEN_MS = Number(process.env.BENCH_KIT_OPEN_S ?? 60) * 1000;

/** A react-tinybird chart frame that shows its rows: ready, with bars, a path, list rows or a value in it. */
const frame = (label: string): WidgetProbe => ({
  name: label,
  drawn: `(d) => { const f = d.querySelector('figure[aria-label="${label}"]');
    return !!f && f.dataset.state === 'ready' && !!f.querySelector('svg path[d], .rtb-barlist-row, .rtb-metric-value'); }`,
});

/**
 * The widgets both dashboards have, the way each draws them. Left out on both sides: current visitors (the kit's
 * endpoint reads the real last minutes, empty against fixtures; the kit prints "0 visitors online" before it has any
 * answer, so it cannot tell drawn from waiting), our "Last 30 minutes" (the kit has none) and the kit's AI insight cards
 * (we have none). Their requests are counted all the same.
 */
const OURS: WidgetProbe[] = [
  ...['Unique visitors', 'Pageviews', 'Bounce rate', 'Visit duration', 'Trend'].map(frame),
  ...['Domains', 'Top pages', 'Top sources', 'Devices', 'Browsers', 'Locations'].map(frame),
];

/** The kit's SqlChart card for `title` has drawn its area (or bars); its PipeTable for `title` has a row with text. */
const kitChart = (title: string): WidgetProbe => ({
  name: title,
  drawn: `(d) => [...d.querySelectorAll('[class*="sqlChartCard"]')].some((c) =>
    c.querySelector('span')?.textContent === '${title}' &&
    !!c.querySelector('path.recharts-area-curve[d], path.recharts-area-area[d], .recharts-bar-rectangle path[d]'))`,
});
const kitTable = (title: string): WidgetProbe => ({
  name: title,
  drawn: `(d) => [...d.querySelectorAll('h2')].some((h) =>
    h.textContent === '${title}' && (h.parentElement?.querySelector('tbody tr td')?.textContent ?? '') !== '')`,
});
const KIT: WidgetProbe[] = [
  kitChart('Visitors'),
  kitChart('Pageviews'),
  // The domain select: a second combobox (after the time range) once `domains` answered.
  { name: 'Domains', drawn: `(d) => d.querySelectorAll('[role="combobox"]').length >= 2` },
  ...['Top pages', 'Top sources', 'Top devices', 'Top browsers', 'Top locations'].map(kitTable),
];

/** The JWT the kit's credentials dialog signs (its createJwt): every endpoint, `tenant_id` pinned, read filters. */
function kitToken(local: LocalProcess): Promise<string> {
  const pipes = ['domains', 'top_sources', 'top_devices', 'kpis', 'top_locations', 'top_browsers', 'top_pages'];
  pipes.push('trend', 'domain', 'current_visitors', 'web_vitals_current', 'web_vitals_routes');
  pipes.push('web_vitals_distribution', 'web_vitals_events', 'web_vitals_timeseries', 'analytics_hits', 'actions');
  const datasources = ['analytics_events', 'tenant_actions_mv', 'tenant_domains_mv'];
  return benchToken(local, 'frontend_jwt', [
    ...pipes.map((resource) => ({ type: 'PIPES:READ' as const, resource, fixed_params: { tenant_id: TENANT } })),
    ...datasources.map((resource) => ({
      type: 'DATASOURCES:READ' as const,
      resource,
      filter: `tenant_id = '${TENANT}'`,
    })),
  ]);
}

interface Side {
  label: string;
  app: BuiltApp;
  running?: RunningApp;
  url: string;
  widgets: WidgetProbe[];
  token?: string;
  loads: LoadResult[];
}

const median = (values: number[]) => percentile(values, 50);
/** Every HTTP request the API host received: the browser's queries, the app server's, and CORS preflights. */
const sum = (c: Counts) => c.browser + c.server + c.preflight;

export const kitSection: Section = {
  id: 'kit',
  title: 'Side by side with the web analytics starter kit',
  async run(ctx) {
    // Each is built once and reused by later runs while its sources are unchanged (bench/.scratch). The kit first:
    // when it is missing or cannot be built here, the section says why before spending minutes on ours.
    let kit: BuiltApp;
    try {
      kit = ensureKitBuild(ctx.log);
    } catch (error) {
      throw new Error(`the kit's dashboard could not be built here: ${(error as Error).message}`, { cause: error });
    }
    const ours = ensureOursBuild(ctx.log);

    const api: ApiRequest[] = [];
    let local: LocalProcess | undefined;
    let proxy: Proxy | undefined;
    const sides: Side[] = [];
    // Only loopback hosts resolve: whatever a page asks of the internet fails here, on any machine, and is listed.
    const noInternet = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost';
    const browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args, noInternet] });
    try {
      local = await startLocalProcess(ctx.log, { projects: [kitProject], fixtures: true });
      proxy = await startProxy({
        target: local.url,
        onRequest: (req) =>
          api.push({
            at: Date.now(),
            method: req.method ?? '',
            path: req.url ?? '',
            fromBrowser: !!req.headers.origin,
          }),
      });
      const token = await kitToken(local);
      const oursSide: Side = {
        label: 'react-tinybird (examples/web-analytics)',
        app: ours,
        url: '',
        widgets: OURS,
        loads: [],
      };
      const kitSide: Side = { label: "the kit's dashboard", app: kit, url: '', widgets: KIT, token, loads: [] };
      sides.push(oursSide, kitSide);
      oursSide.running = await startNext(ours.dir, {
        TINYBIRD_URL: proxy.url,
        TINYBIRD_ADMIN_TOKEN: local.adminToken,
        TENANT_ID: TENANT,
        ANALYTICS_NOW: NOW,
      });
      oursSide.url = `${oursSide.running.url}/`; // its default range: the last 30 days before ANALYTICS_NOW
      kitSide.running = await startNext(kit.dir, {});
      // The kit's way without env vars: host and token in the page URL, as its credentials dialog leaves them.
      const query = new URLSearchParams({
        host: proxy.url,
        token,
        tenant_id: TENANT,
        date_from: DATE_FROM,
        date_to: DATE_TO,
      });
      kitSide.url = `${kitSide.running.url}/?${query}`;

      // A first visit of each that is not measured: Next compiles nothing at runtime, but its server and the local
      // server's caches of parsed pipes warm up the same way for both.
      for (const side of sides) await (await fetch(side.url)).text();

      for (let i = 0; i < LOADS; i += 1) {
        // Interleaved, and who goes first alternates, so a slow spell on the machine hits both.
        for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
          ctx.log(`load ${i + 1}/${LOADS}: ${side.label}, open ${OPEN_MS / 1000} s`);
          side.loads.push(
            await measureLoad(browser, {
              url: side.url,
              widgets: side.widgets,
              openMs: OPEN_MS,
              api,
              token: side.token,
            }),
          );
        }
      }
    } finally {
      await browser.close();
      for (const side of sides) await side.running?.close();
      await proxy?.close();
      await local?.close();
    }
    return report(sides[0]!, sides[1]!);
  },
};

function report(ours: Side, kit: Side) {
  const figures = (side: Side) => {
    const drawn = side.loads.map((l) => l.drawnMs ?? Number.NaN);
    return {
      js: side.loads[0]!.scripts,
      untilDrawn: median(side.loads.map((l) => sum(l.untilDrawn))),
      drawnMs: drawn.some(Number.isNaN) ? Number.NaN : median(drawn),
      perMinute: median(side.loads.map((l) => (sum(l.whileOpen) * 60_000) / OPEN_MS)),
      cls: Math.max(...side.loads.map((l) => l.cls)),
      never: [
        ...new Set(side.loads.flatMap((l) => side.widgets.filter((w) => !(w.name in l.widgets)).map((w) => w.name))),
      ],
    };
  };
  const a = figures(ours);
  const b = figures(kit);
  const less = (x: number, y: number) =>
    y === 0 ? (x === 0 ? 'equal' : 'more') : `${Math.round((1 - x / y) * 100)} % less`;
  const rows: [string, number, number, (n: number) => string][] = [
    ['First-load JS, gzip (all scripts the page loaded)', a.js.gzip, b.js.gzip, kb],
    ['API requests until every widget shows data (browser, app server, preflights)', a.untilDrawn, b.untilDrawn, int],
    ['Time until every widget is drawn, median', a.drawnMs, b.drawnMs, (n) => `${int(n)} ms`],
    [
      `API requests per minute while open (first ${OPEN_MS / 1000} s, load included)`,
      a.perMinute,
      b.perMinute,
      (n) => n.toFixed(1),
    ],
    ['Layout shift (CLS, worst load)', a.cls, b.cls, (n) => n.toFixed(4)],
  ];
  const main: Table = {
    columns: ['Per load, Chromium 1280×900', 'react-tinybird', 'the kit', 'ours / theirs', 'by how much'],
    rows: rows.map(([name, x, y, f]) => [
      name,
      f(x),
      f(y),
      ratio(x, y),
      Number.isFinite(x) && Number.isFinite(y) ? less(x, y) : 'n/a',
    ]),
  };
  const details: Table = {
    caption:
      `Each load in detail (${LOADS} per dashboard, each open ${OPEN_MS / 1000} s). Times from navigation start; ` +
      `requests as browser queries + app server queries + CORS preflights`,
    columns: [
      'Dashboard, load',
      'HTML first byte',
      'first widget',
      'every widget',
      'until drawn',
      'while open',
      'CLS',
      'scripts',
      'gzip',
    ],
    rows: [ours, kit].flatMap((side) =>
      side.loads.map((l, i) => [
        `${side === ours ? 'react-tinybird' : 'the kit'} #${i + 1}`,
        `${int(l.htmlMs)} ms`,
        Object.keys(l.widgets).length === 0 ? 'never' : `${int(Math.min(...Object.values(l.widgets)))} ms`,
        l.drawnMs === null ? 'never' : `${int(l.drawnMs)} ms`,
        `${l.untilDrawn.browser} + ${l.untilDrawn.server} + ${l.untilDrawn.preflight}`,
        `${l.whileOpen.browser} + ${l.whileOpen.server} + ${l.whileOpen.preflight}`,
        l.cls.toFixed(4),
        l.scripts.count,
        kb(l.scripts.gzip),
      ]),
    ),
  };
  const pipes = [...new Set([ours, kit].flatMap((s) => Object.keys(s.loads[0]!.byPipe)))].sort();
  const byPipe: Table = {
    caption: `Queries by endpoint in the first load's ${OPEN_MS / 1000} s`,
    columns: ['Endpoint', 'react-tinybird', 'the kit'],
    rows: pipes.map((p) => [p, ours.loads[0]!.byPipe[p] ?? 0, kit.loads[0]!.byPipe[p] ?? 0]),
  };
  const checks: Check[] = [
    check(
      'both dashboards read the same days',
      [ours, kit].every((s) =>
        s.loads.every((l) => l.ranges.length === 1 && l.ranges[0] === `${DATE_FROM}..${DATE_TO}`),
      ),
      `top_pages ranges: ours ${[...new Set(ours.loads.flatMap((l) => l.ranges))].join(', ') || 'none'}, ` +
        `kit ${[...new Set(kit.loads.flatMap((l) => l.ranges))].join(', ') || 'none'}`,
    ),
    check(
      'every widget of both drawn in every load',
      a.never.length + b.never.length === 0,
      `never drawn: ours ${a.never.join(', ') || 'none'}; kit ${b.never.join(', ') || 'none'}`,
    ),
    ...rows.map(([name, x, y, f]) =>
      goal(`less ${name.split(' (')[0]!.toLowerCase()}`, x < y || (x === 0 && y === 0), `${f(x)} vs ${f(y)}`),
    ),
  ];
  const external = [...new Set(kit.loads.flatMap((l) => l.external).concat(ours.loads.flatMap((l) => l.external)))];
  const range = `${DATE_FROM}..${DATE_TO}`;
  const insights = Object.entries(kit.loads[0]!.byRange)
    .filter(([r]) => r !== '' && r !== range)
    .reduce((total, [, n]) => total + n, 0);
  const afterLoad = (side: Side) => median(side.loads.map((l) => sum(l.whileOpen) - sum(l.untilDrawn)));
  const notes = [
    `react-tinybird: examples/web-analytics (${ours.app.versions}), server-rendered: the page's server fetches the ` +
      `view's rows (the "app server" requests) and the first HTML shows every widget. The kit: its dashboard/ ` +
      `(${kit.app.versions}), a static page whose widgets all fetch in the browser, with the Bearer header (hence a ` +
      `CORS preflight each).`,
    `Of the kit's ${int(sum(kit.loads[0]!.whileOpen) - kit.loads[0]!.whileOpen.preflight)} queries, ${insights} are ` +
      `its AI insight cards' (ranges of their own, from the real clock: empty against these fixtures), which ours has ` +
      `not. Queries repeating an earlier one of the same load exactly, before every widget was drawn: ours ` +
      `${ours.loads[0]!.repeated}, the kit ${kit.loads[0]!.repeated}.`,
    `After every widget was drawn, in the rest of the first ${OPEN_MS / 1000} s: ours ${afterLoad(ours)} requests ` +
      `(current visitors and last 30 minutes poll every 30 s, each with a preflight), the kit ${afterLoad(kit)}: its ` +
      `SWR refreshes every query every 120 s (not measured here: past the minute).`,
    ...kit.app.notes.map((note) => `The kit's build: ${note}.`),
    `The kit's token travels in the page URL (?host=…&token=…, as its credentials dialog leaves it): ` +
      `${kit.loads[0]!.tokenInUrl} page request(s) per load carried it; ours ${ours.loads[0]!.tokenInUrl}.`,
    ...(external.length > 0
      ? [`Requests beyond this machine (they fail: only loopback resolves): ${external.join(', ')}.`]
      : []),
  ];
  const summary =
    `Alternative: the web analytics starter kit's own dashboard, on the same local server and data. ` +
    `react-tinybird's example loads ${ratio(a.js.gzip, b.js.gzip)} the JavaScript (gzip), makes ${ratio(a.untilDrawn, b.untilDrawn)} ` +
    `the API requests before every widget shows data, draws them all in ${ratio(a.drawnMs, b.drawnMs)} the time, ` +
    `makes ${ratio(a.perMinute, b.perMinute)} the requests per minute while open, with a CLS of ${a.cls.toFixed(4)} against ${b.cls.toFixed(4)}.`;
  return {
    summary,
    tables: [main, details, byPipe],
    checks,
    notes,
    data: {
      loads: LOADS,
      openMs: OPEN_MS,
      ours: { figures: a, loads: ours.loads },
      kit: { figures: b, loads: kit.loads, installNotes: kit.app.notes },
    },
  };
}
