import { useEffect } from 'react';
import { TinybirdProvider, useEndpoint } from '../src/index';
import { startProxy, type Proxy } from './lib/proxy';
import { loadTinybirdChartsUseQuery, mount, sleep, waitFor } from './lib/react';
import { ensureScratchPackage } from './lib/scratch';
import { createSeedGuideFetcher } from './lib/seed-guide';
import { check, type LocalTinybird, type Section } from './lib/section';
import { int } from './lib/stats';
import { startTokenRoute, type TokenRoute } from './lib/token-route';

const PIPE = 'top_airlines';
const WIDGET_COUNTS = [1, 10, 100];
const DASHBOARD_WIDGETS = 20;
const POLL_MS = 1_000;
const DASHBOARD_SECONDS = 60;
const SHORT_TTL_SECONDS = 5;
const OUTAGE_SECONDS = 30;

/** Each widget asks for different rows (limit = its index + 1), so react-query cannot merge them into one query. */
function Widget({ index, poll, onData }: { index: number; poll: boolean; onData: (index: number) => void }) {
  const { data } = useEndpoint(PIPE, { limit: index + 1 }, poll ? { refetchInterval: POLL_MS } : {});
  useEffect(() => {
    if (data) onData(index);
  }, [data, index, onData]);
  return null;
}

function Dashboard({
  tokenUrl,
  baseUrl,
  widgets,
  poll,
  onData,
}: {
  tokenUrl: string;
  baseUrl: string;
  widgets: number;
  poll: boolean;
  onData: (index: number) => void;
}) {
  return (
    <TinybirdProvider tokenUrl={tokenUrl} baseUrl={baseUrl}>
      {Array.from({ length: widgets }, (_, index) => (
        <Widget key={index} index={index} poll={poll} onData={onData} />
      ))}
    </TinybirdProvider>
  );
}

/** A token route and a counting proxy in front of the local server: one pair per contender, so counts never mix. */
async function rig(
  local: LocalTinybird,
  ttlSeconds: number,
): Promise<{ route: TokenRoute; proxy: Proxy; close(): Promise<void> }> {
  const route = await startTokenRoute(local, ttlSeconds);
  const proxy = await startProxy({ target: local.url });
  return { route, proxy, close: async () => void (await Promise.all([route.close(), proxy.close()])) };
}

const pipeUrl = (base: string, index: number) => `${base}/v0/pipes/${PIPE}.json?limit=${index + 1}`;

/** Token requests while N widgets mount and load, react-tinybird vs the seed guide's per-widget fetcher. */
async function mountOnce(local: LocalTinybird, widgets: number): Promise<{ ours: number; seedGuide: number }> {
  const ours = await rig(local, 600);
  const loaded = new Set<number>();
  const unmount = mount(
    <Dashboard
      tokenUrl={ours.route.tokenUrl}
      baseUrl={ours.proxy.url}
      widgets={widgets}
      poll={false}
      onData={(i) => loaded.add(i)}
    />,
  );
  await waitFor(() => loaded.size === widgets, `${widgets} widgets to load`);
  unmount();
  await ours.close();

  const naive = await rig(local, 600);
  await Promise.all(
    Array.from({ length: widgets }, (_, i) =>
      createSeedGuideFetcher(naive.route.generateJWT, { remembersToken: true })(pipeUrl(naive.proxy.url, i)),
    ),
  );
  await naive.close();
  return { ours: ours.route.requests(), seedGuide: naive.route.requests() };
}

interface DashboardOutcome {
  tokenRequests: number;
  forbidden: number;
  /** Per 403: how long the JWT still had when the request arrived (ms; negative = already expired). */
  forbiddenMsLeft: number[];
  ok: number;
  tokenInUrl: boolean;
}

/** Runs every contender's polling dashboard at once for the same 60 s, each against its own route and proxy. */
type Contender = 'ours' | 'seedAsWritten' | 'seedRemembers' | 'tbCharts';

