/**
 * Stable machine-readable reasons a Tinybird call can fail. Switch on these, not on messages.
 *
 * @example
 * ```ts
 * if (error.code === 'UNAUTHENTICATED') redirectToLogin();
 * ```
 */
export type TinybirdErrorCode =
  | 'TOKEN_FETCH_FAILED'
  | 'UNAUTHENTICATED'
  | 'INVALID_TOKEN'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'NETWORK'
  | 'SERVER_ERROR'
  | 'QUEUE_FULL'
  | 'INVALID_ROW'
  | 'PAYLOAD_TOO_LARGE'
  | 'PRINCIPAL_CHANGED'
  | 'ABORTED';

/**
 * Extra facts carried by a {@link TinybirdError}.
 *
 * @example
 * ```ts
 * new TinybirdError('BAD_REQUEST', 'Pipe failed', { status: 400, serverMessage: 'Missing limit' });
 * ```
 */
export interface TinybirdErrorDetails {
  /** HTTP status of the failing response, when there was one. */
  status?: number;
  /** Tinybird's own `error` message from the response body, unchanged. */
  serverMessage?: string;
  /** Tinybird's `documentation` URL from the response body. */
  documentation?: string;
  /** The underlying error (network failure, jose decode error, JSON error...). */
  cause?: unknown;
}

/** Global (Symbol.for), so every bundled copy of the class shares it. */
const BRAND = Symbol.for('react-tinybird.TinybirdError');

/**
 * Every failure the library reports: a stable `code`, the HTTP `status`, the server's own message and the original `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await client.query('top_airlines', { limit: 5 });
 * } catch (error) {
 *   if (error instanceof TinybirdError && error.code === 'RATE_LIMITED') showSlowDownBanner();
 *   else throw error;
 * }
 * ```
 */
export class TinybirdError extends Error {
  /**
   * `instanceof` by brand, not by prototype. In ESM the client and server entries share one copy of this class; the
   * brand stays for the copies that remain: the CJS builds bundle core once per entry, and an app may load one entry
   * as ESM and the other as CJS (the dual-package hazard). An error thrown by one must still be recognised by a check
   * written against the other.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return !!(value as { [BRAND]?: true } | null)?.[BRAND];
  }

  // `declare`: assigned in the constructor, only when known (no own `status: undefined` on a NETWORK error).
  declare readonly code: TinybirdErrorCode;
  declare readonly status?: number;
  declare readonly serverMessage?: string;
  declare readonly documentation?: string;

  constructor(code: TinybirdErrorCode, message: string, { cause, ...facts }: TinybirdErrorDetails = {}) {
    super(message, cause === undefined ? undefined : { cause });
    // `new.target` keeps the right name for subclasses, even after minification renames nothing else.
    this.name = new.target.name;
    Object.assign(this, { code }, facts);
  }
}
(TinybirdError.prototype as { [BRAND]?: true })[BRAND] = true;
