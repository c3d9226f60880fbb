import { TinybirdError } from './errors';
import type { TokenSource } from './token-source';
import { backoffDelay, retryAfterMs } from '../lib/backoff';
import { discard, errorFromResponse, networkError, readAppendResult, resolveFetch } from '../lib/http';
import { serialiseRows, utf8Length } from '../lib/rows';

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

interface Entry {
  seq: number;
  line: string;
  bytes: number;
  sending: boolean;
}

interface Lane {
  name: string;
  entries: Entry[];
  seq: number;
  busy: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  backoff: ReturnType<typeof setTimeout> | undefined;
  attempt: number;
  failures: FailedBatch[];
  waiters: Array<{ target: number; resolve: () => void }>;
  stats: QueueStats;
}

const EMPTY_STATS: QueueStats = Object.freeze({ pending: 0, sent: 0, quarantined: 0, failed: 0, error: null });
/** Browsers cap the bodies of all in-flight keepalive requests at 64 KB together; stay under it. */
const KEEPALIVE_BUDGET = 60_000;

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
export class EventQueue {
  readonly #transport: EventTransport;
  readonly #options: Required<EventQueueOptions>;
  readonly #lanes = new Map<string, Lane>();
  readonly #listeners = new Set<() => void>();
  #held = 0;
  #armed = false;