async function pollingDashboards(
  local: LocalTinybird,
  log: (m: string) => void,
): Promise<Record<Contender, DashboardOutcome>> {
  ensureScratchPackage('@tinybirdco/charts', '0.3.0');
  const useTinybirdChartsQuery = loadTinybirdChartsUseQuery();
  const [ours, seedAsWritten, seedRemembers, tbCharts] = await Promise.all(
    [0, 1, 2, 3].map(() => rig(local, SHORT_TTL_SECONDS)),
  );
  const deadline = Date.now() + DASHBOARD_SECONDS * 1000;
  const stops: (() => void)[] = [];

  stops.push(
    mount(
      <Dashboard
        tokenUrl={ours!.route.tokenUrl}
        baseUrl={ours!.proxy.url}
        widgets={DASHBOARD_WIDGETS}
        poll
        onData={() => {}}
      />,
    ),
  );

  // @tinybirdco/charts takes a token and has no way to renew it: the page fetches one at load and passes it down.
  const pageToken = await tbCharts!.route.generateJWT();
  function ChartsWidget({ index }: { index: number }) {
    useTinybirdChartsQuery({
      endpoint: `${tbCharts!.proxy.url}/v0/pipes/${PIPE}.json`,
      token: pageToken,
      params: { limit: index + 1 },
      refreshInterval: POLL_MS,
    });
    return null;
  }
  stops.push(
    mount(
      <>
        {Array.from({ length: DASHBOARD_WIDGETS }, (_, i) => (
          <ChartsWidget key={i} index={i} />
        ))}
      </>,
    ),
  );

  // The seed guide uses SWR with a refresh interval: fetch, wait, fetch again, each widget with its own fetcher.
  const seedLoops = [seedAsWritten!, seedRemembers!].flatMap((r, variant) =>
    Array.from({ length: DASHBOARD_WIDGETS }, async (_, i) => {
      const fetcher = createSeedGuideFetcher(r.route.generateJWT, { remembersToken: variant === 1 });
      while (Date.now() < deadline) {
        await fetcher(pipeUrl(r.proxy.url, i)).catch(() => undefined);
        await sleep(POLL_MS);
      }
    }),
  );
  log(
    `${DASHBOARD_WIDGETS}-widget dashboards polling every ${POLL_MS / 1000} s for ${DASHBOARD_SECONDS} s (token lifetime ${SHORT_TTL_SECONDS} s)`,
  );
  await Promise.all([...seedLoops, sleep(deadline - Date.now())]);
  for (const stop of stops) stop();
  await sleep(200);

  const outcome = (r: { route: TokenRoute; proxy: Proxy }): DashboardOutcome => ({
    tokenRequests: r.route.requests(),
    forbidden: r.proxy.stats.byStatus[403] ?? 0,
    forbiddenMsLeft: r.proxy.stats.forbiddenMsLeft,
    ok: r.proxy.stats.byStatus[200] ?? 0,
    tokenInUrl: r.proxy.stats.tokenInUrl > 0,
  });
  const result = {
    ours: outcome(ours!),
    seedAsWritten: outcome(seedAsWritten!),
    seedRemembers: outcome(seedRemembers!),
    tbCharts: outcome(tbCharts!),
  };
  await Promise.all([ours, seedAsWritten, seedRemembers, tbCharts].map((r) => r!.close()));
  return result;
}

interface OutageOutcome {
  /** Token requests while the route was down. */
  ours: number;
  seedGuide: number;
  /** ms from the route coming back to react-tinybird's first answered query. */
  recoveryMs: number;
}

/**
 * The token route goes down (503) for 30 s under a 20-widget dashboard polling every second with 5 s tokens, so every
 * token expires during the outage; then it comes back. Counts what each way asks of the failing route, side by side.
 */
