import { TinybirdError } from './errors';
import { decodeClaims, invalid, parseGrant, toEpochMs } from './internal/grant';
import { errorFromResponse, failure, noop, resolveFetch } from './internal/http';
import { onPageEvent } from './internal/lifecycle';
import { listeners } from './internal/listeners';
import type { Members } from './internal/members';
import { backoffDelay, cooldown, retry } from './internal/retryer';
import { sleep } from './internal/sleep';
import { principalOf } from './principal';

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
  /**
   * Whose rows the token can see (see {@link principalOf}): part of every query key, so users never share cached rows.
   * Kept while a failed refresh leaves no token (the next token is most likely the same user's), cleared when the
   * token route says the user is signed out.
   */
  principal: string | null;
  baseUrl: string | null;
  /** How many times a token was fetched to replace an earlier one (scheduled refreshes, refresh(), expiry). */
  refreshCount: number;
  /** Epoch ms (local clock) when the next scheduled refresh fires, null when none is scheduled. */
  refreshAt: number | null;
}

// The policy's numbers are written where they are used, each once, with the reason next to it (a named constant costs
// bytes in every esbuild-minified bundle, which does not inline them).
const NO_TOKEN = { token: null, expiresAt: null, claims: null, refreshAt: null };

// The methods, documented here; the constructor builds them as closures over its state (see the class comment).
export interface TokenSource {
  /** False for a fixed token: there is nothing to refresh it from. */
  readonly refreshable: boolean;
  /** A token valid now. Fetches (once, shared) when there is none or it is about to expire. */
  getToken(): Promise<string>;
  /** Forces a new token (also after UNAUTHENTICATED). Concurrent callers share one request. */
  refresh(): Promise<string>;
  /** Current snapshot; the same object until something changes (fit for useSyncExternalStore). */
  getState(): TokenState;
  /** Calls `listener` after every state change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Clears every timer and listener. A request already in flight finishes but schedules nothing. */
  dispose(): void;
}

/**
 * Gets a Tinybird token (JWT or static), keeps it fresh before it expires, and shares one request among every caller.
 *
 * Timers and listeners are armed lazily on first use and released by `dispose()`; using the source again re-arms them
 * (which is what makes React StrictMode's mount/unmount/mount harmless).
 *
 * The state lives in closures built by the constructor rather than in `#private` fields: local names minify, and
 * this is code every page that uses the library downloads.
 *
 * @example
 * ```ts
 * const tokens = new TokenSource({ tokenUrl: '/api/tinybird-token' });
 * const jwt = await tokens.getToken(); // one request, however many callers
 * tokens.subscribe(() => console.log(tokens.getState().expiresAt));
 * ```
 */
