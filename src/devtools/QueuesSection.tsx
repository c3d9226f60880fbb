import { useEffect, useId, useReducer, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useTinybird } from 'react-tinybird';
import type { EventQueue } from 'react-tinybird';
import type { RequestLog } from './createRequestLog';

/** The client's event queue, or null: an app that only reads never makes one (reading `client.events` then throws). */
function useEventQueue(): EventQueue | null {
  const client = useTinybird();
  try {
    return client.events;
  } catch {
    return null;
  }
}

/**
 * The append queues, one row per data source: pending, in flight, sent, failed and quarantined rows, with flush, retry
 * and discard. The queue does not list its data sources, so the panel shows those it saw appended to (in the request
 * log or among failures) plus the ones passed in `datasources`.
 */
export function QueuesSection({
  log,
  datasources = [],
}: {
  log: RequestLog;
  datasources?: readonly string[];
}): ReactNode {
  const heading = useId();
  const events = useEventQueue();
  const entries = useSyncExternalStore(log.subscribe, log.entries, log.entries);
  // stats() snapshots change identity on every change; one re-render per queue notification is enough.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => events?.subscribe(rerender), [events]);

  const appends = entries.filter((entry) => entry.kind === 'events');
  const names = events
    ? [
        ...new Set([
          ...datasources,
          ...appends.map((entry) => entry.name),
          ...events.failures().map((b) => b.datasource),
        ]),
      ].sort()
    : [];
  return (
    <section className="rtbd-section" aria-labelledby={heading}>
      <div className="rtbd-bar">
        <h2 className="rtbd-heading" id={heading}>
          Append queues
        </h2>
      </div>
      {!events ? (
        <p className="rtbd-muted">No append queue: nothing on this page uses useAppend.</p>
      ) : names.length === 0 ? (
        <p className="rtbd-muted">No append yet.</p>
      ) : (
        <table className="rtbd-table" aria-label="Append queues">
          <thead>
            <tr>
              <th>data source</th>
              <th>pending</th>
              <th title="Batches being sent now">in flight</th>
              <th>sent</th>
              <th>failed</th>
              <th>quarantined</th>
              <th>actions</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const stats = events.stats(name);
              const inFlight = appends.filter((entry) => entry.name === name && entry.pending).length;
              return (
                <tr key={name} data-datasource={name}>
                  <td className="rtbd-name">{name}</td>
                  <td data-testid="rtbd-pending">{stats.pending}</td>
                  <td>{inFlight}</td>
                  <td data-testid="rtbd-sent">{stats.sent}</td>
                  <td
                    data-testid="rtbd-failed"
                    className={stats.failed ? 'rtbd-bad' : undefined}
                    title={stats.error?.message}
                  >
                    {stats.failed}
                    {stats.error ? ` (${stats.error.code})` : ''}
                  </td>
                  <td className={stats.quarantined ? 'rtbd-bad' : undefined}>{stats.quarantined}</td>
                  <td>
                    <button
                      type="button"
                      className="rtbd-button"
                      disabled={!stats.pending}
                      onClick={() => void events.flush(name)}
                      aria-label={`Flush ${name}`}
                    >
                      flush
                    </button>{' '}
                    <button
                      type="button"
                      className="rtbd-button"
                      disabled={!stats.failed}
                      onClick={() => events.retryFailed(name)}
                      aria-label={`Retry failed rows of ${name}`}
                    >
                      retry
                    </button>{' '}
                    <button
                      type="button"
                      className="rtbd-button"
                      disabled={!stats.failed}
                      onClick={() => events.discardFailed(name)}
                      aria-label={`Discard failed rows of ${name}`}
                    >
                      discard
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
