import { readAdminToken } from './admin-token';
import type { GrantScope } from './grant-scope';
import { parseDuration } from './duration';
import { TinybirdConfigError } from './errors';
import { DEFAULT_EXPIRES_IN, signTinybirdJWT, type TinybirdJWTLimits } from './sign';
import { DEFAULT_BASE_URL } from '../core/internal/http';

/**
 * What `authorize` grants to the caller of the token route.
 *
 * @example
 * ```ts
 * const grant: TokenHandlerGrant = {
 *   name: `org_${org.id}`,
 *   scopes: [{ type: 'PIPES:READ', resource: 'org_usage', fixed_params: { org_id: org.id } }],
 *   limits: { rps: 20 },
 *   expiresIn: '5m',
 * };
 * ```
 */
export interface TokenHandlerGrant {
  /** Tinybird's log and rate-limit key for this token, e.g. `user_${userId}`. */
  name: string;
  /** What the token may do. With generated types, only the project's pipes, data sources and params compile. */
  scopes: readonly GrantScope[];
  limits?: TinybirdJWTLimits;
  /** Overrides the handler's `expiresIn` for this grant. */
  expiresIn?: number | string;
}

/**
 * Options of {@link createTokenHandler}.
 *
 * @example
 * ```ts
 * const options: TokenHandlerOptions = {
 *   signingKey: process.env.TINYBIRD_ADMIN_TOKEN,
 *   authorize: async (request) => ((await getSession(request)) ? { name: 'app', scopes } : null),
 *   expiresIn: '10m',
 *   onError: (error) => logger.error(error),
 * };
 * ```
 */
export interface TokenHandlerOptions {
  /**
   * The workspace admin token (`p.…`). `undefined` is accepted so `process.env.TINYBIRD_ADMIN_TOKEN` can be passed
   * as is: route modules are often loaded at build time without secrets; a missing key fails each request with a 500.
   */
  signingKey: string | undefined;
  /**
   * Your session check. Return the grant, `null` to answer 401, or a `Response` to answer with it as is.
   * An error thrown here answers 500 and goes to `onError`.
   */
  authorize: (
    request: Request,
  ) => TokenHandlerGrant | Response | null | undefined | Promise<TokenHandlerGrant | Response | null | undefined>;
  /** Token lifetime: seconds or '30s', '10m', '1h'. Default '10m'. */
  expiresIn?: number | string;
  /** Longest lifetime a grant may ask for. Default '24h'. */
  maxLifetime?: number | string;
  /** Sent to the client with the token. Default: the admin token's `host`, else https://api.tinybird.co. */
  baseUrl?: string;
  /** Default: the admin token's `u` claim. */
  workspaceId?: string;
  /** Called with any error behind a 500 or 503. Default: console.error. The response body never carries it. */
  onError?: (error: unknown) => void;
  /**
   * How long `authorize` may take before the request is answered 503 (a session store that hangs must not hang every
   * page's token request with it): seconds or '10s'. Default '10s'.
   */
  authorizeTimeout?: number | string;
}

/**
 * The JSON body of a 200 from the token route: what `<TinybirdProvider tokenUrl>` reads.
 *
 * @example
 * ```ts
 * const { token, expiresAt, baseUrl }: TokenResponseBody = await (await fetch('/api/tinybird-token')).json();
 * ```
 */
export interface TokenResponseBody {
  token: string;
  /** The token's `exp`: unix seconds. */
  expiresAt: number;
  baseUrl: string;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Builds a token route for any Fetch-API server (Next.js route handlers, Hono, Remix, Bun, Deno...):
 * GET or POST -> `authorize(request)` -> `{ token, expiresAt, baseUrl }` with `Cache-Control: no-store`.
 * 401 when `authorize` returns null, 405 (with `Allow`) for other methods, 500 when signing or `authorize` fails.
 *
 * @example
 * ```ts
 * // app/api/tinybird-token/route.ts
 * import { createTokenHandler } from 'react-tinybird/server';
 *
 * const handler = createTokenHandler({
 *   signingKey: process.env.TINYBIRD_ADMIN_TOKEN,
 *   async authorize(request) {
 *     const user = await getSessionUser(request);
 *     if (!user) return null; // 401
 *     return {
 *       name: `user_${user.id}`,
 *       scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: user.id } }],
 *     };
 *   },
 * });
 * export { handler as GET, handler as POST };
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const { authorize, onError = defaultOnError } = options;
  if (typeof authorize !== 'function') {
    throw new TinybirdConfigError(
      'INVALID_OPTION',
      'createTokenHandler needs `authorize(request)`, your session check returning a grant or null.',
    );
  }
  const authorizeMs = parseDuration(options.authorizeTimeout ?? '10s', 'authorizeTimeout') * 1000;
  // A throwing onError must not turn a clean 500 into an unhandled rejection in the framework's request handler.
  const report = (error: unknown) => {
    try {
      onError(error);
    } catch (reportError) {
      defaultOnError(reportError);
    }
  };
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return json({ error: 'Method not allowed: use GET or POST.' }, 405, { Allow: 'GET, POST' });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((done) => {
      timer = setTimeout(() => done(TIMED_OUT), authorizeMs);
    });
    try {
      // new Promise(...) turns a synchronous throw of authorize into a rejection, so the timer is always cleared.
      const authorized = new Promise<Awaited<ReturnType<typeof authorize>>>((done) => done(authorize(request)));
      const grant = await Promise.race([authorized, timedOut]).finally(() => clearTimeout(timer));
      if (grant === TIMED_OUT) {
        report(new Error(`react-tinybird/server: authorize() did not settle within ${authorizeMs} ms`));
        return json({ error: 'The session check timed out: try again.' }, 503, { 'Retry-After': '1' });
      }
      if (grant instanceof Response) return grant;
      if (grant == null) return json({ error: 'Not authorized to get a Tinybird token.' }, 401);
      const signingKey = options.signingKey ?? '';
      const { token, exp } = await signTinybirdJWT({
        signingKey,
        ...(options.workspaceId !== undefined && { workspaceId: options.workspaceId }),
        name: grant.name,
        scopes: grant.scopes,
        ...(grant.limits !== undefined && { limits: grant.limits }),
        expiresIn: grant.expiresIn ?? options.expiresIn ?? DEFAULT_EXPIRES_IN,
        ...(options.maxLifetime !== undefined && { maxLifetime: options.maxLifetime }),
      });
      const body: TokenResponseBody = {
        token,
        expiresAt: exp,
        baseUrl: options.baseUrl ?? adminTokenBaseUrl(signingKey),
      };
      return json(body, 200);
    } catch (error) {
      report(error);
      return json({ error: 'Could not issue a Tinybird token.' }, 500);
    }
  };
}

function adminTokenBaseUrl(signingKey: string): string {
  try {
    return readAdminToken(signingKey).baseUrl ?? DEFAULT_BASE_URL;
  } catch {
    // A key without a readable `u` claim still signs when `workspaceId` is given.
    return DEFAULT_BASE_URL;
  }
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    // no-store: a token must never sit in a browser, proxy or CDN cache.
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

function defaultOnError(error: unknown): void {
  console.error('react-tinybird/server: the token route failed:', error);
}