// Merged with the interface above, which carries the public methods' types and docs.
export class TokenSource {
  constructor(options: TokenSourceOptions) {
    const { tokenUrl, tokenRequest, getToken: getGrant, token: fixed, initialToken, refreshMargin } = options;
    const sources = [tokenUrl, getGrant, fixed].filter((s) => s !== undefined).length;
    // None is fine with an initialToken alone: it is used until it expires.
    if (sources > 1 || (!sources && initialToken === undefined)) {
      throw new TypeError('TokenSource: pass only one of tokenUrl, getToken or token');
    }
    if (refreshMargin !== undefined && !(refreshMargin >= 0)) {
      throw new TypeError('TokenSource: refreshMargin is seconds, >= 0');
    }
    const refreshable = tokenUrl !== undefined || getGrant !== undefined;
    const from = `Token from ${tokenUrl ?? 'getToken()'}`;
    const { subscribe, emit } = listeners();
    let state: TokenState = {
      ...NO_TOKEN,
      status: 'loading',
      error: null,
      principal: null,
      baseUrl: null,
      refreshCount: 0,
    };
    let inflight: Promise<string> | null = null;
    /** Set by a 401/403 from the token route: no request until refresh() is called explicitly. */
    let blocked: TinybirdError | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backgroundFailures = 0;
    /**
     * Failed rounds in a row, and until when getToken() answers with the last failure instead of trying again (1-2 s,
     * doubling up to 5-10 s); later rounds make one attempt. Twenty widgets polling a dead route each second would
     * otherwise keep it busy several times a second from every open tab. The cap bounds how long a page stays blank
     * after the route is back; refresh() (a Retry button) always tries at once.
     */
    const cooling = cooldown(2_000, 10_000);
    /** When the last token request started (requests start at least 1 s apart: see fetchWithRetry). */
    let requestedAt = -Infinity;
    /** Set while armed (see the class comment): unsubscribes from page events. */
    let unlisten: (() => void) | undefined;
    /**
     * When the timer fetches next (local time, Infinity for never): `refreshMargin` before the token expires, or after
     * a round that failed and left no token, once the cooldown is over (pages heal by themselves).
     */
    let dueAt = Infinity;
    /** When getToken() stops handing the token out: a few seconds before expiry, so no request carries an expiring one. */
    let staleAt = Infinity;
    /** Tokens stored so far: every one after the first replaced an earlier one (see refreshCount). */
    let stores = 0;
    let lifecycle = new AbortController();

    const set = (patch: Partial<TokenState>) => {
      state = { ...state, ...patch };
      emit();
    };

    const usable = () => state.token !== null && Date.now() < staleAt;

    /** Runs the timer at `at` (Infinity: never); nothing while disarmed. */
    const schedule = (at: number) => {
      clearTimeout(timer);
      const refreshAt = unlisten && at < Infinity ? at : null;
      // setTimeout overflows past 2^31-1 ms and would fire at once.
      if (refreshAt !== null)
        timer = setTimeout(() => onTimer(refreshAt), Math.min(refreshAt - Date.now(), 2 ** 31 - 1));
      if (state.refreshAt !== refreshAt) set({ refreshAt });
    };

    const onTimer = (at: number) => {
      if (Date.now() < at) return schedule(at); // woke early after a clamped (very long) delay
      fetchToken().catch(() => {
        if (!unlisten || !usable()) return; // (a signed-out round leaves no token)
        // Keep trying in the background while the old token still works, spaced out, never past its expiry.
        const wait = backoffDelay(backgroundFailures++, 1_000, 30_000);
        schedule(Math.min(Date.now() + wait, staleAt));
      });
    };

    // Background tabs throttle timers for minutes: on return, refresh at once if the scheduled time has passed. A user
    // coming back, or the network coming back, is also the moment to retry a failed token route without waiting; the
    // fetch starts before react-query's own reconnect or focus refetch asks for a token, so that refetch waits for it.
    const onPage = (event: string) => {
      if (
        (event === 'online' || event === 'visible') &&
        refreshable &&
        !blocked &&
        (state.status === 'error' || Date.now() >= dueAt)
      )
        fetchToken().catch(noop);
    };

    const arm = () => {
      if (unlisten) return;
      lifecycle = new AbortController();
      unlisten = onPageEvent(onPage);
      schedule(dueAt);
    };

    const fetchToken = () =>
      (inflight ??= fetchWithRetry().finally(() => {
        inflight = null;
      }));

    const fetchWithRetry = async (): Promise<string> => {
      if (!usable()) set({ status: 'loading' });
      const { signal } = lifecycle;
      let last: TinybirdError | undefined;
      try {
        return await retry(
          async () => {
            // Token requests start at least 1 s apart, whatever asks (a round's attempts, the refresh timer, a page
            // event, a Retry button): a route that is down never sees a burst from one page.
            const gap = requestedAt + 1_000 - Date.now();
            if (gap > 0) await sleep(gap, signal);
            const started = (requestedAt = Date.now());
            try {
              return store(await request(), started, true);
            } catch (cause) {
              throw (last = cause instanceof TinybirdError ? cause : failure('TOKEN_FETCH_FAILED', from, cause));
            }
          },
          // The first round after a success makes 3 attempts (bounded: a dead route never becomes a hot loop); later
          // ones one each, a cooldown apart (failures() counts failed rounds: it stays put during one).
          (error, attempt) =>
            (error as TinybirdError).code === 'TOKEN_FETCH_FAILED' && attempt < 2 && !cooling.failures()
              ? backoffDelay(attempt, 250, 4_000)
              : undefined,
          signal,
        );
      } catch (caught) {
        // Disposed while waiting (ABORTED): what the route last answered is the news.
        const error = last ?? (caught as TinybirdError);
        if (error.code === 'UNAUTHENTICATED') blocked = error;
        if (error.code === 'TOKEN_FETCH_FAILED') cooling.fail();
        // A failed refresh does not take away a token that still works; being signed out does.
        if (!blocked && usable()) set({ status: 'ready', error });
        else {
          // Only a failed request is worth another round (a refreshable source that is not signed out is what makes one).
          dueAt = error.code === 'TOKEN_FETCH_FAILED' ? cooling.until() : Infinity;
          set({ ...NO_TOKEN, status: 'error', error, principal: blocked ? null : state.principal });
          schedule(dueAt);
        }
        throw error;
      }
    };

    // Anything thrown here that is not a TinybirdError (network failure, a throwing getToken) becomes TOKEN_FETCH_FAILED.
    const request = async (): Promise<string | object> => {
      if (getGrant) return getGrant();
      const headers = new Headers(tokenRequest?.headers);
      if (!headers.has('accept')) headers.set('accept', 'application/json, text/plain');
      const response = await resolveFetch(options.fetch)(tokenUrl!, { ...tokenRequest, headers });
      const { status } = response;
      if (!response.ok)
        throw await errorFromResponse(
          response,
          from,
          status === 401 || status === 403 ? 'UNAUTHENTICATED' : 'TOKEN_FETCH_FAILED',
        );
      return parseGrant(await response.text());
    };

    /**
     * Makes a grant the current token. `requestedAt`: local time it was asked for, a lower bound of when it was signed
     * (none for a fixed token); `fetched`: asked for from the route or getToken() just now.
     */
    const store = (grant: string | object, requestedAt?: number, fetched?: boolean): string => {
      const receivedAt = Date.now();
      const {
        token,
        expiresAt: declared,
        baseUrl,
      } = (typeof grant === 'string' ? { token: grant.trim() } : grant) as Partial<TokenGrant>;
      if (typeof token !== 'string' || !token) throw invalid('Got no token');
      // Infinity while nothing bounds the token's life (a static token without expiresAt).
      let serverExpiry = declared === undefined ? Infinity : toEpochMs(declared);
      if (Number.isNaN(serverExpiry)) throw invalid(`expiresAt ${String(declared)} is not a date`);
      const claims = decodeClaims(token);
      const iat = claims?.iat;
      // Local clock minus server clock, from `iat` (measured from when we asked: a slow route must not read as skew
      // and stretch expiry). A fetched token was signed just now, so the whole difference is skew. A server-rendered
      // token may be minutes old: its age would look like skew and push expiry too late, so only a clock running
      // behind (which can only make us refresh earlier) is trusted there. A fixed token's iat says nothing.
      let offset = typeof iat === 'number' && requestedAt !== undefined ? requestedAt - iat * 1000 : 0;
      // iat has one-second resolution and the route takes time: offsets under 5 s are noise, not skew.
      if (Math.abs(offset) < 5_000 || (!fetched && offset > 0)) offset = 0;
      // The JWT's own exp is what Tinybird enforces: a route's expiresAt may only make it earlier, never later.
      if (claims) serverExpiry = Math.min(serverExpiry, claims.exp * 1000);
      const expiresAt = serverExpiry + offset;
      if (expiresAt <= receivedAt) throw invalid(`The token expired at ${new Date(expiresAt).toISOString()}`);
      // The lifetime the backend chose (exp - iat) sets the margin; what is left of it bounds the margin.
      const remaining = expiresAt - receivedAt;
      const lifetime =
        typeof iat === 'number' ? Math.min(Math.max(serverExpiry - iat * 1000, 0), remaining * 2) : remaining;
      // Never refresh before half the lifetime: a short token with a long margin must not turn into a refresh loop.
      // (Without an expiry the margin is never used.)
      const margin = Math.min(
        refreshMargin !== undefined ? refreshMargin * 1000 : Math.min(60_000, lifetime * 0.1),
        lifetime / 2,
        remaining / 2,
      );
      dueAt = refreshable ? expiresAt - margin : Infinity;
      staleAt = expiresAt - Math.min(5_000, margin / 2);
      backgroundFailures = 0;
      cooling.reset();
      set({
        token,
        status: 'ready',
        error: null,
        expiresAt: expiresAt < Infinity ? expiresAt : null,
        claims,
        principal: principalOf(token, claims),
        baseUrl: baseUrl ?? state.baseUrl,
        // Counted per fetch, not per distinct string: a backend signing twice in one second returns the same JWT. Only
        // the first token stored can be an initial or a fixed one.
        refreshCount: stores++,
      });
      schedule(dueAt);
      return token;
    };

    const getToken = async (): Promise<string> => {
      arm();
      if (blocked) throw blocked;
      if (usable()) return state.token!;
      if (!refreshable) throw state.error ?? invalid('The fixed token expired; pass tokenUrl or getToken');
      // A token already on its way is waited for, never answered with the last failure: a refetch started by the same
      // page event that started the fetch must not flash that failure. (The cooldown follows a failed round, whose
      // error is kept until a token is stored.)
      if (!inflight && Date.now() < cooling.until()) throw state.error!;
      return fetchToken();
    };

    Object.assign<TokenSource, Members<TokenSource>>(this, {
      refreshable,
      getToken,
      refresh() {
        arm();
        blocked = null;
        return refreshable ? fetchToken() : getToken();
      },
      getState: () => state,
      subscribe(listener) {
        arm();
        return subscribe(listener);
      },
      dispose() {
        lifecycle.abort();
        unlisten?.();
        unlisten = undefined;
        schedule(Infinity);
      },
    });

    // No timers here: a constructor may run twice under StrictMode and the spare instance is never disposed.
    const initial = fixed ?? initialToken;
    if (initial !== undefined) {
      try {
        store(initial, fixed === undefined ? Date.now() : undefined);
      } catch (error) {
        // A stale server-rendered token is not an error when we can fetch a new one.
        if (!refreshable) set({ status: 'error', error: error as TinybirdError });
      }
    }
  }
}
