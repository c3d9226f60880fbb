import type { RequestEvent } from 'react-tinybird';
import { describeRequest } from './describeRequest';
import type { RequestTarget } from './describeRequest';

/** One call as the log shows it: its attempts folded into one row. */
export interface RequestEntry extends RequestTarget {
  id: number;
  method: 'GET' | 'POST';
  /** Params as sent in the URL (never the token: it travels in a header). */
  params: string;
  /** Epoch ms when the first attempt left. */
  startedAt: number;
  /** The latest answer's status; null while the first attempt is in flight, 0 when no answer came. */
  status: number | null;
  /** ms from the first attempt leaving to the latest answer; null before any answer. */
  duration: number | null;
  /** An attempt is in flight. */
  pending: boolean;
  /** Attempts made; retries are attempts - 1. */
  attempts: number;
  /** Retries after a 401/403 (the token was refreshed in between). */
  refreshes: number;
  /** Retries after a 429 (after waiting out Retry-After or a backoff). */
  backoffs: number;
  /** Request body length of the latest attempt. */
  sent: number;
  /** Content-Length of the latest answer, when the server sent one. */
  received: number | null;
}

/**
 * A bounded, framework-free log of the requests a client reports through `onRequest`: `record` folds events into
 * entries (newest first), `entries()` is an immutable snapshot that changes identity only on change (fit for
 * useSyncExternalStore).
 *
 * @example
 * ```ts
 * const log = createRequestLog(50);
 * const stop = client.onRequest(log.record);
 * log.subscribe(() => console.table(log.entries()));
 * ```
 */
export interface RequestLog {
  record(event: RequestEvent): void;
  entries(): readonly RequestEntry[];
  subscribe(listener: () => void): () => void;
  clear(): void;
}

export function createRequestLog(limit = 100): RequestLog {
  let entries: readonly RequestEntry[] = [];
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((listener) => listener());

  const fold = (entry: RequestEntry | undefined, event: RequestEvent): RequestEntry | undefined => {
    const { id, method, url, at, status, sent = 0, received } = event;
    if (status === undefined) {
      // An attempt leaves: the first one opens the entry; a later one is a retry, named after the answer before it.
      if (!entry) {
        const [, params = ''] = url.split('?', 2);
        return {
          ...describeRequest(url),
          id,
          method,
          params,
          startedAt: at,
          status: null,
          duration: null,
          pending: true,
          attempts: 1,
          refreshes: 0,
          backoffs: 0,
          sent,
          received: null,
        };
      }
      return {
        ...entry,
        pending: true,
        attempts: entry.attempts + 1,
        refreshes: entry.refreshes + (entry.status === 401 || entry.status === 403 ? 1 : 0),
        backoffs: entry.backoffs + (entry.status === 429 ? 1 : 0),
        sent,
      };
    }
    // An answer for a call whose start was trimmed off the log (or never seen) is not worth a row.
    if (!entry) return undefined;
    const length = received == null ? NaN : Number(received);
    return {
      ...entry,
      status,
      pending: false,
      duration: at - entry.startedAt,
      received: Number.isFinite(length) ? length : null,
    };
  };

  return {
    record(event) {
      const index = entries.findIndex((entry) => entry.id === event.id);
      const next = fold(entries[index], event);
      if (!next) return;
      entries = index === -1 ? [next, ...entries].slice(0, limit) : entries.map((e, i) => (i === index ? next : e));
      emit();
    },
    entries: () => entries,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    clear() {
      entries = [];
      emit();
    },
  };
}
