import { TinybirdError } from '../core/errors';
import type { TinybirdErrorCode } from '../core/errors';

/** Maps an HTTP status to the stable code users switch on. */
export function codeForStatus(status: number): TinybirdErrorCode {
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'BAD_REQUEST';
}

/** Reads Tinybird's `{error, documentation}` body (or plain text) into a TinybirdError that keeps the server's words. */
export async function errorFromResponse(response: Response, what: string, code = codeForStatus(response.status)): Promise<TinybirdError> {
  let serverMessage: string | undefined;
  let documentation: string | undefined;
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const { error, documentation: docs } = body as { error?: unknown; documentation?: unknown };
      if (typeof error === 'string') serverMessage = error;
      if (typeof docs === 'string') documentation = docs;
    }
  } catch {
    if (text.trim()) serverMessage = text.trim().slice(0, 500);
  }
  const reason = serverMessage ?? (response.statusText || 'no message');
  return new TinybirdError(code, `${what} failed with HTTP ${response.status}: ${reason}`, {
    status: response.status,
    ...(serverMessage !== undefined && { serverMessage }),
    ...(documentation !== undefined && { documentation }),
  });
}

/** Frees the connection of a response we are about to retry without reading. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

export function networkError(what: string, cause: unknown): TinybirdError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TinybirdError('NETWORK', `${what} could not reach the server: ${reason}`, { cause });
}

/** Resolves the fetch to use at call time, so a test or polyfill installed later is still honoured. */
export function resolveFetch(custom?: typeof fetch): typeof fetch {
  if (custom) return custom;
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('react-tinybird needs fetch: pass the `fetch` option in runtimes that do not have one.');
  }
  return globalThis.fetch.bind(globalThis);
}

/** The Events API answer; a 202 may come with no body: the rows were accepted and none quarantined. */
export async function readAppendResult(response: Response, rows: number): Promise<{ successful_rows: number; quarantined_rows: number }> {
  const body = (await response.json().catch(() => null)) as { successful_rows?: unknown; quarantined_rows?: unknown } | null;
  const quarantined = typeof body?.quarantined_rows === 'number' ? body.quarantined_rows : 0;
  const successful = typeof body?.successful_rows === 'number' ? body.successful_rows : rows - quarantined;
  return { successful_rows: successful, quarantined_rows: quarantined };
}