async function routeOutage(local: LocalTinybird, log: (m: string) => void): Promise<OutageOutcome> {
  const [ours, naive] = await Promise.all([rig(local, SHORT_TTL_SECONDS), rig(local, SHORT_TTL_SECONDS)]);
  const loaded = new Set<number>();
  const unmount = mount(
    <Dashboard
      tokenUrl={ours.route.tokenUrl}
      baseUrl={ours.proxy.url}
      widgets={DASHBOARD_WIDGETS}
      poll
      onData={(i) => loaded.add(i)}
    />,
  );
  await waitFor(() => loaded.size === DASHBOARD_WIDGETS, 'the dashboard to load');
  let outage = true;
  const seedLoops = Array.from({ length: DASHBOARD_WIDGETS }, async (_, i) => {
    const fetcher = createSeedGuideFetcher(naive.route.generateJWT, { remembersToken: true });
    await fetcher(pipeUrl(naive.proxy.url, i)).catch(() => undefined);
    while (outage) {
      await fetcher(pipeUrl(naive.proxy.url, i)).catch(() => undefined);
      await sleep(POLL_MS);
    }
  });
  await sleep(200); // every guide widget holds a token before the outage starts
  log(`token route down for ${OUTAGE_SECONDS} s under ${DASHBOARD_WIDGETS} widgets polling every ${POLL_MS / 1000} s`);
  const before = { ours: ours.route.requests(), seedGuide: naive.route.requests() };
  ours.route.setDown(true);
  naive.route.setDown(true);
  await sleep(OUTAGE_SECONDS * 1000);
  const during = { ours: ours.route.requests() - before.ours, seedGuide: naive.route.requests() - before.seedGuide };
  outage = false;
  await Promise.all(seedLoops);
  const answered = ours.proxy.stats.byStatus[200] ?? 0;
  const back = Date.now();
  ours.route.setDown(false);
  await waitFor(() => (ours.proxy.stats.byStatus[200] ?? 0) > answered, 'an answer after the outage', 60_000);
  const recoveryMs = Date.now() - back;
  unmount();
  await Promise.all([ours.close(), naive.close()]);
  return { ...during, recoveryMs };
}

