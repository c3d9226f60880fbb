import { TinybirdError } from './errors';
import { openEventStore } from './event-store';
import type { StoredRow } from './event-store';
import type { TokenSource } from './token-source';
import {
  authorized,
  discard,
  errorFromResponse,
  eventsCall,
  noop,
  readAppendResult,
  retryable,
  send,
} from './internal/http';
import { onPageEvent } from './internal/lifecycle';
import type { PageEvent } from './internal/lifecycle';
import { listeners } from './internal/listeners';
import type { Members } from './internal/members';
import { fitStorage, nextBatch, splitKeepalive, takeBatch } from './internal/queue-plan';
import type { Entry } from './internal/queue-plan';
import { backoffDelay, retryAfterMs } from './internal/retryer';
import { serialiseRows, utf8Length } from './internal/rows';

/**
 * Batching and memory bounds of an {@link EventQueue}.
 *
 * @example
 * ```ts
 * <TinybirdProvider tokenUrl="/api/tinybird-token" events={{ flushInterval: 5000, maxQueueRows: 10_000 }} />
 * ```
 */
export interface EventQueueOptions {
  /** ms to wait for more rows before sending a batch. Default 1000. */
  flushInterval?: number;
  /** Rows per request. Default 1000. */
  maxBatchRows?: number;
  /** Bytes of NDJSON per request. Default 1 MB (Tinybird accepts 10 MB). */
  maxBatchBytes?: number;
  /** Rows held in memory (pending + failed) before `append` throws QUEUE_FULL. Default 100,000. */
  maxQueueRows?: number;
  /** Send `wait=true` so an acknowledgement means written, not just accepted. Default true. */
  wait?: boolean;
  /**
   * Keep unsent rows in `localStorage` when the page hides, and send them from the next page of this origin that mounts
   * a provider. Default true; rows only, never a token.
   */
  persist?: boolean;
  /**
   * Prefix of the stored entries. Default `'react-tinybird:events'`. Give each provider its own when one origin appends
   * for several users or workspaces, so rows are never sent with another one's token.
   */
  storageKey?: string;
  /** Rows stored at most. Default 10,000. */
  maxStoredRows?: number;
  /** Bytes of rows stored at most. Default 2 MB (browsers give an origin about 5 MB). */
  maxStoredBytes?: number;
  /**
   * Lets the queue evict its oldest rows when more are unsent than may be stored, and tells you which. Without it nothing
   * is evicted: rows past the cap stay in memory only (with a warning) and are lost if the page closes before they go.
   */
  onDrop?: (datasource: string, rows: object[]) => void;
}

/**
 * Per data source counters; an immutable snapshot, the same object until something changes.
 *
 * @example
 * ```ts
 * const { pending, failed, error } = client.events.stats('events');
 * ```
 */
export interface QueueStats {
  /** Rows appended and not yet acknowledged (queued, in flight or waiting to retry). */
  pending: number;
  /** Rows the server acknowledged (including quarantined ones). */
  sent: number;
  /** Acknowledged rows Tinybird put in `<datasource>_quarantine` because they did not fit the schema. */
  quarantined: number;
  /** Rows refused for good (400, 404, a second 403...), kept for `failures()` / `retryFailed()` / `discardFailed()`. */
  failed: number;
  /** Rows evicted for the storage cap and handed to `onDrop`. */
  dropped: number;
  /** The latest error: a permanent one while failed rows are held, else the transient one being retried. */
  error: TinybirdError | null;
}

/**
 * A batch the server refused for good, with the rows as appended (re-parsed from their JSON).
 *
 * @example
 * ```ts
 * for (const { rows, error } of client.events.failures('events')) console.warn(rows.length, error.code);
 * ```
 */
export interface FailedBatch {
  datasource: string;
  rows: object[];
  error: TinybirdError;
}

/**
 * How the queue reaches Tinybird: shared with the client that owns it.
 *
 * @example
 * ```ts
 * new EventQueue({ tokens, baseUrl: () => 'https://api.tinybird.co' }, { flushInterval: 1000 });
 * ```
 */
export interface EventTransport {
  tokens: TokenSource;
  baseUrl(): string;
  fetch?: typeof fetch;
}

