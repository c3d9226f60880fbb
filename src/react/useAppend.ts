import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { EventQueue } from '../core/event-queue';
import type { FailedBatch, QueueStats } from '../core/event-queue';
import { nameOf } from '../core/sdk-types';
import type { DatasourceDefinitionLike, DatasourceRow } from '../core/sdk-types';
import type { DatasourceName } from '../core/register';
import { useTinybirdContext } from './context';

/**
 * Options of {@link useAppend}.
 *
 * @example
 * ```ts
 * useAppend('events', { flushOnUnmount: true });
 * ```
 */
export interface UseAppendOptions {
  /** Flush this data source's queue when the component unmounts (it keeps sending in the background anyway). */
  flushOnUnmount?: boolean;
}

/**
 * What {@link useAppend} returns: queue actions plus live counters for the data source.
 *
 * @example
 * ```ts
 * const { append, pending }: UseAppendResult<{ airline: string }> = useAppend('events');
 * ```
 */
export interface UseAppendResult<Event> extends QueueStats {
  /** Queue one row or many. Throws INVALID_ROW (unserialisable) or QUEUE_FULL synchronously. */
  append: (rows: Event | readonly Event[]) => void;
  /** Send now; resolves when what is queued is acknowledged or failed. */
  flush: () => Promise<void>;
  /** Batches the server refused for good, with their errors. */
  failures: () => readonly FailedBatch[];
  /** Requeue the failed rows; returns how many. */
  retryFailed: () => number;
}

/**
 * Appends events to a data source through the provider's batching queue (NDJSON to the Events API, retried until
 * acknowledged, flushed with keepalive when the page hides, and what is still unsent stored for the next page).
 * Re-renders with `pending`, `sent`, `failed`, `quarantined`, `dropped` and `error`. `datasource` may be an
 * @tinybirdco/sdk data source definition, which types the rows; so do generated types (`react-tinybird types`, see
 * `Register`), with no generic.
 *
 * @example
 * ```tsx
 * function BookButton({ airline }: { airline: string }) {
 *   const { append, pending, error } = useAppend<{ timestamp: string; airline: string; passengers: number }>('events');
 *   return (
 *     <button onClick={() => append({ timestamp: new Date().toISOString(), airline, passengers: 1 })}>
 *       Book {pending > 0 && `(${pending} unsent)`} {error && `⚠ ${error.code}`}
 *     </button>
 *   );
 * }
 * ```
 */
export function useAppend<
  Event extends object = Record<string, unknown>,
  D extends DatasourceName | DatasourceDefinitionLike = DatasourceName,
>(datasource: D, options: UseAppendOptions = {}): UseAppendResult<DatasourceRow<D, Event>> {
  // The queue is made here, on first use: only apps that append bundle it.
  const events = useTinybirdContext('useAppend').client.attachEvents(EventQueue);
  const name = nameOf(datasource);
  const getSnapshot = () => events.stats(name);
  const stats = useSyncExternalStore(events.subscribe, getSnapshot, getSnapshot);
  // Stable functions for a given queue and data source, so they can go in effect dependencies.
  const actions = useMemo(
    () => ({
      append: (rows: DatasourceRow<D, Event> | readonly DatasourceRow<D, Event>[]) =>
        events.append(name, rows as object),
      flush: () => events.flush(name),
      failures: () => events.failures(name),
      retryFailed: () => events.retryFailed(name),
    }),
    [events, name],
  );
  // Rows that closed pages of this origin left in storage go out from the next page that appends: a page that only
  // reads never loads the queue, so it leaves them stored.
  useEffect(() => events.restore(), [events]);
  const { flushOnUnmount } = options;
  useEffect(() => (flushOnUnmount ? () => void events.flush(name) : undefined), [events, name, flushOnUnmount]);
  return { ...stats, ...actions };
}