export const tokensSection: Section = {
  id: 'tokens',
  title: 'Token traffic',
  async run(ctx) {
    const local = await ctx.local();
    const mounts: Record<number, { ours: number; seedGuide: number }> = {};
    for (const widgets of WIDGET_COUNTS) {
      ctx.log(`${widgets} mounted widget(s)`);
      mounts[widgets] = await mountOnce(local, widgets);
    }
    const dash = await pollingDashboards(local, ctx.log);
    const outage = await routeOutage(local, ctx.log);
    const lifetimes = DASHBOARD_SECONDS / SHORT_TTL_SECONDS;
    const dashRow = (label: string, o: DashboardOutcome) => [
      label,
      int(o.tokenRequests),
      (o.tokenRequests / lifetimes).toFixed(1),
      int(o.forbidden),
      int(o.ok),
      o.tokenInUrl ? 'yes' : 'no',
    ];
    return {
      summary:
        `Alternative: the fetcher from Tinybird's Next.js JWT guide (token in the URL, a new token on 403, token state per widget) ` +
        `or @tinybirdco/charts' useQuery (a token passed in, never renewed). With ${DASHBOARD_WIDGETS} widgets and ${SHORT_TTL_SECONDS} s tokens, ` +
        `react-tinybird made ${int(dash.ours.tokenRequests)} token requests and got ${int(dash.ours.forbidden)} 403s in ${DASHBOARD_SECONDS} s; ` +
        `the guide's fetcher made ${int(dash.seedAsWritten.tokenRequests)} token requests as printed, or ${int(dash.seedRemembers.forbidden)} 403s when it keeps its token; ` +
        `@tinybirdco/charts got ${int(dash.tbCharts.ok)} answers in ${DASHBOARD_SECONDS} s: once its token expired, each widget stopped at a 403. ` +
        `With the token route down for ${OUTAGE_SECONDS} s, react-tinybird asked it ${int(outage.ours)} times, the guide's fetcher ${int(outage.seedGuide)} times; ` +
        `react-tinybird answered again ${(outage.recoveryMs / 1000).toFixed(1)} s after the route came back (the price of its cooldown; a Retry button skips it).`,
      tables: [
        {
          caption: 'Token requests while N widgets mount and load (one token lifetime):',
          columns: ['Mounted widgets', 'react-tinybird', 'seed guide fetcher', 'Ratio'],
          rows: WIDGET_COUNTS.map((n) => [
            n,
            int(mounts[n]!.ours),
            int(mounts[n]!.seedGuide),
            `1 : ${(mounts[n]!.seedGuide / mounts[n]!.ours).toFixed(0)}`,
          ]),
        },
        {
          caption: `A ${DASHBOARD_WIDGETS}-widget dashboard polling every ${POLL_MS / 1000} s for ${DASHBOARD_SECONDS} s with ${SHORT_TTL_SECONDS} s tokens (${lifetimes} lifetimes), all four side by side:`,
          columns: ['Way', 'Token requests', 'per lifetime', '403 responses', 'Queries answered 200', 'Token in URL'],
          rows: [
            dashRow('react-tinybird (TinybirdProvider + useEndpoint)', dash.ours),
            dashRow('seed guide fetcher, as printed (never stores the token)', dash.seedAsWritten),
            dashRow('seed guide fetcher, keeping its token until a 403', dash.seedRemembers),
            dashRow('@tinybirdco/charts useQuery, token fetched at page load', dash.tbCharts),
          ],
        },
        {
          caption: `The token route answers 503 for ${OUTAGE_SECONDS} s under a ${DASHBOARD_WIDGETS}-widget dashboard polling every ${POLL_MS / 1000} s with ${SHORT_TTL_SECONDS} s tokens:`,
          columns: ['Way', 'Token requests during the outage', 'per second', 'First answer after the route is back'],
          rows: [
            [
              'react-tinybird (3 attempts, then one every 1-10 s)',
              int(outage.ours),
              (outage.ours / OUTAGE_SECONDS).toFixed(1),
              `${(outage.recoveryMs / 1000).toFixed(1)} s`,
            ],
            [
              'seed guide fetcher, keeping its token until a 403',
              int(outage.seedGuide),
              (outage.seedGuide / OUTAGE_SECONDS).toFixed(1),
              '',
            ],
          ],
        },
      ],
      checks: [
        ...WIDGET_COUNTS.map((n) =>
          check(`${n} widget(s) -> 1 token request`, mounts[n]!.ours === 1, `${mounts[n]!.ours}`),
        ),
        check(
          'no 403 while polling across token expiries',
          dash.ours.forbidden === 0,
          `${dash.ours.forbidden} responses 403` +
            (dash.ours.forbidden > 0
              ? `; the token had ${dash.ours.forbiddenMsLeft.map((t) => `${t} ms`).join(', ')} left on arrival`
              : ''),
        ),
        // Refreshing shortly before expiry makes a little more than one per lifetime; one per widget would be 20.
        check(
          'one refresh per token lifetime, not one per widget',
          dash.ours.tokenRequests < 2 * lifetimes,
          `${dash.ours.tokenRequests} in ${lifetimes} lifetimes`,
        ),
        // Three attempts per round, rounds at least 1 s apart and growing: far below one per widget poll.
        check(
          'a down token route is not polled by every widget',
          outage.ours < outage.seedGuide / 10,
          `${outage.ours} vs ${outage.seedGuide} requests`,
        ),
      ],
      notes: [
        'Real HTTP: the demo token route (createTokenHandler) and a counting proxy in front of the loopback local server, one pair per contender; real time, no fake timers.',
      ],
      data: {
        mounts,
        dashboard: dash,
        outage,
        outageSeconds: OUTAGE_SECONDS,
        widgets: DASHBOARD_WIDGETS,
        seconds: DASHBOARD_SECONDS,
        ttlSeconds: SHORT_TTL_SECONDS,
      },
    };
  },
};