/** One data source's queue; its state lives in the closure that `lane()` builds. */
interface Lane {
  stats: QueueStats;
  failures: FailedBatch[];
  /** Rows not yet acknowledged, oldest first. */
  entries: Entry[];
  /** Takes rows out without an acknowledgement: `dropped` counts evictions; otherwise they went to storage. */
  remove(batch: Entry[], dropped?: boolean): void;
  add(lines: string[]): void;
  /** Sends the next batch unless one is in flight, a retry is pending, or the queue is disposed. */
  pump(): void;
  /** The network is back: retries now instead of when the backoff ends, starting the backoff over. */
  resume(): void;
  flush(): Promise<void>;
  /** Waiting out a backoff after a failure. */
  readonly backingOff: boolean;
  /** Page hiding: sends `batch` with keepalive. */
  hide(token: string, batch: Entry[]): void;
  stop(): void;
}

const EMPTY_STATS: QueueStats = Object.freeze({
  pending: 0,
  sent: 0,
  quarantined: 0,
  failed: 0,
  dropped: 0,
  error: null,
});
/** Browsers cap the bodies of all in-flight keepalive requests at 64 KB together; stay under it. */
const KEEPALIVE_BUDGET = 60_000;

// The methods, documented here; the constructor builds them as closures (see TokenSource for why).
export interface EventQueue {
  /**
   * Queues rows for `datasource`. Throws at once (nothing queued) with INVALID_ROW for a row that cannot be serialised,
   * or QUEUE_FULL when the memory bound would be passed.
   */
  append(datasource: string, rows: object | readonly object[]): void;
  /** Sends now; resolves when every row queued at call time is acknowledged or failed (or the queue is disposed). */
  flush(datasource?: string): Promise<void>;
  /** Counters for one data source (a shared empty snapshot for one never used). */
  stats(datasource: string): QueueStats;
  /** Batches refused for good, oldest first, for inspection. */
  failures(datasource?: string): readonly FailedBatch[];
  /** Puts failed rows back in the queue (e.g. after fixing permissions). Returns how many rows were requeued. */
  retryFailed(datasource?: string): number;
  /** Forgets failed rows, returning them: the only way rows leave the queue without an acknowledgement. */
  discardFailed(datasource?: string): FailedBatch[];
  /** Calls `listener` after any stats change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Takes over the rows that closed pages of this origin left in storage (each page's rows go to one page only) and
   * sends them. The provider calls it on mount; the first `append` or `flush` does too.
   */
  restore(): void;
  /**
   * Forgets every stored row of this storage key (this page's and closed pages') and this queue's unsent rows, except
   * a batch already on its way: for sign-out, when rows must not outlive the session. Returns how many were forgotten.
   */
  clearStored(): number;
  /**
   * Clears timers and page listeners, after one best-effort keepalive send of what is queued; the rest is stored.
   * Rows not acknowledged stay pending in memory; appending or flushing again resumes sending.
   */
  dispose(): void;
}

/**
 * Batches rows per data source into NDJSON posts to the Events API. A row is acknowledged by the server, still pending
 * (and retried with capped backoff), or held as failed with its error: never dropped in silence. Delivery is
 * at-least-once: a batch whose answer was lost on the network is sent again.
 *
 * @example
 * ```ts
 * const client = createTinybirdClient({ tokenUrl: '/api/tinybird-token' });
 * client.events.append('events', { timestamp: new Date().toISOString(), airline: 'AA', passengers: 2 });
 * await client.events.flush('events');
 * console.log(client.events.stats('events')); // { pending: 0, sent: 1, quarantined: 0, failed: 0, error: null }
 * ```
 */
