/**
 * One HTTP request the client sent, as `client.onRequest()` reports it: once when it leaves (no `status` yet) and once
 * when its answer's headers arrive or it fails (with a `status`). Every attempt of one call shares an `id`: a retry
 * after a 403 token refresh, a 429 backoff or a 5xx sends the same call again. It never holds the token, which travels
 * in a header; `url` is what the URL already shows.
 *
 * @example
 * ```ts
 * const started = new Map<number, number>();
 * client.onRequest((event) => {
 *   if (event.status === undefined) started.set(event.id, event.at);
 *   else console.log(event.method, event.url, event.status, `${event.at - started.get(event.id)!} ms`);
 * });
 * ```
 */
export interface RequestEvent {
  /** Shared by every attempt of one call. */
  id: number;
  method: 'GET' | 'POST';
  /** Path and query string, without the host: `/v0/pipes/top_airlines.json?limit=5`. */
  url: string;
  /** Epoch ms when the request left, or when its answer came. */
  at: number;
  /** When it leaves: the length of the request body (0 for a GET). */
  sent?: number;
  /** When it ends: the HTTP status; 0 when no answer came (network failure, aborted: the caller gets that error). */
  status?: number;
  /** When it ends: the answer's Content-Length header, when the server sent one. */
  received?: string | null;
}
