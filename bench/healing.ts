import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { TinybirdClient, endpointQueryOptions } from '../src/index';
import { healFailedQueries } from '../src/core/heal-failed-queries';
import { startProxy, type ProxyFault } from './lib/proxy';
import { goal, type Section } from './lib/section';
import { startTokenRoute } from './lib/token-route';

const PIPE = 'top_airlines';
const WIDGETS = 3;
const OUTAGE_MS = 10_000;
/** Short tokens for the token route outage, so the one in hand expires during it. */
const SHORT_TTL_SECONDS = 4;

const KINDS: Array<{ label: string; fault: ProxyFault | 'token' }> = [
  { label: 'API 503 storm', fault: '503' },
  { label: 'API 429 storm', fault: '429' },
  { label: 'dropped connections', fault: 'reset' },
  { label: 'token route down (the token expires during it)', fault: 'token' },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(check)}`);
    await sleep(10);
  }
}

/**
 * Widgets that do not poll, through each kind of transient failure: how long after the cause ends their data is back
 * with nothing but the healer acting (no polling, no page event, no Retry), and what the outage cost the failing side.
 */
export const healingSection: Section = {
  id: 'healing',
  title: 'Healing',
  async run(ctx) {
    const local = await ctx.local();
    const rows: Array<Array<string | number>> = [];
    const recoveries: number[] = [];
    for (const { label, fault } of KINDS) {
      ctx.log(`healing after: ${label}`);
      const route = await startTokenRoute(local, fault === 'token' ? SHORT_TTL_SECONDS : 600);
      const proxy = await startProxy({ target: local.url });
      const client = new TinybirdClient({ tokenUrl: route.tokenUrl, baseUrl: proxy.url });
      const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
      const stopHealing = healFailedQueries(client, queryClient);
      try {
        await client.tokens.getToken();
        const observers = Array.from(
          { length: WIDGETS },
          (_, i) => new QueryObserver(queryClient, endpointQueryOptions(client, PIPE, { limit: i + 1 })),
        );
        const stops = observers.map((observer) => observer.subscribe(() => {}));
        const all = (status: 'success' | 'error') => () =>
          observers.every((observer) => observer.getCurrentResult().status === status);
        await until(all('success'));
        const began = Date.now();
        const tokenRequests = route.requests();
        const apiRequests = proxy.stats.requests;
        if (fault === 'token') {
          route.setDown(true);
          await until(() => client.tokens.getState().status === 'error');
        } else proxy.setFault(fault);
        // Something made the widgets fetch during the outage (a filter change, a mount): they fail, and nobody polls.
        void queryClient.invalidateQueries();
        await until(all('error'));
        await sleep(Math.max(0, began + OUTAGE_MS - Date.now()));
        if (fault === 'token') route.setDown(false);
        else proxy.setFault(null);
        const ended = Date.now();
        const failingRequests =
          fault === 'token' ? route.requests() - tokenRequests : proxy.stats.requests - apiRequests;
        await until(all('success'));
        const recovery = Date.now() - ended;
        recoveries.push(recovery);
        rows.push([
          label,
          `${((ended - began) / 1000).toFixed(1)} s`,
          failingRequests,
          `${(recovery / 1000).toFixed(2)} s`,
        ]);
        for (const stop of stops) stop();
      } finally {
        stopHealing();
        client.dispose();
        await Promise.all([route.close(), proxy.close()]);
      }
    }
    const worst = Math.max(...recoveries);
    return {
      summary:
        `Alternative: react-query alone, which refetches a failed query that does not poll only on a page event ` +
        `(reconnect, focus) or a Retry click: without one its widgets stay on their error. With the healer, ${WIDGETS} ` +
        `widgets that do not poll had their data back at most ${(worst / 1000).toFixed(2)} s after each cause ended.`,
      tables: [
        {
          columns: [
            'Transient failure',
            'Outage',
            'Requests to the failing side during it',
            'Data back after it ended',
          ],
          rows,
        },
      ],
      checks: [goal('data back within 3 s of the cause ending, every kind', worst <= 3_000, `${worst} ms at most`)],
      notes: [
        `${WIDGETS} QueryObservers of ${PIPE} (different params, no refetchInterval), the provider's healer, real time, ` +
          `real HTTP to the local server through a proxy that answers every API request with the fault during the ` +
          `outage; for the token route, the route answers 503 and the ${SHORT_TTL_SECONDS} s token expires first.`,
        'Probes are 3 s apart during the first minute of an outage: the time to heal is where the next probe falls.',
      ],
      data: { recoveriesMs: Object.fromEntries(KINDS.map((kind, i) => [kind.label, recoveries[i]])) },
    };
  },
};
