// lib/first-view.ts (server): the rows of the URL's view, fetched while the page renders, so the first HTML shows them
import { QueryClient, dehydrate, type DehydratedState } from '@tanstack/react-query';
import { createTinybirdClient, endpointQueryOptions, resolveDashboardParams } from 'react-tinybird/server';
import { DASHBOARD, WIDGETS } from './widgets';

type Search = Record<string, string | string[] | undefined>;

/** ANALYTICS_NOW freezes the dashboard's clock (the fixtures end in July 2025); else the real one. */
export const frozenNow = (): number | undefined =>
  process.env.ANALYTICS_NOW ? Date.parse(process.env.ANALYTICS_NOW) : undefined;

/**
 * Every widget of the tab, with the params its provider will send (a widget that cross-filters leaves its own filter
 * out), and the clock they were resolved at, for the provider's `initialNow`.
 */
export async function firstView(token: string, baseUrl: string, search: Search, tab: string) {
  const { params, initialNow } = resolveDashboardParams({ ...DASHBOARD, searchParams: search, now: frozenNow() });
  const client = createTinybirdClient({ token, baseUrl });
  const queryClient = new QueryClient();
  await Promise.all(
    WIDGETS.filter((widget) => widget.tab === tab).map(({ pipe, crossFilter, params: own }) =>
      queryClient.prefetchQuery(
        // An `undefined` param is not sent, and a query key holds no `undefined`: the same key as the browser's.
        endpointQueryOptions(client, pipe, { ...params, ...(crossFilter && { domain: undefined }), ...own }),
      ),
    ),
  );
  client.dispose();
  return { rows: dehydrate(queryClient) as DehydratedState, initialNow };
}