// Merged with the interface above, which carries the public methods' types and docs.
export class EventQueue {
  constructor(transport: EventTransport, options: EventQueueOptions = {}) {
    const {
      flushInterval = 1000,
      maxBatchRows = 1000,
      maxBatchBytes = 1_000_000,
      maxQueueRows = 100_000,
      wait = true,
      persist = true,
      storageKey = 'react-tinybird:events',
      maxStoredRows = 10_000,
      maxStoredBytes = 2_000_000,
      onDrop,
    } = options;
    const { tokens } = transport;
    const lanes = new Map<string, Lane>();
    const { subscribe, emit } = listeners();
    // Reads only: the constructor stays free of side effects (StrictMode, server rendering).
    const store = persist ? openEventStore(storageKey) : undefined;
    /** Rows in memory, pending or failed: what maxQueueRows bounds. */
    let held = 0;
    let armed = false;
    /** Appends numbered across data sources, so eviction can find the oldest rows. */
    let seq = 0;
    /** This queue has an entry in storage: keep it equal to what is unsent, so an acknowledged row is never resent. */
    let stored = false;
    let saving = false;
    /** Pagehide handed the stored rows to the next page: this one writes nothing until it is shown again. */
    let away = false;
    let warned = false;

    const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

    /** After any change: tell subscribers, and rewrite the stored entry (once per burst) if there is one to keep true. */
    const changed = () => {
      emit();
      if (!store || saving || away || !(stored || hidden())) return;
      saving = true;
      queueMicrotask(() => {
        saving = false;
        save();
      });
    };

    const lane = (name: string): Lane => {
      let entries: Entry[] = [];
      let waiters: Array<{ seq: number; resolve: () => void }> = [];
      let attempt = 0;
      let busy = false;
      /** The flushInterval timer, and the retry timer after a failure. */
      let timer: ReturnType<typeof setTimeout> | undefined;
      let backoff: ReturnType<typeof setTimeout> | undefined;
      const what = `Appending to ${name}`;

      const update = (patch: Partial<QueueStats>) => {
        self.stats = { ...self.stats, ...patch };
        changed();
      };

      /** Rows leave in order, so all rows up to `target` are settled when the oldest remaining row is newer. */
      const settled = (target: number) => (entries[0]?.seq ?? Infinity) > target;

      const post = (batch: Entry[], token: string, keepalive?: boolean) => {
        for (const entry of batch) {
          entry.sending = true;
          entry.keepalive = keepalive;
        }
        return send(
          transport,
          eventsCall(
            name,
            batch.map((entry) => entry.line),
            wait,
            keepalive,
          ),
          token,
        );
      };

      const release = (batch: Entry[]) => {
        for (const entry of batch) entry.sending = entry.keepalive = false;
      };

      /** Takes acknowledged or failed rows out, and wakes flush() callers whose rows have all left. */
      const remove = (batch: Entry[], patch: Partial<QueueStats>) => {
        const gone = new Set(batch);
        const before = entries.length;
        entries = entries.filter((entry) => !gone.has(entry));
        // Rows handed to storage at pagehide may still be acknowledged: count what actually left.
        held -= before - entries.length;
        update({ pending: entries.length, ...patch });
        waiters = waiters.filter((waiter) => !settled(waiter.seq) || void waiter.resolve());
      };

      const acknowledge = async (batch: Entry[], response: Response) => {
        const { quarantined_rows } = await readAppendResult(response, batch.length);
        attempt = 0;
        const { sent, quarantined } = self.stats;
        remove(batch, {
          sent: sent + batch.length,
          quarantined: quarantined + quarantined_rows,
          error: self.failures.at(-1)?.error ?? null,
        });
      };

      const retryLater = (batch: Entry[], error: TinybirdError, after?: number) => {
        release(batch);
        update({ error });
        if (!armed) return;
        const delay = backoffDelay(attempt++, 500, 30_000);
        backoff = setTimeout(() => {
          backoff = undefined;
          pump();
        }, after ?? delay);
      };

      const deliver = async (batch: Entry[]): Promise<void> => {
        let response: Response;
        try {
          response = await authorized(tokens, (token) => post(batch, token), what);
        } catch (error) {
          // No token yet (route down, signed out) or no network: the rows wait, visibly pending, and we try again later.
          return retryLater(batch, error as TinybirdError);
        }
        if (response.ok) return acknowledge(batch, response);
        const error = await errorFromResponse(response, what);
        if (retryable(response.status)) return retryLater(batch, error, retryAfterMs(response.headers));
        // Refused for good (400, 404, a second 403...): held in memory, counted against maxQueueRows, until the app
        // retries or discards them.
        held += batch.length;
        self.failures.push({ datasource: name, rows: batch.map((entry) => JSON.parse(entry.line) as object), error });
        remove(batch, { failed: self.stats.failed + batch.length, error });
      };

      // One batch in flight per data source keeps rows in order. A row larger than maxBatchBytes still goes, alone.
      const pump = () => {
        clearTimeout(timer);
        timer = undefined;
        if (busy || backoff || !armed) return;
        const batch = nextBatch(entries, maxBatchRows, maxBatchBytes);
        if (!batch.length) return;
        busy = true;
        void deliver(batch).finally(() => {
          busy = false;
          if (armed) schedule();
        });
      };

      /** Sends now when a full batch or a flush() caller is waiting, else once flushInterval has passed. */
      const schedule = () => {
        const { batch, full } = takeBatch(entries, maxBatchRows, maxBatchBytes);
        if (full || waiters.length) pump();
        else if (batch.length) timer ??= setTimeout(pump, flushInterval);
      };

      const self: Lane = {
        stats: EMPTY_STATS,
        failures: [],
        get entries() {
          return entries;
        },
        remove: (batch, dropped) => remove(batch, dropped ? { dropped: self.stats.dropped + batch.length } : {}),
        add(lines) {
          if (!lines.length) return;
          for (const line of lines) entries.push({ seq: ++seq, name, line, bytes: utf8Length(line) });
          held += lines.length;
          update({ pending: entries.length });
          schedule();
        },
        pump,
        resume() {
          if (!backoff) return;
          clearTimeout(backoff);
          backoff = undefined;
          attempt = 0;
          pump();
        },
        flush: () =>
          new Promise<void>((resolve) => {
            if (settled(seq)) return resolve();
            waiters.push({ seq, resolve });
            pump();
          }),
        get backingOff() {
          return !!backoff;
        },
        hide(token, batch) {
          if (batch.length) {
            // A refused or lost keepalive send hands its rows back to the normal path, which classifies the error and
            // retries: a pump that ran meanwhile found them all in flight and a flush() may be waiting on them.
            const requeue = () => {
              release(batch);
              if (armed) schedule();
            };
            post(batch, token, true)
              .then((response) => {
                if (response.ok) void acknowledge(batch, response);
                else {
                  discard(response);
                  requeue();
                }
              })
              .catch(requeue);
          }
        },
        stop() {
          clearTimeout(timer);
          clearTimeout(backoff);
          timer = backoff = undefined;
          for (const waiter of waiters.splice(0)) waiter.resolve();
        },
      };
      return self;
    };

    const pick = (datasource?: string): Lane[] =>
      datasource === undefined ? [...lanes.values()] : lanes.has(datasource) ? [lanes.get(datasource)!] : [];

    const laneOf = (name: string): Lane => lanes.get(name) ?? lanes.set(name, lane(name)).get(name)!;

    const warn = (message: string) => {
      if (!warned) console.warn(`react-tinybird: ${message}, kept in memory only`);
      warned = true;
    };

    /**
     * Writes what is unsent (failed rows, then queued and in-flight rows oldest first; not those handed to a keepalive
     * request) within the caps. Returns the queued rows that were stored, or nothing when storage refused them.
     */
    const save = (closed = false): Set<Entry> | undefined => {
      if (!store) return;
      const rows: StoredRow[] = [];
      let bytes = 0;
      const queued: Entry[] = [];
      for (const [name, lane] of lanes) {
        for (const batch of lane.failures)
          for (const row of batch.rows) {
            const line = JSON.stringify(row);
            rows.push([name, line]);
            bytes += line.length;
          }
        for (const entry of lane.entries) if (!entry.keepalive) queued.push(entry);
      }
      queued.sort((a, b) => a.seq - b.seq);
      const { kept, over } = fitStorage(queued, rows.length, bytes, maxStoredRows, maxStoredBytes, !!onDrop);
      for (const entry of kept) rows.push([entry.name!, entry.line]);
      const ok = store.write(rows, closed) || (store.write([]), false);
      stored = rows.length > 0;
      if (!ok) return void warn(`could not store ${rows.length} unsent rows`);
      if (over.length && !onDrop) warn(`${over.length} unsent rows are over maxStoredRows/Bytes`);
      else warned = false;
      if (onDrop) {
        for (const [name, lane] of lanes) {
          const evicted = over.filter((entry) => entry.name === name);
          if (!evicted.length) continue;
          lane.remove(evicted, true);
          const dropped = evicted.map((entry) => JSON.parse(entry.line) as object);
          // After the write and out of this call: an exception in the app's callback cannot undo what was stored.
          queueMicrotask(() => onDrop(name, dropped));
        }
      }
      return new Set(kept);
    };

    /**
     * The page is hidden and may never run again. Send what fits of the browser's 64 KB keepalive budget with the token
     * we already hold (there is no time to fetch one), and store the rest. `gone` (pagehide): the page is unloading or
     * going into the back/forward cache, so the stored rows leave memory and the lock is let go; the next page (or this
     * one, if the cache restores it) adopts them.
     */
    const hide = (gone: boolean) => {
      // Unloading fires pagehide before visibilitychange: the second finds the rows already handed over.
      if (away) return;
      const { token, expiresAt } = tokens.getState();
      // Offline, a keepalive request fails after the page is gone and its rows with it: store them all instead.
      const online = typeof navigator === 'undefined' || navigator.onLine !== false;
      if (token !== null && online && (expiresAt === null || expiresAt >= Date.now() + 1000)) {
        const all = [...lanes.values()];
        splitKeepalive(all, KEEPALIVE_BUDGET).forEach((batch, i) => all[i]!.hide(token, batch));
      }
      const kept = save(gone);
      if (!gone || !kept) return;
      away = true;
      for (const lane of lanes.values()) lane.remove(lane.entries.filter((entry) => kept.has(entry)));
      discardFailed();
      store!.release();
    };

    const onPage = (event: PageEvent, persisted?: boolean) => {
      if (event === 'hidden') hide(false);
      if (event === 'pagehide') hide(true);
      // Restored from the back/forward cache: take back what pagehide stored, unless another page already did.
      if (event === 'pageshow' && persisted) {
        away = false;
        adopt();
      }
      // Rows waiting out a backoff (up to 30 s) after a network failure go as soon as the browser says it is online.
      if (event === 'online') for (const lane of lanes.values()) lane.resume();
    };

    /** Rows of closed pages (and this page's own, after the back/forward cache) join the queue and this page's entry. */
    const adopt = () =>
      store?.adopt((rows) => {
        const byName = new Map<string, string[]>();
        for (const [name, line] of rows) (byName.get(name) ?? byName.set(name, []).get(name)!).push(line);
        for (const [name, lines] of byName) laneOf(name).add(lines);
        save();
      });

    let unlisten = noop;

    const arm = () => {
      if (armed) return;
      armed = true;
      unlisten = onPageEvent(onPage);
      for (const lane of lanes.values()) lane.pump();
      adopt();
    };

    const discardFailed = (datasource?: string): FailedBatch[] =>
      pick(datasource).flatMap((lane) => {
        const dropped = lane.failures;
        for (const batch of dropped) held -= batch.rows.length;
        lane.failures = [];
        lane.stats = { ...lane.stats, failed: 0, error: null };
        changed();
        return dropped;
      });

    Object.assign<EventQueue, Members<EventQueue>>(this, {
      append(datasource, rows) {
        if (typeof datasource !== 'string' || datasource === '') throw new TypeError('append: pass a data source name');
        const lines = serialiseRows(rows);
        if (held + lines.length > maxQueueRows) {
          throw new TinybirdError(
            'QUEUE_FULL',
            `Queue full: ${held} rows held, maxQueueRows (${maxQueueRows}). See stats()`,
          );
        }
        arm();
        laneOf(datasource).add(lines);
      },
      flush(datasource) {
        arm();
        return Promise.all(pick(datasource).map((lane) => lane.flush())).then(noop);
      },
      stats: (datasource) => lanes.get(datasource)?.stats ?? EMPTY_STATS,
      failures: (datasource) => pick(datasource).flatMap((lane) => lane.failures),
      retryFailed(datasource) {
        arm();
        let count = 0;
        for (const batch of discardFailed(datasource)) {
          count += batch.rows.length;
          lanes.get(batch.datasource)!.add(batch.rows.map((row) => JSON.stringify(row)));
        }
        return count;
      },
      discardFailed,
      subscribe,
      restore() {
        if (armed) adopt();
        else arm();
      },
      clearStored() {
        store?.clear();
        stored = false;
        let count = 0;
        for (const lane of lanes.values()) {
          const unsent = lane.entries.filter((entry) => !entry.sending);
          count += unsent.length;
          lane.remove(unsent);
        }
        for (const batch of discardFailed()) count += batch.rows.length;
        return count;
      },
      dispose() {
        if (!armed) return;
        hide(false);
        armed = false;
        for (const lane of lanes.values()) lane.stop();
        unlisten();
      },
    });
  }
}
