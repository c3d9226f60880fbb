import { decodeJwt } from 'jose';
import { TinybirdError } from './errors';
import { backoffDelay } from '../lib/backoff';
import { errorFromResponse, resolveFetch } from '../lib/http';
import { sleep } from '../lib/sleep';
import { parseGrant, toEpochMs } from '../lib/grant';

/**

 * What a token route or `getToken()` may return besides a bare token string.
 *
 * @example
 * ```ts
 * // what a token route answers
 * return Response.json({ token: jwt, expiresAt: Math.floor(Date.now() / 1000) + 600, baseUrl: 'https://api.tinybird.co' });
 * ```
 */
export interface TokenGrant {
  token: string;
  /** Unix seconds (like JWT `exp`) when below 1e11, else epoch ms; an ISO string; or a Date. Server clock. */
  expiresAt?: number | string | Date;
  /** API host the token belongs to, e.g. `https://api.us-east.tinybird.co`. */
  baseUrl?: string;
}

/**

 * Where tokens come from. Pass exactly one of `tokenUrl`, `getToken` or `token`.
 *
 * @example
 * ```ts
 * new TokenSource({ tokenUrl: '/api/tinybird-token', tokenRequest: { credentials: 'include' }, refreshMargin: 30 });
 * ```
 */
export interface TokenSourceOptions {
  /** Your backend route. Answers JSON `{token, expiresAt?, baseUrl?}` or a bare JWT as text. */
  tokenUrl?: string;
  /** RequestInit merged into the token route call (method, credentials, headers...). */
  tokenRequest?: RequestInit;
  /** Any function returning a token or a grant (a server action, an SDK call...). */
  getToken?: () => string | TokenGrant | Promise<string | TokenGrant>;
  /** A fixed token: a `p.` static token (never expires) or a JWT (used until its `exp`). */
  token?: string;
  /** A token signed during server rendering: used at once, so the first query needs no token round trip. */
  initialToken?: string | TokenGrant;
  /** Seconds before expiry to refresh. Default: min(60 s, 10 % of the lifetime). Never earlier than half the lifetime. */
  refreshMargin?: number;
  /** fetch for runtimes without a global one. */
  fetch?: typeof fetch;
}

/**

 * Immutable snapshot of a {@link TokenSource}; a new object only when something changed.
 *
 * @example
 * ```ts
 * const { status, expiresAt } = tokens.getState();
 * ```
 */
export interface TokenState {
  token: string | null;
  status: 'loading' | 'ready' | 'error';
  error: TinybirdError | null;
  /** Epoch ms in the LOCAL clock (corrected for skew), null for a non-expiring token. */
  expiresAt: number | null;
  claims: Record<string, unknown> | null;
  baseUrl: string | null;
  /** How many times a token was fetched to replace an earlier one (scheduled refreshes, refresh(), expiry). */
  refreshCount: number;
  /** Epoch ms (local clock) when the next scheduled refresh fires, null when none is scheduled. */
  refreshAt: number | null;
}

type GrantKind = 'fetched' | 'initial' | 'fixed';

/** Attempts per getToken() call against a failing token route: bounded, so a dead route never becomes a hot loop. */
const FETCH_ATTEMPTS = 3;
/** iat has one-second resolution and the route takes time: offsets smaller than this are noise, not skew. */
const SKEW_DEADBAND_MS = 5_000;
/** setTimeout overflows past 2^31-1 ms and would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

const INITIAL_STATE: TokenState = {
  token: null,
  status: 'loading',
  error: null,
  expiresAt: null,
  claims: null,
  baseUrl: null,
  refreshCount: 0,
  refreshAt: null,
};

/**
 * Gets a Tinybird token (JWT or static), keeps it fresh before it expires, and shares one request among every caller.
 *
 * Timers and listeners are armed lazily on first use and released by `dispose()`; using the source again re-arms them
 * (which is what makes React StrictMode's mount/unmount/mount harmless).
 *
 * @example
 * ```ts
 * const tokens = new TokenSource({ tokenUrl: '/api/tinybird-token' });
 * const jwt = await tokens.getToken(); // one request, however many callers
 * tokens.subscribe(() => console.log(tokens.getState().expiresAt));
 * ```
 */
