import { TinybirdError } from './errors';
import { EventQueue } from './event-queue';
import type { EventQueueOptions } from './event-queue';
import { encodeParams } from './params';
import type { Params } from './params';
import { TokenSource } from './token-source';
import type { TokenSourceOptions } from './token-source';
import { backoffDelay, retryAfterMs } from '../lib/backoff';
import { discard, errorFromResponse, networkError, readAppendResult, resolveFetch } from '../lib/http';
import { serialiseRows } from '../lib/rows';
import { abortable, abortError, sleep } from '../lib/sleep';

/**

 * A column of a result, as Tinybird describes it.
 *
 * @example
 * ```ts
 * const columns = result.meta.map((column: ColumnMeta) => column.name);
 * ```
 */
export interface ColumnMeta {
  name: string;
  type: string;
}

/**

 * What the query cost, as Tinybird reports it.
 *
 * @example
 * ```ts
 * console.log(`${result.statistics.rows_read} rows read in ${result.statistics.elapsed}s`);
 * ```
 */
export interface QueryStatistics {
  elapsed: number;
  rows_read: number;
  bytes_read: number;
}

/**

 * A pipe or SQL result in Tinybird's JSON shape.
 *
 * @example
 * ```ts
 * const result: QueryResult<{ airline: string }> = await client.query('top_airlines');
 * ```
 */
export interface QueryResult<Row> {
  data: Row[];
  meta: ColumnMeta[];
  rows: number;
  rows_before_limit_at_least?: number;
  statistics: QueryStatistics;
}

/**

 * The Events API answer.
 *
 * @example
 * ```ts
 * const { quarantined_rows } = await client.append('events', rows);
 * ```
 */
export interface AppendResult {
  successful_rows: number;
  quarantined_rows: number;
}

/**

 * Options of {@link TinybirdClient}: a token source (or one to share) plus API and retry settings.
 *
 * @example
 * ```ts
 * createTinybirdClient({ tokenUrl: '/api/tinybird-token', maxRateLimitRetries: 5, events: { flushInterval: 2000 } });
 * ```
 */
export interface TinybirdClientOptions extends TokenSourceOptions {
  /** API host. Else the token route's `baseUrl`, else `https://api.tinybird.co`. */
  baseUrl?: string;
  /** Share one TokenSource between clients; the client then does not dispose it. */
  tokenSource?: TokenSource;
  /** Retries after a 429 before RATE_LIMITED. Default 3. */
  maxRateLimitRetries?: number;
  /** Retries after a 5xx or a network failure before SERVER_ERROR / NETWORK. Default 2. */
  maxServerErrorRetries?: number;
  /** Batching of `client.events`. */
  events?: EventQueueOptions;
}

/**

 * Per-request options.
 *
 * @example
 * ```ts
 * await client.query('top_airlines', {}, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export interface RequestOptions {
  signal?: AbortSignal;
}

const DEFAULT_BASE_URL = 'https://api.tinybird.co';
/** Browsers, proxies and CDNs start refusing URLs around 8 KB; past this, params go in a POST body. */
const MAX_URL_LENGTH = 8_000;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: { content: string; type: string };
  what: string;
  signal?: AbortSignal | undefined;
}

/**
 * The engine without React: queries pipes, runs SQL and appends events with a short-lived token in the Authorization
 * header. A 403 refreshes the token (once for all concurrent requests) and retries once; 429 and 5xx back off and retry
 * a bounded number of times; every failure is a {@link TinybirdError}.
 *
 * @example
 * ```ts
 * const client = new TinybirdClient({ tokenUrl: '/api/tinybird-token' });
 * const { data } = await client.query<{ airline: string; bookings: number }>('top_airlines', { limit: 5 });
 * ```
 */
export class TinybirdClient {
  /** The token source: `getState()`, `subscribe()`, `refresh()`. */
  readonly tokens: TokenSource;
  /** The shared batching queue behind `useAppend`. */
  readonly events: EventQueue;
  /** Stable identity for cache keys: never the token. */
  readonly cacheKey: string;

  readonly #options: TinybirdClientOptions;
  readonly #ownsTokens: boolean;

  constructor(options: TinybirdClientOptions) {
    this.#options = options;
    this.#ownsTokens = options.tokenSource === undefined;
    this.tokens = options.tokenSource ?? new TokenSource(options);
    this.cacheKey = options.baseUrl ?? options.tokenUrl ?? 'tinybird';
    const transport = { tokens: this.tokens, baseUrl: () => this.baseUrl(), ...(options.fetch && { fetch: options.fetch }) };
    this.events = new EventQueue(transport, options.events);
  }

  /** The API host requests go to, without a trailing slash. */
  baseUrl(): string {
    const url = this.#options.baseUrl ?? this.tokens.getState().baseUrl ?? DEFAULT_BASE_URL;
    return url.replace(/\/+$/, '');
  }

