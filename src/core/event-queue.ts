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

/** One data source's queue: plain state, which the queue's functions read and change. */
interface Lane {
  name: string;
  stats: QueueStats;
  failures: FailedBatch[];
  /** Rows not yet acknowledged, oldest first. */
  entries: Entry[];
  /** The newest row a flush() caller waits for: until it has left, batches go without waiting for flushInterval. */
  flushing: number;
  /** Failures in a row, for the backoff. */
  attempt: number;
  /** A batch is in flight: one at a time keeps rows in order. */
  busy?: boolean;
  /** The flushInterval timer. */
  timer?: ReturnType<typeof setTimeout>;
  /** The retry timer while waiting out a backoff after a failure. */
  backingOff?: ReturnType<typeof setTimeout>;
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

/** The rows of a batch as appended (what failures() and onDrop hand to the app). */
const parse = (batch: Entry[]): object[] => batch.map((entry) => JSON.parse(entry.line) as object);

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
    let armed = false;
    /** Appends numbered across data sources, so eviction can find the oldest rows. */
    let seq = 0;
    /** This queue has an entry in storage: keep it equal to what is unsent, so an acknowledged row is never resent. */
    let stored = false;
    let saving = false;
    /** Pagehide handed the stored rows to the next page: this one writes nothing until it is shown again. */
    let away = false;
    let warned = false;

    /**
     * After any change of a lane: a new stats snapshot, subscribers told, and the stored entry rewritten (once per burst)
     * if there is one to keep true.
     */
    const update = (lane: Lane, patch?: Partial<QueueStats>) => {
      lane.stats = { ...lane.stats, pending: lane.entries.length, ...patch };
      if (store && !saving && !away && (stored || globalThis.document?.visibilityState === 'hidden')) {
        saving = true;
        queueMicrotask(() => {
          saving = false;
          save();
        });
      }
      // After the save is queued: a flush() this wakes resolves once storage no longer holds the rows that left.
      emit();
    };

    /** Rows leave in order, so all rows up to `target` are settled when the oldest remaining row is newer. */
    const settled = (lane: Lane, target: number) => (lane.entries[0]?.seq ?? Infinity) > target;

