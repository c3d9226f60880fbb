/**
 * Where a dashboard keeps its state in the URL: read the query string, write it, hear back/forward. The default is
 * {@link historyAdapter}; write your own for a router that owns the URL another way.
 *
 * @example
 * ```ts
 * const memory: UrlAdapter = { getSearch: () => search, setSearch: (s) => { search = s; }, subscribe: () => () => {} };
 * ```
 */
export interface UrlAdapter {
  /** The current query string (`?a=1` or ''). */
  getSearch(): string;
  /** Shows `search` in the URL: a new history entry ('push') or in place of the current one ('replace'). */
  setSearch(search: string, mode: 'push' | 'replace'): void;
  /** Calls `onChange` when the URL changes under the dashboard (back, forward); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

/**
 * The browser's history API. Works as is with the Next.js App Router: since Next.js 14.1 `history.pushState` and
 * `replaceState` are synced with its router (`useSearchParams` sees the change), which is why the state argument is
 * `null` (Next.js fills in its own).
 *
 * @example
 * ```tsx
 * <DashboardProvider url={historyAdapter} filters={['airline']}>…</DashboardProvider>
 * ```
 */
export const historyAdapter: UrlAdapter = {
  getSearch: () => window.location.search,
  setSearch(search, mode) {
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  },
  subscribe(onChange) {
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  },
};
