import { useId, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { RequestLog } from './createRequestLog';
import { formatBytes, formatClock, formatDuration } from './lib/format';

const statusClass = (status: number | null) =>
  status === null ? undefined : status >= 200 && status < 300 ? 'rtbd-good' : 'rtbd-bad';

/** The live request log: newest first, one row per call with its retries folded in. */
export function RequestsSection({ log }: { log: RequestLog }): ReactNode {
  const heading = useId();
  const entries = useSyncExternalStore(log.subscribe, log.entries, log.entries);
  return (
    <section className="rtbd-section" aria-labelledby={heading}>
      <div className="rtbd-bar">
        <h2 className="rtbd-heading" id={heading}>
          Requests <span className="rtbd-muted">({entries.length})</span>
        </h2>
        <button type="button" className="rtbd-button" onClick={log.clear} disabled={!entries.length}>
          Clear
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="rtbd-muted">No request since the devtools mounted.</p>
      ) : (
        <div className="rtbd-scroll">
          <table className="rtbd-table" aria-label="Requests">
            <thead>
              <tr>
                <th>time</th>
                <th>kind</th>
                <th>name</th>
                <th>status</th>
                <th>latency</th>
                <th title="Attempts after the first, for any reason">retries</th>
                <th title="Retries after a 401/403: the token was refreshed in between">403 refresh</th>
                <th title="Retries after a 429: Retry-After or a backoff was waited out">429 backoff</th>
                <th title="Received; for appends, sent">bytes</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-kind={entry.kind} data-status={entry.status ?? 'pending'}>
                  <td>{formatClock(entry.startedAt)}</td>
                  <td>{entry.kind}</td>
                  <td className="rtbd-name" title={entry.params ? `${entry.name}?${entry.params}` : entry.name}>
                    {entry.name}
                  </td>
                  <td className={statusClass(entry.status)}>
                    {entry.pending ? (entry.status === null ? '…' : `${entry.status} → …`) : entry.status || 'failed'}
                  </td>
                  <td>{formatDuration(entry.duration)}</td>
                  <td>{entry.attempts - 1}</td>
                  <td>{entry.refreshes}</td>
                  <td>{entry.backoffs}</td>
                  <td title={`sent ${formatBytes(entry.sent)}`}>
                    {formatBytes(entry.kind === 'events' ? entry.sent : entry.received)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
