import { TinybirdError } from '../errors';
import type { TinybirdErrorCode, TinybirdErrorDetails } from '../errors';
import type { RequestEvent } from './request-event';
import { abortError, abortable } from './sleep';

/** Tinybird's API host when neither the options nor the token route name one. */
export const DEFAULT_BASE_URL = 'https://api.tinybird.co';

/** Where requests go: the API host and the fetch to use. The client and the event queue each have one. */
export interface Target {
  baseUrl(): string;
  fetch?: typeof fetch;
  /** Told of every request when it leaves and when it is answered (the client's `onRequest` listeners). */
  observe?: (event: RequestEvent) => void;
}

/** What a request needs of the token source: a token now, and one refresh when the server refuses it. */
export interface Tokens {
  readonly refreshable: boolean;
  getToken(): Promise<string>;
  refresh(): Promise<string>;
  getState(): { refreshCount: number };
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

/** What to send; the method follows from the body (GET without one, POST with one). */
export interface Call {
  /** The path with its query string (the request observer's `url`): the client builds it where it measures it. */
  url: string;
  body?: string;
  /** Content-Type of the body. */
  type?: string;
  /** For the page-hide flush: lets the request outlive the page. */
  keepalive?: boolean;
  /** Set by `send` for request observers. */
  id?: number;
}

const CODES: Record<number, TinybirdErrorCode> = {
  401: 'FORBIDDEN',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/** 429, 5xx and no answer at all are worth another try; any other refusal will not change by itself. */
export const retryable = (status: number): boolean => status === 429 || status >= 500;

/** The message of whatever was thrown. */
export const reason = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

export const noop = (): void => {};

/** Reads Tinybird's `{error, documentation}` body (or plain text) into a TinybirdError that keeps the server's words. */
export async function errorFromResponse(
  response: Response,
  what: string,
  code = CODES[response.status] ?? (response.status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST'),
): Promise<TinybirdError> {
  const { status } = response;
  const text = (await response.text().catch(() => '')).trim();
  const details: TinybirdErrorDetails = { status };
  let message: unknown = text.slice(0, 500);
  let documentation: unknown;
  try {
    ({ error: message, documentation } = JSON.parse(text) as { error?: unknown; documentation?: unknown });
  } catch {
    // Not JSON: the text itself is the message.
  }
  if (typeof message === 'string' && message) details.serverMessage = message;
  if (typeof documentation === 'string') details.documentation = documentation;
  return new TinybirdError(
    code,
    `${what} failed, HTTP ${status}: ${details.serverMessage ?? response.statusText}`,
    details,
  );
}

/** `what` failed because of `cause` (not an HTTP answer: the network, a throwing getToken...). */
export const failure = (code: TinybirdErrorCode, what: string, cause: unknown): TinybirdError =>
  new TinybirdError(code, `${what} failed: ${reason(cause)}`, { cause });

/** Frees the connection of a response we are about to retry without reading. */
export function discard(response: Response): void {
  response.body?.cancel().catch(noop);
}

/** The fetch to use, resolved at call time so a test or polyfill installed later is still honoured. */
export function resolveFetch(custom?: typeof fetch): typeof fetch {
  if (custom) return custom;
  if (typeof fetch !== 'function') {
    throw new TypeError('No fetch: pass the fetch option');
  }
  // Called detached (never as a method of something else), which browsers require of their fetch.
  return fetch;
}

/** A POST of NDJSON lines to the Events API; `wait`: acknowledged means written, not just accepted. */
export function eventsCall(datasource: string, lines: readonly string[], wait: boolean, keepalive?: boolean): Call {
  const query = new URLSearchParams({ name: datasource });
  if (wait) query.set('wait', 'true');
  return { url: `/v0/events?${query}`, body: lines.join('\n'), type: 'application/x-ndjson', keepalive };
}

let calls = 0;

/**
 * One request with `token` as a Bearer header: never in the URL, and never with cookies. Reported to
 * `transport.observe` when it leaves and when it is answered, without the token.
 */
export function send(transport: Target, call: Call, token: string, signal?: AbortSignal): Promise<Response> {
  const { url, body, type } = call;
  const method = body === undefined ? 'GET' : ('POST' as const);
  const sending = resolveFetch(transport.fetch)(transport.baseUrl() + url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(type && { 'Content-Type': type }) },
    body,
    credentials: 'omit',
    keepalive: call.keepalive,
    signal,
  });
  // The client sends the same Call again to retry it: its attempts share the id.
  const id = (call.id ??= ++calls);
  const report = (event: Pick<RequestEvent, 'sent' | 'status' | 'received'>) =>
    transport.observe?.({ id, method, url, at: Date.now(), ...event });
  report({ sent: body?.length ?? 0 });
  sending.then(
    (response) => report({ status: response.status, received: response.headers.get('content-length') }),
    () => report({ status: 0 }),
  );
  return sending;
}

/**
 * Gets a token and sends; on 401/403 refreshes the token and sends once more. Requests that failed with a token someone
 * else already replaced just retry with the new one: N concurrent 403s cause one refresh. Resolves with the last response
 * (ok or not); rejects with a TinybirdError only: the token's, ABORTED, or NETWORK when fetch threw (`what` names the
 * request in its message). The client's retry loop and the event queue both send through here.
 */
export async function authorized(
  tokens: Tokens,
  request: (token: string) => Promise<Response>,
  what: string,
  signal?: AbortSignal,
): Promise<Response> {
  try {
    for (let refreshed = false; ; refreshed = true) {
      const token = await abortable(tokens.getToken(), signal);
      const generation = tokens.getState().refreshCount;
      const response = await request(token);
      if ((response.status !== 401 && response.status !== 403) || refreshed || !tokens.refreshable) return response;
      discard(response);
      if (tokens.getState().refreshCount === generation) await abortable(tokens.refresh(), signal);
    }
  } catch (cause) {
    // No token, or aborted while waiting for one: final as it is. Anything else is fetch failing: the network.
    if (cause instanceof TinybirdError) throw cause;
    throw signal?.aborted ? abortError(signal) : failure('NETWORK', what, cause);
  }
}

/** The Events API answer; a 202 may come with no body: the rows were accepted and none quarantined. */
export async function readAppendResult(response: Response, rows: number): Promise<AppendResult> {
  const { successful_rows, quarantined_rows = 0 } = ((await response.json().catch(noop)) ??
    {}) as Partial<AppendResult>;
  return { successful_rows: successful_rows ?? rows - quarantined_rows, quarantined_rows };
}