export class TokenSource {
  /** False for a fixed token: there is nothing to refresh it from. */
  readonly refreshable: boolean;

  readonly #options: TokenSourceOptions;
  #state: TokenState = INITIAL_STATE;
  readonly #listeners = new Set<() => void>();
  #inflight: Promise<string> | null = null;
  /** Set by a 401/403 from the token route: no request until refresh() is called explicitly. */
  #blocked: TinybirdError | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #backgroundFailures = 0;
  #margin = 0;
  #safety = 0;
  #armed = false;
  #hadToken = false;
  #lifecycle = new AbortController();

  constructor(options: TokenSourceOptions) {
    const sources = [options.tokenUrl, options.getToken, options.token].filter((s) => s !== undefined).length;
    if (sources > 1) throw new TypeError('TokenSource: pass only one of `tokenUrl`, `getToken` or `token`.');
    if (sources === 0 && options.initialToken === undefined) {
      throw new TypeError('TokenSource: pass `tokenUrl` (your token route), `getToken` (a function) or `token` (a fixed token).');
    }
    if (options.refreshMargin !== undefined && !(options.refreshMargin >= 0)) {
      throw new TypeError('TokenSource: `refreshMargin` is a number of seconds, 0 or more.');
    }
    this.#options = options;
    this.refreshable = options.tokenUrl !== undefined || options.getToken !== undefined;
    // No timers here: a constructor may run twice under StrictMode and the spare instance is never disposed.
    if (options.token !== undefined) this.#tryStore(options.token, 'fixed');
    else if (options.initialToken !== undefined) this.#tryStore(options.initialToken, 'initial');
  }

