import { useEffect, useId, useReducer } from 'react';
import { notifyManager } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTinybird, useTinybirdQueryClient, useTinybirdToken } from 'react-tinybird';
import { formatClock } from './lib/format';

/**
 * What a cache key says: `['tinybird', cacheKey, 'pipe', name, params, principal]`, `[..., 'sql', sql, principal]`, or
 * `[..., 'token', n]` for a query waiting for its first token. The principal (whose rows it holds) comes last.
 */
const describeKey = (key: readonly unknown[]) => {
  const [, , kind, name, params] = key;
  if (kind === 'token') return { kind: 'pipe/sql', name: 'waiting for a token', principal: null };
  const shown = params && typeof params === 'object' && Object.keys(params).length ? ` ${JSON.stringify(params)}` : '';
  return { kind: String(kind), name: `${String(name)}${shown}`, principal: String(key[key.length - 1]) };
};

/** The react-query cache entries of this provider's client (keys start with `['tinybird', client.cacheKey]`). */
export function CacheSection(): ReactNode {
  const heading = useId();
  const { cacheKey } = useTinybird();
  const { principal: current } = useTinybirdToken();
  const cache = useTinybirdQueryClient().getQueryCache();
  // Every cache event (fetch started, data, observer added) redraws the section; it is small and only mounted when open.
  // The cache notifies synchronously, even while another component renders: batchCalls defers, as useIsFetching does.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => cache.subscribe(notifyManager.batchCalls(() => rerender())), [cache]);
  const queries = cache.findAll({ queryKey: ['tinybird', cacheKey] });
  return (
    <section className="rtbd-section" aria-labelledby={heading}>
      <div className="rtbd-bar">
        <h2 className="rtbd-heading" id={heading}>
          Query cache <span className="rtbd-muted">({queries.length})</span>
        </h2>
      </div>
      {queries.length === 0 ? (
        <p className="rtbd-muted">No cached query.</p>
      ) : (
        <div className="rtbd-scroll">
          <table className="rtbd-table" aria-label="Query cache">
            <thead>
              <tr>
                <th>kind</th>
                <th>key</th>
                <th>status</th>
                <th title="Whose rows the entry holds; * when it is not the current token's">principal</th>
                <th>observers</th>
                <th>rows</th>
                <th>updated</th>
              </tr>
            </thead>
            <tbody>
              {queries.map((query) => {
                const { kind, name, principal } = describeKey(query.queryKey);
                const { status, fetchStatus, data, dataUpdatedAt } = query.state;
                const rows = (data as { data?: unknown[] } | undefined)?.data?.length;
                return (
                  <tr key={query.queryHash} data-status={status}>
                    <td>{kind}</td>
                    <td className="rtbd-name" title={name}>
                      {name}
                    </td>
                    <td className={status === 'error' ? 'rtbd-bad' : undefined}>
                      {status}
                      {fetchStatus === 'fetching' ? ' ↻' : ''}
                      {query.isStale() ? ' (stale)' : ''}
                    </td>
                    <td className="rtbd-name">
                      {principal ?? '–'}
                      {principal && principal !== current ? ' *' : ''}
                    </td>
                    <td>{query.getObserversCount()}</td>
                    <td>{rows ?? '–'}</td>
                    <td>{dataUpdatedAt ? formatClock(dataUpdatedAt) : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