  constructor(transport: EventTransport, options: EventQueueOptions = {}) {
    this.#transport = transport;
    this.#options = {
      flushInterval: options.flushInterval ?? 1000,
      maxBatchRows: options.maxBatchRows ?? 1000,
      maxBatchBytes: options.maxBatchBytes ?? 1_000_000,
      maxQueueRows: options.maxQueueRows ?? 100_000,
      wait: options.wait ?? true,
    };
  }

  /**
   * Queues rows for `datasource`. Throws at once (nothing queued) with INVALID_ROW for a row that cannot be serialised,
   * or QUEUE_FULL when the memory bound would be passed.
   */
  append(datasource: string, rows: object | readonly object[]): void {
    if (typeof datasource !== 'string' || datasource === '') throw new TypeError('append: pass the data source name first.');
    const lines = serialiseRows(rows);
    if (lines.length === 0) return;
    if (this.#held + lines.length > this.#options.maxQueueRows) {
      throw new TinybirdError(
        'QUEUE_FULL',
        `The event queue holds ${this.#held} rows; ${lines.length} more would pass maxQueueRows (${this.#options.maxQueueRows}). Tinybird is unreachable or refusing rows: see stats() and failures().`,
      );
    }
    this.#arm();
    const lane = this.#lane(datasource);
    this.#enqueue(lane, lines);
  }

  /** Sends now; resolves when every row queued at call time is acknowledged or failed (or the queue is disposed). */
  flush(datasource?: string): Promise<void> {
    this.#arm();
    const lanes = datasource === undefined ? [...this.#lanes.values()] : [this.#lanes.get(datasource)].filter((l) => l !== undefined);
    return Promise.all(
      lanes.map(
        (lane) =>
          new Promise<void>((resolve) => {
            if (settled(lane, lane.seq)) return resolve();
            lane.waiters.push({ target: lane.seq, resolve });
            clearTimeout(lane.timer);
            lane.timer = undefined;
            this.#pump(lane);
          }),
      ),
    ).then(() => undefined);
  }

  /** Counters for one data source (a shared empty snapshot for one never used). */
  stats(datasource: string): QueueStats {
    return this.#lanes.get(datasource)?.stats ?? EMPTY_STATS;
  }

  /** Batches refused for good, oldest first, for inspection. */
  failures(datasource?: string): readonly FailedBatch[] {
    return this.#pick(datasource).flatMap((lane) => lane.failures);
  }

  /** Puts failed rows back in the queue (e.g. after fixing permissions). Returns how many rows were requeued. */
  retryFailed(datasource?: string): number {
    this.#arm();
    let count = 0;
    for (const lane of this.#pick(datasource)) {
      const lines = lane.failures.flatMap((batch) => batch.rows.map((row) => JSON.stringify(row)));
      this.#held -= lines.length;
      count += lines.length;
      lane.failures = [];
      this.#update(lane, { failed: 0, error: null });
      this.#enqueue(lane, lines);
    }
    return count;
  }

  /** Forgets failed rows, returning them: the only way rows leave the queue without an acknowledgement. */
  discardFailed(datasource?: string): FailedBatch[] {
    const dropped: FailedBatch[] = [];
    for (const lane of this.#pick(datasource)) {
      for (const batch of lane.failures) this.#held -= batch.rows.length;
      dropped.push(...lane.failures);
      lane.failures = [];
      this.#update(lane, { failed: 0, error: null });
    }
    return dropped;
  }

  /** Calls `listener` after any stats change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Clears timers and page listeners, after one best-effort keepalive send of what is queued. Rows not acknowledged stay
   * pending in memory; appending or flushing again resumes sending.
   */
  dispose(): void {
    if (!this.#armed) return;
    this.#onPageHide();
    this.#armed = false;
    for (const lane of this.#lanes.values()) {
      clearTimeout(lane.timer);
      clearTimeout(lane.backoff);
      lane.timer = lane.backoff = undefined;
      for (const waiter of lane.waiters.splice(0)) waiter.resolve();
    }
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.#onPageHide);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  #arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    if (typeof window !== 'undefined') window.addEventListener('pagehide', this.#onPageHide);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
    for (const lane of this.#lanes.values()) if (lane.entries.length) this.#pump(lane);
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'hidden') this.#onPageHide();
  };

  /**
   * The page may be going away: timers will not fire again. Send what is queued with keepalive, within the browser's
   * 64 KB budget, using the token we already hold (there is no time to fetch one). Whatever does not fit stays pending.
   */
  readonly #onPageHide = (): void => {
    const { token, expiresAt } = this.#transport.tokens.getState();
    if (token === null || (expiresAt !== null && expiresAt < Date.now() + 1000)) return;
    let budget = KEEPALIVE_BUDGET;
    for (const lane of this.#lanes.values()) {
      const batch: Entry[] = [];
      for (const entry of lane.entries) {
        if (entry.sending) continue;
        if (entry.bytes + 1 > budget) break;
        budget -= entry.bytes + 1;
        batch.push(entry);
      }
      if (batch.length === 0) continue;
      for (const entry of batch) entry.sending = true;
      this.#post(lane.name, batch, token, true)
        .then(async (response) => {
          if (response.ok) return this.#acknowledge(lane, batch, await readAppendResult(response, batch.length));
          discard(response);
          this.#release(batch);
        })
        .catch(() => this.#release(batch));
    }
  };

  #lane(name: string): Lane {
    let lane = this.#lanes.get(name);
    if (!lane) {
      lane = { name, entries: [], seq: 0, busy: false, timer: undefined, backoff: undefined, attempt: 0, failures: [], waiters: [], stats: EMPTY_STATS };
      this.#lanes.set(name, lane);
    }
    return lane;
  }

  #pick(datasource?: string): Lane[] {
    if (datasource === undefined) return [...this.#lanes.values()];
    const lane = this.#lanes.get(datasource);
    return lane ? [lane] : [];
  }

  #enqueue(lane: Lane, lines: string[]): void {
    if (lines.length === 0) return;
    for (const line of lines) lane.entries.push({ seq: ++lane.seq, line, bytes: utf8Length(line), sending: false });
    this.#held += lines.length;
    this.#update(lane, { pending: lane.stats.pending + lines.length });
    if (this.#ready(lane)) this.#pump(lane);
    else lane.timer ??= setTimeout(() => this.#pump(lane), this.#options.flushInterval);
  }

  /** A full batch is waiting, or someone is waiting on flush(). */
  #ready(lane: Lane): boolean {
    if (lane.waiters.length > 0) return true;
    let rows = 0;
    let bytes = 0;
    for (const entry of lane.entries) {
      if (entry.sending) continue;
      rows++;
      bytes += entry.bytes + 1;
      if (rows >= this.#options.maxBatchRows || bytes >= this.#options.maxBatchBytes) return true;
    }
    return false;
  }

  /** Sends the next batch of a lane. One batch in flight per data source keeps rows in order. */
  #pump(lane: Lane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    if (lane.busy || lane.backoff !== undefined || !this.#armed) return;
    const batch: Entry[] = [];
    let bytes = 0;
    for (const entry of lane.entries) {
      if (entry.sending) continue;
      if (batch.length > 0 && (batch.length >= this.#options.maxBatchRows || bytes + entry.bytes + 1 > this.#options.maxBatchBytes)) break;
      batch.push(entry);
      bytes += entry.bytes + 1;
    }
    if (batch.length === 0) return;
    for (const entry of batch) entry.sending = true;
    lane.busy = true;
    void this.#send(lane, batch).finally(() => {
      lane.busy = false;
      if (!this.#armed) return;
      if (this.#ready(lane)) this.#pump(lane);
      else if (lane.entries.some((e) => !e.sending)) lane.timer ??= setTimeout(() => this.#pump(lane), this.#options.flushInterval);
    });
  }

  async #send(lane: Lane, batch: Entry[]): Promise<void> {
    const { tokens } = this.#transport;
    let refreshed = false;
    for (;;) {
      let token: string;
      let response: Response;
      let generation: number;
      try {
        token = await tokens.getToken();
        generation = tokens.getState().refreshCount;
      } catch (error) {
        // No token yet (route down, signed out): the rows wait, visibly pending, and we ask again later.
        return this.#retryLater(lane, batch, error as TinybirdError);
      }
      try {
        response = await this.#post(lane.name, batch, token, false);
      } catch (cause) {
        return this.#retryLater(lane, batch, networkError(`Sending ${batch.length} rows to ${lane.name}`, cause));
      }
      if (response.ok) return this.#acknowledge(lane, batch, await readAppendResult(response, batch.length));
      const what = `Appending to ${lane.name}`;
      if ((response.status === 401 || response.status === 403) && !refreshed && tokens.refreshable) {
        discard(response);
        refreshed = true;
        try {
          if (tokens.getState().refreshCount === generation) await tokens.refresh();
        } catch (error) {
          return this.#retryLater(lane, batch, error as TinybirdError);
        }
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        const wait = retryAfterMs(response.headers);
        return this.#retryLater(lane, batch, await errorFromResponse(response, what), wait);
      }
      return this.#fail(lane, batch, await errorFromResponse(response, what));
    }
  }

  #post(datasource: string, batch: Entry[], token: string, keepalive: boolean): Promise<Response> {
    const query = new URLSearchParams({ name: datasource });
    if (this.#options.wait) query.set('wait', 'true');
    return resolveFetch(this.#transport.fetch)(`${this.#transport.baseUrl()}/v0/events?${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
      body: batch.map((entry) => entry.line).join('\n'),
      credentials: 'omit',
      keepalive,
    });
  }

  #acknowledge(lane: Lane, batch: Entry[], result: { quarantined_rows: number }): void {
    this.#remove(lane, batch);
    lane.attempt = 0;
    this.#update(lane, {
      pending: lane.stats.pending - batch.length,
      sent: lane.stats.sent + batch.length,
      quarantined: lane.stats.quarantined + result.quarantined_rows,
      error: lane.failures.at(-1)?.error ?? null,
    });
    this.#settle(lane);
  }

  #fail(lane: Lane, batch: Entry[], error: TinybirdError): void {
    this.#remove(lane, batch);
    // Still held in memory (counted against maxQueueRows) until the app retries or discards them.
    this.#held += batch.length;
    lane.failures.push({ datasource: lane.name, rows: batch.map((entry) => JSON.parse(entry.line) as object), error });
    this.#update(lane, { pending: lane.stats.pending - batch.length, failed: lane.stats.failed + batch.length, error });
    this.#settle(lane);
  }

  #retryLater(lane: Lane, batch: Entry[], error: TinybirdError, wait?: number): void {
    this.#release(batch);
    this.#update(lane, { error });
    if (!this.#armed) return;
    const delay = wait ?? backoffDelay(lane.attempt, 500, 30_000);
    lane.attempt++;
    lane.backoff = setTimeout(() => {
      lane.backoff = undefined;
      this.#pump(lane);
    }, delay);
  }

  #release(batch: Entry[]): void {
    for (const entry of batch) entry.sending = false;
  }

  #remove(lane: Lane, batch: Entry[]): void {
    const gone = new Set(batch);
    lane.entries = lane.entries.filter((entry) => !gone.has(entry));
    this.#held -= batch.length;
  }

  #settle(lane: Lane): void {
    lane.waiters = lane.waiters.filter((waiter) => {
      if (!settled(lane, waiter.target)) return true;
      waiter.resolve();
      return false;
    });
  }

  #update(lane: Lane, patch: Partial<QueueStats>): void {
    lane.stats = { ...lane.stats, ...patch };
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Rows leave a lane in order, so everything up to `target` is settled when the oldest remaining row is newer. */
function settled(lane: Lane, target: number): boolean {
  const first = lane.entries[0];
  return first === undefined || first.seq > target;
}
