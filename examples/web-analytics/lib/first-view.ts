// lib/first-view.ts (server): the rows of the URL's view, fetched while the page renders, so the first HTML shows them
import { QueryClient, dehydrate, type DehydratedState } from '@tanstack/react-query';
import { createTinybirdClient, endpointQueryOptions } from 'react-tinybird/server';
import { WIDGETS } from './widgets';

type Search = Record<string, string | string[] | undefined>;
const DAY = 86_400_000;
const SPANS: Record<string, number> = { '1h': DAY / 24, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

/** The dashboard's clock: ANALYTICS_NOW frozen, else the end of this minute, as the provider counts it. */
export function dashboardClock(): { now?: number; initialNow: number } {
  const fixed = process.env.ANALYTICS_NOW ? Date.parse(process.env.ANALYTICS_NOW) : undefined;
  return { now: fixed, initialNow: fixed ?? Math.ceil((Date.now() + 1) / 60_000) * 60_000 };
}

/**
 * The `date_from`/`date_to` (days, both included, UTC) the provider sends for the URL's range. It repeats the
 * library's resolution of a range, which react-tinybird/dashboard does not offer to a server: should the two ever
 * differ, the browser fetches again and the page still shows the right rows.
 */
function days(search: Search, now: number): Record<string, string> {
  const { range = '30d', from, to } = search;
  let [start, end] =
    typeof from === 'string' && typeof to === 'string' ? [Date.parse(from), Date.parse(to)] : [NaN, NaN];
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
    const today = Math.floor(now / DAY) * DAY;
    if (range === 'today' || range === 'yesterday')
      [start, end] = range === 'today' ? [today, today + DAY] : [today - DAY, today];
    else if (range === '12mo') [start, end] = [new Date(now).setUTCFullYear(new Date(now).getUTCFullYear() - 1), now];
    else [start, end] = [now - (SPANS[String(range)] ?? SPANS['30d']!), now];
  }
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { date_from: day(start), date_to: day(end - 1) };
}

/** Every widget of the tab, with the params it will send (a widget that cross-filters leaves its own filter out). */
export async function firstView(token: string, baseUrl: string, search: Search, tab: string): Promise<DehydratedState> {
  const { now, initialNow } = dashboardClock();
  const dates = days(search, now ?? initialNow);
  const domain = typeof search.domain === 'string' ? { domain: search.domain } : {};
  const client = createTinybirdClient({ token, baseUrl });
  const queryClient = new QueryClient();
  await Promise.all(
    WIDGETS.filter((widget) => widget.tab === tab).map(({ pipe, params, crossFilter }) =>
      queryClient.prefetchQuery(
        endpointQueryOptions(client, pipe, { ...dates, ...(crossFilter ? {} : domain), ...params }),
      ),
    ),
  );
  client.dispose();
  return dehydrate(queryClient);
}