  /** Calls a published pipe endpoint. Long parameter lists switch from GET to POST with a JSON body. */
  query<Row = Record<string, unknown>>(pipe: string, params?: Params, init: RequestOptions = {}): Promise<QueryResult<Row>> {
    if (typeof pipe !== 'string' || pipe === '') throw new TypeError('query: pass the pipe name, e.g. client.query("top_airlines").');
    const encoded = encodeParams(params);
    const path = `/v0/pipes/${encodeURIComponent(pipe)}.json`;
    const what = `Pipe ${pipe}`;
    if (this.#tooLong(path, encoded)) {
      const body = { content: JSON.stringify(encoded), type: 'application/json' };
      return this.#request({ method: 'POST', path, body, what, signal: init.signal });
    }
    return this.#request({ method: 'GET', path, query: encoded, what, signal: init.signal });
  }

  /** Runs SQL through the Query API (needs a token with DATASOURCES:READ scopes). Adds `FORMAT JSON` when missing. */
  sql<Row = Record<string, unknown>>(sql: string, init: RequestOptions = {}): Promise<QueryResult<Row>> {
    if (typeof sql !== 'string' || sql.trim() === '') throw new TypeError('sql: pass a SELECT statement.');
    const q = /\bFORMAT\s+\w+\s*;?\s*$/i.test(sql) ? sql : `${sql.trim().replace(/;\s*$/, '')} FORMAT JSON`;
    const what = 'SQL query';
    if (this.#tooLong('/v0/sql', { q })) {
      const body = { content: new URLSearchParams({ q }).toString(), type: 'application/x-www-form-urlencoded' };
      return this.#request({ method: 'POST', path: '/v0/sql', body, what, signal: init.signal });
    }
    return this.#request({ method: 'GET', path: '/v0/sql', query: { q }, what, signal: init.signal });
  }

  /**
   * Posts rows to the Events API in one request, now, with the same auth and retry rules as queries. For fire-and-forget
   * tracking use `client.events.append()` (batched, retried until acknowledged) instead.
   */
  async append(datasource: string, rows: object | readonly object[], init: RequestOptions & { wait?: boolean } = {}): Promise<AppendResult> {
    const lines = serialiseRows(rows);
    const query: Record<string, string> = { name: datasource };
    if (init.wait ?? true) query.wait = 'true';
    const body = { content: lines.join('\n'), type: 'application/x-ndjson' };
    const response = await this.#request<Response>({ method: 'POST', path: '/v0/events', query, body, what: `Appending to ${datasource}`, signal: init.signal }, true);
    return readAppendResult(response, lines.length);
  }

  /** Releases timers and listeners of the token source (if the client created it) and of the event queue. */
  dispose(): void {
    this.events.dispose();
    if (this.#ownsTokens) this.tokens.dispose();
  }

  #tooLong(path: string, query: Record<string, string>): boolean {
    return this.baseUrl().length + path.length + 1 + new URLSearchParams(query).toString().length > MAX_URL_LENGTH;
  }

  async #request<T>(call: Call, raw = false): Promise<T> {
    const { signal, what } = call;
    const fetchImpl = resolveFetch(this.#options.fetch);
    const maxRateLimit = this.#options.maxRateLimitRetries ?? 3;
    const maxServer = this.#options.maxServerErrorRetries ?? 2;
    let rateLimited = 0;
    let serverErrors = 0;
    let refreshed = false;
    for (;;) {
      const token = await abortable(this.tokens.getToken(), signal);
      const generation = this.tokens.getState().refreshCount;
      const search = call.query && Object.keys(call.query).length ? `?${new URLSearchParams(call.query)}` : '';
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (call.body) headers['Content-Type'] = call.body.type;
      let response: Response;
      try {
        response = await fetchImpl(`${this.baseUrl()}${call.path}${search}`, {
          method: call.method,
          headers,
          ...(call.body && { body: call.body.content }),
          credentials: 'omit',
          ...(signal && { signal }),
        });
      } catch (cause) {
        if (signal?.aborted) throw abortError(signal);
        if (serverErrors < maxServer) {
          await sleep(backoffDelay(serverErrors++), signal);
          continue;
        }
        throw networkError(what, cause);
      }
      if (response.ok) {
        if (raw) return response as T;
        return (await response.json().catch((cause: unknown) => {
          throw new TinybirdError('SERVER_ERROR', `${what} answered invalid JSON`, { status: response.status, cause });
        })) as T;
      }
      if ((response.status === 401 || response.status === 403) && !refreshed && this.tokens.refreshable) {
        discard(response);
        refreshed = true;
        // Requests that failed with a token someone already replaced just retry; only the first one refreshes.
        if (this.tokens.getState().refreshCount === generation) await abortable(this.tokens.refresh(), signal);
        continue;
      }
      if (response.status === 429 && rateLimited < maxRateLimit) {
        const wait = retryAfterMs(response.headers) ?? backoffDelay(rateLimited);
        rateLimited++;
        discard(response);
        await sleep(wait, signal);
        continue;
      }
      if (response.status >= 500 && serverErrors < maxServer) {
        discard(response);
        await sleep(backoffDelay(serverErrors++), signal);
        continue;
      }
      throw await errorFromResponse(response, what);
    }
  }
}
