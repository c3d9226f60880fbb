import { benchToken } from './lib/local';
import { Profiler, useEffect, type ReactNode } from 'react';
import { TinybirdProvider, useEndpoint } from '../src/index';
import { loadTinybirdChartsUseQuery, mount, sleep, waitFor } from './lib/react';
import { ensureScratchPackage } from './lib/scratch';
import { check, type LocalTinybird, type Section } from './lib/section';

const PIPE = 'bench_widget';
const WIDGETS = 10;
const CHANGING = 2;
const POLL_MS = 1_000;
const SECONDS = 30;

/** Appends one event for a variant and waits until it is written, so the next poll sees it. */
async function appendEvent(local: LocalTinybird, variant: string, seq: number): Promise<void> {
  const response = await fetch(`${local.url}/v0/events?name=bench_events&wait=true`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${local.adminToken}`, 'Content-Type': 'application/x-ndjson' },
    body: JSON.stringify({ variant, seq, timestamp: '2026-01-01 00:00:00.000', airline: 'KLM', price: 1 }),
  });
  if (!response.ok) throw new Error(`append for ${variant}: ${response.status} ${await response.text()}`);
}

type Counts = number[];

export const rendersSection: Section = {
  id: 'renders',
  title: 'Renders',
  async run(ctx) {
    const local = await ctx.local();
    ensureScratchPackage('@tinybirdco/charts', '0.3.0');
    const useTinybirdChartsQuery = loadTinybirdChartsUseQuery();
    const token = await benchToken(local, 'bench_renders', [{ type: 'PIPES:READ', resource: PIPE }]);
    const run = Date.now().toString(36);
    const variant = (i: number) => `${run}-w${i}`;
    for (let i = 0; i < WIDGETS; i += 1) await appendEvent(local, variant(i), 0);

    const commits: Record<'ours' | 'theirs', Counts> = { ours: Array(WIDGETS).fill(0), theirs: Array(WIDGETS).fill(0) };
    const loaded: Record<'ours' | 'theirs', Set<number>> = { ours: new Set(), theirs: new Set() };

    // Each widget draws only its rows, as a chart would, and sits in its own Profiler to count its commits.
    function OurWidget({ index }: { index: number }) {
      const { data } = useEndpoint<{ events: number }>(PIPE, { variant: variant(index) }, { refetchInterval: POLL_MS });
      useEffect(() => void (data && loaded.ours.add(index)), [data, index]);
      return <span>{data?.[0]?.events ?? '…'}</span>;
    }
    function TheirWidget({ index }: { index: number }) {
      const { data } = useTinybirdChartsQuery({
        endpoint: `${local.url}/v0/pipes/${PIPE}.json`,
        token,
        params: { variant: variant(index) },
        refreshInterval: POLL_MS,
      });
      useEffect(() => void (data && loaded.theirs.add(index)), [data, index]);
      return <span>{(data?.[0] as { events?: number } | undefined)?.events ?? '…'}</span>;
    }
    const profiled = (who: 'ours' | 'theirs', index: number, child: ReactNode) => (
      <Profiler key={index} id={`${who}-${index}`} onRender={() => void (commits[who][index]! += 1)}>
        {child}
      </Profiler>
    );

    const unmountOurs = mount(
      <TinybirdProvider token={token} baseUrl={local.url}>
        {Array.from({ length: WIDGETS }, (_, i) => profiled('ours', i, <OurWidget index={i} />))}
      </TinybirdProvider>,
    );
    const unmountTheirs = mount(
      <>{Array.from({ length: WIDGETS }, (_, i) => profiled('theirs', i, <TheirWidget index={i} />))}</>,
    );
    await waitFor(() => loaded.ours.size === WIDGETS && loaded.theirs.size === WIDGETS, 'every widget to load');
    await sleep(POLL_MS * 1.5);
    const atLoad = { ours: [...commits.ours], theirs: [...commits.theirs] };

    ctx.log(`${WIDGETS} widgets × 2 polling every ${POLL_MS / 1000} s for ${SECONDS} s; ${CHANGING} endpoints change`);
    const deadline = Date.now() + SECONDS * 1000;
    for (let tick = 1; Date.now() < deadline; tick += 1) {
      const next = Date.now() + POLL_MS;
      for (let i = 0; i < CHANGING; i += 1) await appendEvent(local, variant(i), tick);
      await sleep(Math.max(0, next - Date.now()));
    }
    await sleep(POLL_MS * 1.5);
    unmountOurs();
    unmountTheirs();

    const during = (who: 'ours' | 'theirs') => commits[who].map((c, i) => c - atLoad[who][i]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const summary = (who: 'ours' | 'theirs') => {
      const d = during(who);
      return {
        changed: mean(d.slice(0, CHANGING)),
        unchanged: mean(d.slice(CHANGING)),
        unchangedTotal: d.slice(CHANGING).reduce((a, b) => a + b, 0),
        atLoad: mean(atLoad[who]),
      };
    };
    const ours = summary('ours');
    const theirs = summary('theirs');
    const row = (label: string, s: ReturnType<typeof summary>) => [
      label,
      s.atLoad.toFixed(1),
      s.changed.toFixed(1),
      s.unchanged.toFixed(1),
      String(s.unchangedTotal),
    ];
    return {
      summary:
        `Alternative: @tinybirdco/charts' useQuery (SWR), polling the same endpoints side by side. Widgets whose data did not change ` +
        `committed ${ours.unchangedTotal} times with react-tinybird and ${theirs.unchangedTotal} times with @tinybirdco/charts over ${SECONDS} s.`,
      tables: [
        {
          caption: `${WIDGETS} widgets polling every ${POLL_MS / 1000} s for ${SECONDS} s; ${CHANGING} endpoints get a new event every second. React commits per widget (Profiler):`,
          columns: [
            'Hook',
            'Commits to first data',
            `Commits per changing widget (${CHANGING})`,
            `Commits per unchanged widget (${WIDGETS - CHANGING})`,
            'Unneeded commits, total',
          ],
          rows: [row('react-tinybird useEndpoint', ours), row('@tinybirdco/charts useQuery', theirs)],
        },
      ],
      checks: [
        check('unchanged widgets do not re-render', ours.unchangedTotal === 0, `${ours.unchangedTotal} commits`),
        check('changing widgets do re-render', ours.changed >= SECONDS / 2, `${ours.changed.toFixed(1)} commits each`),
      ],
      notes: [
        `Real time and real HTTP to the local server, React ${(await import('react')).version} in jsdom; the two hooks run in the same ${SECONDS} s window. ` +
          `SWR's default 2 s deduping interval makes @tinybirdco/charts poll about every 2 s although asked for every ${POLL_MS / 1000} s.`,
      ],
      data: { commits, atLoad, ours, theirs },
    };
  },
};