    const post = (lane: Lane, batch: Entry[], token: string, keepalive?: boolean) => {
      for (const entry of batch) {
        entry.sending = true;
        entry.keepalive = keepalive;
      }
      return send(
        transport,
        eventsCall(
          lane.name,
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

    /** Takes the rows of `batch` out of `lane` (acknowledged, failed, evicted or stored); other lanes' rows are ignored. */
    const remove = (lane: Lane, batch: Entry[], patch?: Partial<QueueStats>) => {
      const gone = new Set(batch);
      lane.entries = lane.entries.filter((entry) => !gone.has(entry));
      update(lane, patch);
    };

    const add = (lane: Lane, lines: string[]) => {
      if (!lines.length) return;
      for (const line of lines) lane.entries.push({ seq: ++seq, name: lane.name, line, bytes: utf8Length(line) });
      update(lane);
      schedule(lane);
    };

    const acknowledge = async (lane: Lane, batch: Entry[], response: Response) => {
      const { quarantined_rows } = await readAppendResult(response, batch.length);
      lane.attempt = 0;
      remove(lane, batch, {
        sent: lane.stats.sent + batch.length,
        quarantined: lane.stats.quarantined + quarantined_rows,
        error: lane.failures.at(-1)?.error ?? null,
      });
    };

    const retryLater = (lane: Lane, batch: Entry[], error: TinybirdError, after?: number) => {
      release(batch);
      update(lane, { error });
      if (!armed) return;
      const delay = backoffDelay(lane.attempt++, 500, 30_000);
      lane.backingOff = setTimeout(() => {
        lane.backingOff = undefined;
        pump(lane);
      }, after ?? delay);
    };

    const deliver = async (lane: Lane, batch: Entry[]): Promise<void> => {
      const what = `Appending to ${lane.name}`;
      let response: Response;
      try {
        response = await authorized(tokens, (token) => post(lane, batch, token), what);
      } catch (error) {
        // No token yet (route down, signed out) or no network: the rows wait, visibly pending, and we try again later.
        return retryLater(lane, batch, error as TinybirdError);
      }
      if (response.ok) return acknowledge(lane, batch, response);
      const error = await errorFromResponse(response, what);
      if (retryable(response.status)) return retryLater(lane, batch, error, retryAfterMs(response.headers));
      // Refused for good (400, 404, a second 403...): held in memory (counted against maxQueueRows as `failed`) until
      // the app retries or discards them.
      lane.failures.push({ datasource: lane.name, rows: parse(batch), error });
      remove(lane, batch, { failed: lane.stats.failed + batch.length, error });
    };

    // One batch in flight per data source keeps rows in order. A row larger than maxBatchBytes still goes, alone.
    const pump = (lane: Lane) => {
      clearTimeout(lane.timer);
      lane.timer = undefined;
      if (lane.busy || lane.backingOff || !armed) return;
      const batch = nextBatch(lane.entries, maxBatchRows, maxBatchBytes);
      if (!batch.length) return;
      lane.busy = true;
      void deliver(lane, batch).finally(() => {
        lane.busy = false;
        if (armed) schedule(lane);
      });
    };

    /** Sends now when a full batch or a flush() caller is waiting, else once flushInterval has passed. */
    const schedule = (lane: Lane) => {
      const { batch, full } = takeBatch(lane.entries, maxBatchRows, maxBatchBytes);
      if (full || !settled(lane, lane.flushing)) pump(lane);
      else if (batch.length) lane.timer ??= setTimeout(() => pump(lane), flushInterval);
    };

    const all = () => [...lanes.values()];

    /** Rows in memory, pending or failed: what maxQueueRows bounds. */
    const heldRows = () => all().reduce((sum, { stats }) => sum + stats.pending + stats.failed, 0);

    const pick = (datasource?: string): Lane[] =>
      all().filter((lane) => datasource === undefined || lane.name === datasource);

    const laneOf = (name: string): Lane =>
      lanes.get(name) ??
      lanes.set(name, { name, stats: EMPTY_STATS, failures: [], entries: [], flushing: 0, attempt: 0 }).get(name)!;

    const warn = (message: string) => {
      if (!warned) console.warn(`react-tinybird: ${message}, kept in memory only`);
      warned = true;
    };

    /**
     * Writes what is unsent (failed rows, then queued and in-flight rows oldest first; not those handed to a keepalive
     * request) within the caps. `closed` (pagehide): the page is unloading or going into the back/forward cache, so what
     * was stored leaves memory and the lock is let go; the next page (or this one, if the cache restores it) adopts it.
     */
    const save = (closed = false) => {
      if (!store) return;
      const rows: StoredRow[] = [];
      let bytes = 0;
      for (const lane of lanes.values())
        for (const batch of lane.failures)
          for (const line of serialiseRows(batch.rows)) {
            rows.push([lane.name, line]);
            bytes += line.length;
          }
      const queued = all()
        .flatMap((lane) => lane.entries.filter((entry) => !entry.keepalive))
        .sort((a, b) => a.seq - b.seq);
      const { kept, over } = fitStorage(queued, rows.length, bytes, maxStoredRows, maxStoredBytes, !!onDrop);
      for (const entry of kept) rows.push([entry.name!, entry.line]);
      const ok = store.write(rows, closed);
      stored = rows.length > 0;
      if (!ok) return void warn(`could not store ${rows.length} unsent rows`);
      if (over.length && !onDrop) warn(`${over.length} unsent rows are over maxStoredRows/Bytes`);
      else warned = false;
      if (onDrop) {
        for (const lane of lanes.values()) {
          const evicted = over.filter((entry) => entry.name === lane.name);
          if (!evicted.length) continue;
          remove(lane, evicted, { dropped: lane.stats.dropped + evicted.length });
          const dropped = parse(evicted);
          // After the write and out of this call: an exception in the app's callback cannot undo what was stored.
          queueMicrotask(() => onDrop(lane.name, dropped));
        }
      }
      if (!closed) return;
      away = true;
      for (const lane of lanes.values()) remove(lane, kept);
      discardFailed();
      store.release();
    };

    /**
     * The page is hidden and may never run again. Send what fits of the browser's 64 KB keepalive budget with the token
     * we already hold (there is no time to fetch one), and store the rest. `gone`: pagehide (see save).
     */
    const hide = (gone: boolean) => {
      // Unloading fires pagehide before visibilitychange: the second finds the rows already handed over.
      if (away) return;
      const { token, expiresAt } = tokens.getState();
      // Offline, a keepalive request fails after the page is gone and its rows with it: store them all instead.
      const online = globalThis.navigator?.onLine !== false;
      if (token !== null && online && (expiresAt ?? Infinity) >= Date.now() + 1000) {
        const lanes = all();
        splitKeepalive(lanes, KEEPALIVE_BUDGET).forEach((batch, i) => {
          if (!batch.length) return;
          const lane = lanes[i]!;
          // A refused or lost keepalive send hands its rows back to the normal path, which classifies the error and
          // retries: a pump that ran meanwhile found them all in flight and a flush() may be waiting on them.
          const requeue = () => {
            release(batch);
            if (armed) schedule(lane);
          };
          post(lane, batch, token, true).then((response) => {
            if (response.ok) void acknowledge(lane, batch, response);
            else {
              discard(response);
              requeue();
            }
          }, requeue);
        });
      }
      save(gone);
    };

    const onPage = (event: PageEvent, persisted?: boolean) => {
      if (event === 'hidden') hide(false);
      if (event === 'pagehide') hide(true);
      // Restored from the back/forward cache: take back what pagehide stored, unless another page already did.
      if (event === 'pageshow' && persisted) {
        away = false;
        adopt();
      }
      // Rows waiting out a backoff (up to 30 s) after a network failure go as soon as the browser says it is online:
      // now instead of when the backoff ends, starting the backoff over.
      if (event === 'online')
        for (const lane of lanes.values())
          if (lane.backingOff) {
            clearTimeout(lane.backingOff);
            lane.backingOff = undefined;
            lane.attempt = 0;
            pump(lane);
          }
    };

    /** Rows of closed pages (and this page's own, after the back/forward cache) join the queue and this page's entry. */
    const adopt = () =>
      store?.adopt((rows) => {
        const byName = new Map<string, string[]>();
        for (const [name, line] of rows) (byName.get(name) ?? byName.set(name, []).get(name)!).push(line);
        for (const [name, lines] of byName) add(laneOf(name), lines);
        save();
      });

    let unlisten = noop;

    const arm = () => {
      if (armed) return;
      armed = true;
      unlisten = onPageEvent(onPage);
      for (const lane of lanes.values()) pump(lane);
      adopt();
    };

    const discardFailed = (datasource?: string): FailedBatch[] =>
      pick(datasource).flatMap((lane) => {
        const dropped = lane.failures;
        lane.failures = [];
        update(lane, { failed: 0, error: null });
        return dropped;
      });

    Object.assign<EventQueue, Members<EventQueue>>(this, {
      append(datasource, rows) {
        if (typeof datasource !== 'string' || datasource === '') throw new TypeError('append: pass a data source name');
        const lines = serialiseRows(rows);
        const held = heldRows();
        if (held + lines.length > maxQueueRows) {
          throw new TinybirdError(
            'QUEUE_FULL',
            `Queue full: ${held} rows held, maxQueueRows (${maxQueueRows}). See stats()`,
          );
        }
        arm();
        add(laneOf(datasource), lines);
      },
      flush(datasource) {
        arm();
        const target = seq;
        const picked = pick(datasource);
        for (const lane of picked) {
          lane.flushing = target;
          pump(lane);
        }
        // Rows leave in order: done when each lane's oldest remaining row is newer than the newest at call time.
        return new Promise((resolve) => {
          const check = () => {
            if (armed && !picked.every((lane) => settled(lane, target))) return;
            unsubscribe();
            resolve();
          };
          const unsubscribe = subscribe(check);
          check();
        });
      },
      stats: (datasource) => lanes.get(datasource)?.stats ?? EMPTY_STATS,
      failures: (datasource) => pick(datasource).flatMap((lane) => lane.failures),
      retryFailed(datasource) {
        arm();
        let count = 0;
        for (const batch of discardFailed(datasource)) {
          count += batch.rows.length;
          add(laneOf(batch.datasource), serialiseRows(batch.rows));
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
        // Counts what leaves memory: unsent rows (not a batch already on its way) and failed ones.
        const before = heldRows();
        for (const lane of lanes.values())
          remove(
            lane,
            lane.entries.filter((entry) => !entry.sending),
          );
        discardFailed();
        return before - heldRows();
      },
      dispose() {
        if (!armed) return;
        hide(false);
        armed = false;
        for (const lane of lanes.values()) {
          clearTimeout(lane.timer);
          clearTimeout(lane.backingOff);
          lane.timer = lane.backingOff = undefined;
          lane.flushing = 0;
        }
        unlisten();
        emit(); // wakes flush() callers
      },
    });
  }
}