  /** A token valid now. Fetches (once, shared) when there is none or it is about to expire. */
  getToken(): Promise<string> {
    this.#arm();
    if (this.#blocked) return Promise.reject(this.#blocked);
    if (this.#usable()) return Promise.resolve(this.#state.token!);
    if (!this.refreshable) {
      return Promise.reject(this.#state.error ?? new TinybirdError('INVALID_TOKEN', 'The fixed token has expired and there is no tokenUrl or getToken to get a new one'));
    }
    return this.#fetch();
  }

  /** Forces a new token (also after UNAUTHENTICATED). Concurrent callers share one request. */
  refresh(): Promise<string> {
    this.#arm();
    this.#blocked = null;
    if (!this.refreshable) return this.getToken();
    return this.#fetch();
  }

  /** Current snapshot; the same object until something changes (fit for useSyncExternalStore). */
  getState(): TokenState {
    return this.#state;
  }

  /** Calls `listener` after every state change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#arm();
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Clears every timer and listener. A request already in flight finishes but schedules nothing. */
  dispose(): void {
    this.#armed = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lifecycle.abort();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
    if (this.#state.refreshAt !== null) this.#set({ refreshAt: null });
  }

  #arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    this.#lifecycle = new AbortController();
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
    this.#schedule(this.#refreshDueAt());
  }

  // Background tabs throttle timers for minutes: on return, refresh at once if the scheduled time has passed.
  readonly #onVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.refreshable || this.#blocked) return;
    const due = this.#refreshDueAt();
    if (due !== null && Date.now() >= due) this.#fetch().catch(() => {});
  };

  #usable(now = Date.now()): boolean {
    const { token, expiresAt } = this.#state;
    return token !== null && (expiresAt === null || now < expiresAt - this.#safety);
  }

  #refreshDueAt(): number | null {
    const { token, expiresAt } = this.#state;
    if (token === null || expiresAt === null || !this.refreshable) return null;
    return expiresAt - this.#margin;
  }

  #fetch(): Promise<string> {
    this.#inflight ??= this.#fetchWithRetry().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #fetchWithRetry(): Promise<string> {
    if (!this.#usable()) this.#set({ status: 'loading' });
    const signal = this.#lifecycle.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        const requestedAt = Date.now();
        const grant = await this.#request();
        return this.#store(grant, 'fetched', requestedAt);
      } catch (cause) {
        const error = cause instanceof TinybirdError
          ? cause
          : new TinybirdError('TOKEN_FETCH_FAILED', `Getting a token failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        const retryable = error.code === 'TOKEN_FETCH_FAILED' && attempt + 1 < FETCH_ATTEMPTS && !signal.aborted;
        if (!retryable) throw this.#fail(error);
        try {
          await sleep(backoffDelay(attempt, 250, 4_000), signal);
        } catch {
          throw this.#fail(error);
        }
      }
    }
  }

  async #request(): Promise<string | TokenGrant> {
    const { tokenUrl, tokenRequest, getToken } = this.#options;
    if (getToken) {
      return getToken();
    }
    let response: Response;
    try {
      const headers = new Headers(tokenRequest?.headers);
      if (!headers.has('accept')) headers.set('accept', 'application/json, text/plain');
      response = await resolveFetch(this.#options.fetch)(tokenUrl!, { ...tokenRequest, headers });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TinybirdError('TOKEN_FETCH_FAILED', `The token route ${tokenUrl} could not be reached: ${reason}`, { cause });
    }
    if (response.status === 401 || response.status === 403) {
      throw await errorFromResponse(response, `The token route ${tokenUrl}`, 'UNAUTHENTICATED');
    }
    if (!response.ok) throw await errorFromResponse(response, `The token route ${tokenUrl}`, 'TOKEN_FETCH_FAILED');
    const text = await response.text();
    return parseGrant(text);
  }

  #fail(error: TinybirdError): TinybirdError {
    if (error.code === 'UNAUTHENTICATED') {
      this.#blocked = error;
      clearTimeout(this.#timer);
      this.#set({ token: null, status: 'error', error, expiresAt: null, claims: null, refreshAt: null });
      return error;
    }
    // A failed refresh does not take away a token that still works.
    if (this.#usable()) this.#set({ status: 'ready', error });
    else this.#set({ token: null, status: 'error', error, expiresAt: null, claims: null, refreshAt: null });
    return error;
  }

  #tryStore(grant: string | TokenGrant, kind: GrantKind): void {
    try {
      this.#store(grant, kind, Date.now());
    } catch (error) {
      // A stale server-rendered token is not an error when we can fetch a new one.
      if (kind === 'initial' && this.refreshable) return;
      this.#set({ status: 'error', error: error as TinybirdError });
    }
  }

  /** `requestedAt`: local time the token was asked for, a lower bound of when it was signed. */
  #store(grant: string | TokenGrant, kind: GrantKind, requestedAt: number): string {
    const receivedAt = Date.now();
    const { token, expiresAt: declared, baseUrl } = typeof grant === 'string' ? { token: grant.trim() } as TokenGrant : grant;
    if (typeof token !== 'string' || token === '') throw invalid('The token source returned no token');
    let claims: Record<string, unknown> | null = null;
    let serverExpiry = declared === undefined ? null : toEpochMs(declared);
    if (declared !== undefined && serverExpiry === null) throw invalid(`expiresAt ${String(declared)} is not a date`);
    let offset = 0;
    if (!token.startsWith('p.')) {
      try {
        claims = decodeJwt(token) as Record<string, unknown>;
      } catch (cause) {
        throw invalid('The token is neither a JWT nor a static `p.` token', cause);
      }
      if (typeof claims.exp !== 'number') throw invalid('The JWT has no numeric `exp` claim; Tinybird rejects such tokens');
      // The JWT's own exp is what Tinybird enforces: a route's expiresAt may only make it earlier, never later.
      serverExpiry = Math.min(serverExpiry ?? Infinity, claims.exp * 1000);
      offset = skewOffset(claims.iat, requestedAt, kind);
    }
    const expiresAt = serverExpiry === null ? null : serverExpiry + offset;
    if (expiresAt !== null && expiresAt <= receivedAt) {
      throw invalid(`The token expired at ${new Date(expiresAt).toISOString()} (local clock), before it could be used`);
    }
    // The lifetime the backend chose (exp - iat) sets the margin; what is left of it bounds the margin.
    const remaining = expiresAt === null ? 0 : expiresAt - receivedAt;
    const iat = claims?.iat;
    const lifetime = typeof iat === 'number' && serverExpiry !== null ? Math.min(Math.max(serverExpiry - iat * 1000, 0), remaining * 2) : remaining;
    const margin = this.#options.refreshMargin !== undefined ? this.#options.refreshMargin * 1000 : Math.min(60_000, lifetime * 0.1);
    // Never refresh before half the lifetime: a short token with a long margin must not turn into a refresh loop.
    this.#margin = Math.min(margin, lifetime / 2, remaining / 2);
    this.#safety = Math.min(5_000, this.#margin / 2);
    this.#backgroundFailures = 0;
    // Counted per fetch, not per distinct string: a backend signing twice in one second returns the same JWT.
    const replaced = kind === 'fetched' && this.#hadToken;
    this.#hadToken = true;
    this.#set({
      token,
      status: 'ready',
      error: null,
      expiresAt,
      claims,
      baseUrl: baseUrl ?? this.#state.baseUrl,
      refreshCount: this.#state.refreshCount + (replaced ? 1 : 0),
    });
    if (this.#armed) this.#schedule(this.#refreshDueAt());
    return token;
  }

  #schedule(at: number | null): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (at === null || !this.#armed) {
      if (this.#state.refreshAt !== null) this.#set({ refreshAt: null });
      return;
    }
    const delay = Math.max(0, at - Date.now());
    this.#timer = setTimeout(() => this.#onTimer(at), Math.min(delay, MAX_TIMER_MS));
    if (this.#state.refreshAt !== at) this.#set({ refreshAt: at });
  }

  #onTimer(at: number): void {
    this.#timer = undefined;
    if (Date.now() < at) return this.#schedule(at); // woke early after a clamped (very long) delay
    this.#fetch().catch(() => {
      if (!this.#armed || this.#blocked || !this.#usable()) return;
      // Keep trying in the background while the old token still works, spaced out, never past its expiry.
      const wait = backoffDelay(this.#backgroundFailures++, 1_000, 30_000);
      const expiresAt = this.#state.expiresAt!;
      this.#schedule(Math.min(Date.now() + wait, expiresAt - this.#safety));
    });
  }

  #set(patch: Partial<TokenState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of [...this.#listeners]) listener();
  }
}

function invalid(message: string, cause?: unknown): TinybirdError {
  return new TinybirdError('INVALID_TOKEN', message, cause === undefined ? {} : { cause });
}

/**
 * Local clock minus server clock, from `iat`. A freshly fetched token was signed just now, so the whole difference is
 * skew. A server-rendered token may be minutes old: its age would look like skew and push expiry too late, so only a
 * clock running behind (which can only make us refresh earlier) is trusted there.
 */
function skewOffset(iat: unknown, requestedAt: number, kind: GrantKind): number {
  if (typeof iat !== 'number' || kind === 'fixed') return 0;
  // Measured from when we asked, not when the answer came: a slow route must not read as skew and stretch expiry.
  const offset = requestedAt - iat * 1000;
  if (Math.abs(offset) < SKEW_DEADBAND_MS) return 0;
  return kind === 'initial' ? Math.min(0, offset) : offset;
}
