import { TinybirdError } from './errors';
import type { EventQueue, EventQueueOptions } from './event-queue';
import { encodeParams } from './params';
import type { Params } from './params';
import { tokenPrincipal } from './principal';
import type { RequestEvent } from './internal/request-event';
import { TokenSource } from './token-source';
import type { TokenSourceOptions } from './token-source';
import { backoffDelay, retry, retryAfterMs } from './internal/retryer';
import { DEFAULT_BASE_URL, authorized, errorFromResponse, eventsCall, readAppendResult, send } from './internal/http';
import type { AppendResult, Call } from './internal/http';
import { listeners } from './internal/listeners';
import type { Members } from './internal/members';
import { serialiseRows } from './internal/rows';

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

export type { AppendResult } from './internal/http';

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
  /**
   * Send only with a token of this principal (see `TokenState.principal`), else fail with PRINCIPAL_CHANGED. Cached
   * results are keyed by principal: a token that changed hands between building the key and sending must not fill
   * one user's cache entry with another user's rows.
   */
  principal?: string;
}

/** Browsers, proxies and CDNs start refusing URLs around 8 KB; past this, params go in a POST body. */
const MAX_URL_LENGTH = 8_000;

// The members, documented here; the constructor builds the methods as closures (see TokenSource for why).
export interface TinybirdClient {
  /** The token source: `getState()`, `subscribe()`, `refresh()`. */
  readonly tokens: TokenSource;
  /**
   * The shared batching queue behind `useAppend`. Made by `attachEvents`, which useAppend and createTinybirdClient
   * call: an app that only reads never bundles the queue. Reading it before throws.
   */
  readonly events: EventQueue;
  /** Makes `events` from the EventQueue class unless it exists, and returns it. */
  attachEvents(Queue: typeof EventQueue): EventQueue;
  /** Stable identity for cache keys: never the token. */
  readonly cacheKey: string;
  /** The API host requests go to, without a trailing slash. */
  baseUrl(): string;
  /** Calls a published pipe endpoint. Long parameter lists switch from GET to POST with a JSON body. */
  query<Row = Record<string, unknown>>(pipe: string, params?: Params, init?: RequestOptions): Promise<QueryResult<Row>>;
  /** Runs SQL through the Query API (needs a token with DATASOURCES:READ scopes). Adds `FORMAT JSON` when missing. */
  sql<Row = Record<string, unknown>>(sql: string, init?: RequestOptions): Promise<QueryResult<Row>>;
  /**
   * Posts rows to the Events API in one request, now, with the same auth and retry rules as queries. For fire-and-forget
   * tracking use `client.events.append()` (batched, retried until acknowledged) instead.
   */
  append(
    datasource: string,
    rows: object | readonly object[],
    init?: RequestOptions & { wait?: boolean },
  ): Promise<AppendResult>;
  /**
   * Calls `listener` when a request leaves and when it is answered (devtools, logging, metrics): every query, SQL
   * query and append, the event queue's batches included. Never given the token. Returns the unsubscribe function.
   */
  onRequest(listener: (event: RequestEvent) => void): () => void;
  /** Releases timers and listeners of the token source (if the client created it) and of the event queue. */
  dispose(): void;
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
// Merged with the interface above, which carries the public members' types and docs.
export class TinybirdClient {
  constructor(options: TinybirdClientOptions) {
    const { tokenSource, maxRateLimitRetries = 3, maxServerErrorRetries = 2 } = options;
    const tokens = tokenSource ?? new TokenSource(options);
    const baseUrl = () => (options.baseUrl ?? tokens.getState().baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const { subscribe: onRequest, emit } = listeners<RequestEvent>();
    // Called apart from the request, so a listener that throws cannot fail the request it watches.
    const observe = (event: RequestEvent) => queueMicrotask(() => emit(event));
    // The event queue shares it, so its batches are reported too.
    const transport = { tokens, baseUrl, fetch: options.fetch, observe };
    let events: EventQueue | undefined;

    /** GET, or when the URL would be too long a POST of the same params: as JSON for a pipe, as a form for SQL. */
    const call = (path: string, query: Record<string, string>, asJson?: boolean): Call => {
      const search = new URLSearchParams(query).toString();
      const url = `${path}${search && '?'}${search}`;
      if (baseUrl().length + url.length <= MAX_URL_LENGTH) return { url };
      return asJson
        ? { url: path, body: JSON.stringify(query), type: 'application/json' }
        : { url: path, body: search, type: 'application/x-www-form-urlencoded' };
    };

    /** Sends with retries: 403 once after a refresh, 429 and 5xx/network failures a bounded number of times. */
    const request = async (call: Call, what: string, { signal, principal }: RequestOptions = {}): Promise<Response> => {
      const sendAs = (token: string) => {
        if (principal !== undefined && tokenPrincipal(token) !== principal) {
          throw new TinybirdError('PRINCIPAL_CHANGED', `${what}: the token changed principal`);
        }
        return send(transport, call, token, signal);
      };
      let rateLimited = 0;
      let failures = 0;
      /** Read from the last refusal, for when it was a 429. */
      let retryAfter: number | undefined;
      return retry(
        async () => {
          const response = await authorized(tokens, sendAs, what, signal);
          if (response.ok) return response;
          retryAfter = retryAfterMs(response.headers);
          // Read into an error whether or not it is retried: reading the (small) body also frees the connection.
          throw await errorFromResponse(response, what);
        },
        // The code says what failed: a 429, a 5xx or no answer is worth another try; nothing else changes by itself.
        (error) => {
          const { code } = error as TinybirdError;
          const limited = code === 'RATE_LIMITED';
          const attempt = limited ? rateLimited++ : failures++;
          const worth = limited || code === 'SERVER_ERROR' || code === 'NETWORK';
          return worth && attempt < (limited ? maxRateLimitRetries : maxServerErrorRetries)
            ? (limited && retryAfter) || backoffDelay(attempt)
            : undefined;
        },
        signal,
      );
    };

    const json = async <T>(call: Call, what: string, init?: RequestOptions): Promise<T> => {
      const response = await request(call, what, init);
      return (await response.json().catch((cause: unknown) => {
        throw new TinybirdError('SERVER_ERROR', `${what} answered invalid JSON`, { status: response.status, cause });
      })) as T;
    };

    Object.defineProperty(this, 'events', {
      enumerable: true,
      get: (): EventQueue => {
        if (events) return events;
        throw new TypeError('client.events: call useAppend first, or create the client with createTinybirdClient');
      },
    });
    Object.assign<TinybirdClient, Omit<Members<TinybirdClient>, 'events'>>(this, {
      tokens,
      cacheKey: options.baseUrl ?? options.tokenUrl ?? 'tinybird',
      baseUrl,
      query(pipe, params, init = {}) {
        if (typeof pipe !== 'string' || pipe === '') throw new TypeError('query: pass a pipe name.');
        const query = encodeParams(params);
        return json(call(`/v0/pipes/${encodeURIComponent(pipe)}.json`, query, true), `Pipe ${pipe}`, init);
      },
      sql(sql, init = {}) {
        if (typeof sql !== 'string' || sql.trim() === '') throw new TypeError('sql: pass a SELECT statement.');
        const query = {
          q: /\bFORMAT\s+\w+\s*;?\s*$/i.test(sql) ? sql : `${sql.trim().replace(/;\s*$/, '')} FORMAT JSON`,
        };
        return json(call('/v0/sql', query), 'SQL query', init);
      },
      async append(datasource, rows, init = {}) {
        const lines = serialiseRows(rows);
        const response = await request(
          eventsCall(datasource, lines, init.wait ?? true),
          `Appending to ${datasource}`,
          init,
        );
        return readAppendResult(response, lines.length);
      },
      onRequest,
      attachEvents(Queue) {
        return (events ??= new Queue(transport, options.events));
      },
      dispose() {
        events?.dispose();
        if (!tokenSource) tokens.dispose();
      },
    });
  }
}
