// The page the soak test (soak.test.ts) loads in Chromium: a dashboard of six widgets on the demo project, three polling
// every 2 s and three not polling, under one TinybirdProvider with short-lived tokens. What each widget shows is read
// from the DOM by a MutationObserver, so the log holds every state a person could have seen, however briefly.
import { QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { TinybirdProvider, endpointQueryOptions, useEndpoint, useTinybird } from 'react-tinybird';

/** What one widget showed from `at` (epoch ms, page clock) on: its rows, an error (with its code), or a spinner. */
export interface Shown {
  at: number;
  widget: number;
  state: 'data' | 'error' | 'loading';
  code: string;
}

export interface SoakPageApi {
  /** Every change of what a widget shows, in order. */
  log: Shown[];
  /** What each widget shows now, read from the DOM. */
  now(): Shown[];
  /** Refetches every widget, as a filter change or a remount would: makes the ones that do not poll meet a fault. */
  invalidate(): void;
  /** Epoch ms (page clock) when the token in hand expires; null without one. */
  tokenExpiresAt(): number | null;
  /** Whether nothing is being fetched and the page holds a token: what the page started has ended. */
  settled(): boolean;
  /** The token source's status: 'error' once a round of token requests failed and no usable token is left. */
  tokenStatus(): string;
  /**
   * The widgets whose query was running when the page last went offline: a request in flight then may fail (the client
   * retries it, offline or not), while react-query starts none until the page is online again.
   */
  fetchingAtOffline: number[] | null;
}

declare global {
  interface Window {
    soak: SoakPageApi;
  }
}

type Pipe = 'top_airlines' | 'bookings_per_hour' | 'kpis';
const WIDGETS: Array<{ pipe: Pipe; params: Record<string, string | number>; poll: boolean }> = [
  { pipe: 'top_airlines', params: { limit: 3 }, poll: true },
  { pipe: 'bookings_per_hour', params: {}, poll: true },
  { pipe: 'kpis', params: { days: 7 }, poll: true },
  { pipe: 'top_airlines', params: { limit: 5 }, poll: false },
  { pipe: 'bookings_per_hour', params: { airline: 'Ryanair' }, poll: false },
  { pipe: 'kpis', params: { days: 30 }, poll: false },
];

// react-query's defaults, as an app would have them (the hooks do not retry a TinybirdError: the client already has),
// given to the provider with no QueryClientProvider around it.
const queryClient = new QueryClient();

function Widget({ index }: { index: number }) {
  const { pipe, params, poll } = WIDGETS[index]!;
  const { data, error } = useEndpoint(pipe, params, poll ? { refetchInterval: 2_000 } : {});
  // As useEndpoint's documented example does: an error is shown as soon as there is one, rows otherwise.
  const state = error ? 'error' : data ? 'data' : 'loading';
  return (
    <li data-widget={index} data-state={state} data-code={error?.code ?? ''}>
      {error ? `${error.code}: ${error.message}` : data ? `${pipe}: ${data.length} rows` : 'loading'}
    </li>
  );
}

function read(): Shown[] {
  const at = Date.now();
  return [...document.querySelectorAll<HTMLElement>('[data-widget]')].map((element) => ({
    at,
    widget: Number(element.dataset.widget),
    state: element.dataset.state as Shown['state'],
    code: element.dataset.code ?? '',
  }));
}

const log: Shown[] = [];
const last = new Map<number, string>();
// Called after every DOM change, before the next paint: no state reaches the screen without being logged here.
new MutationObserver(() => {
  for (const shown of read()) {
    const key = `${shown.state}:${shown.code}`;
    if (last.get(shown.widget) === key) continue;
    last.set(shown.widget, key);
    log.push(shown);
  }
}).observe(document.getElementById('root')!, {
  subtree: true,
  childList: true,
  attributes: true,
  attributeFilter: ['data-state', 'data-code'],
});

function Expose() {
  const client = useTinybird();
  const { tokens } = client;
  useEffect(() => {
    window.soak = {
      log,
      now: read,
      invalidate: () => void queryClient.invalidateQueries(),
      tokenExpiresAt: () => tokens.getState().expiresAt,
      settled: () => queryClient.isFetching() === 0 && tokens.getState().status === 'ready',
      tokenStatus: () => tokens.getState().status,
      fetchingAtOffline: null,
    };
    window.addEventListener('offline', () => {
      window.soak.fetchingAtOffline = WIDGETS.flatMap(({ pipe, params }, index) => {
        const { queryKey } = endpointQueryOptions(client, pipe, params);
        return queryClient.isFetching({ queryKey, exact: true }) ? [index] : [];
      });
    });
    document.body.dataset.ready = 'true';
  }, [client, tokens]);
  return null;
}

createRoot(document.getElementById('root')!).render(
  // 5 s tokens (the demo route's shortest): a token expires every few seconds, during every fault.
  <TinybirdProvider tokenUrl="/api/tinybird-token?ttl=5" queryClient={queryClient}>
    <Expose />
    <ul>
      {WIDGETS.map((_, index) => (
        <Widget key={index} index={index} />
      ))}
    </ul>
  </TinybirdProvider>,
);
