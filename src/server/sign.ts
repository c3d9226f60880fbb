import { SignJWT } from 'jose';
import { invalidSigningKey, readAdminToken } from './admin-token';
import { TinybirdConfigError } from './errors';
import { parseDuration } from './duration';
import { normalizeScopes } from './scopes';
import type { GrantScope } from './grant-scope';
import { secondsOrMs } from '../core/internal/epoch';

/**
 * Per-token limits Tinybird enforces.
 *
 * @example
 * ```ts
 * const limits: TinybirdJWTLimits = { rps: 10 }; // 10 requests per second for this token's name
 * ```
 */
export interface TinybirdJWTLimits {
  /** Requests per second for this token's `name` (Tinybird's rate-limit key). */
  rps?: number;
}

/**
 * Options of {@link createTinybirdJWT}.
 *
 * @example
 * ```ts
 * const options: CreateTinybirdJWTOptions = {
 *   signingKey: process.env.TINYBIRD_ADMIN_TOKEN!,
 *   name: 'dashboard',
 *   expiresIn: '15m',
 *   scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
 * };
 * ```
 */
export interface CreateTinybirdJWTOptions {
  /** The workspace admin token (`p.…`). Tinybird verifies JWTs with it, so it is the HMAC secret. Server-only. */
  signingKey: string;
  /** Defaults to the admin token's `u` claim. */
  workspaceId?: string;
  /** Shows in Tinybird's logs and is the rate-limit key: e.g. `user_${userId}`. */
  name: string;
  /** Lifetime: seconds, or '30s', '10m', '1h', '1d'. Default '10m'. Exclusive with `expiresAt`. */
  expiresIn?: number | string;
  /** Absolute expiry: a Date, unix seconds (below 1e11) or epoch milliseconds. Exclusive with `expiresIn`. */
  expiresAt?: Date | number;
  /** What the token may do. With generated types, only the project's pipes, data sources and params compile. */
  scopes: readonly GrantScope[];
  limits?: TinybirdJWTLimits;
  /** Longest lifetime accepted, as a guard against typos ('10h' for '10m'). Default '24h'. */
  maxLifetime?: number | string;
}

/** The lifetime of a token when none is given: long enough to outlast a page view's refresh margin, short if leaked. */
export const DEFAULT_EXPIRES_IN = '10m';
const DEFAULT_MAX_LIFETIME = '24h';

/**
 * Signs a short-lived Tinybird JWT (HS256, secret = the workspace admin token) that a browser can use to call
 * Tinybird directly. Runs on your server only. Validates every option and throws a TinybirdConfigError that says what to fix.
 *
 * The token carries `workspace_id`, `name`, `scopes`, optional `limits`, an integer `exp` and `iat`
 * (clients use `iat` to correct for a clock that differs from the server's).
 *
 * @example
 * ```ts
 * import { createTinybirdJWT } from 'react-tinybird/server';
 *
 * const token = await createTinybirdJWT({
 *   signingKey: process.env.TINYBIRD_ADMIN_TOKEN!,
 *   name: `user_${user.id}`,
 *   expiresIn: '10m',
 *   scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: user.id } }],
 *   limits: { rps: 10 },
 * });
 * ```
 */
export async function createTinybirdJWT(options: CreateTinybirdJWTOptions): Promise<string> {
  const { token } = await signTinybirdJWT(options);
  return token;
}

/** {@link createTinybirdJWT} plus the `exp` it signed, for callers that report the expiry. */
export async function signTinybirdJWT(options: CreateTinybirdJWTOptions): Promise<{ token: string; exp: number }> {
  if (options === null || typeof options !== 'object') {
    throw new TinybirdConfigError('INVALID_OPTION', 'createTinybirdJWT expects an options object.');
  }
  const { signingKey, name, limits } = options;
  const workspaceId = resolveWorkspaceId(signingKey, options.workspaceId);
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TinybirdConfigError(
      'INVALID_OPTION',
      '`name` is required (Tinybird logs it and rate-limits by it), e.g. `user_${userId}`.',
    );
  }
  const scopes = normalizeScopes(options.scopes);
  const { iat, exp } = lifetime(options);

  const payload: Record<string, unknown> = { workspace_id: workspaceId, name, scopes };
  if (limits !== undefined) payload['limits'] = normalizeLimits(limits);

  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(signingKey.trim()));
  return { token, exp };
}

function resolveWorkspaceId(signingKey: unknown, workspaceId: string | undefined): string {
  if (typeof signingKey !== 'string' || signingKey.trim() === '') invalidSigningKey('`signingKey` is missing');
  if (workspaceId === undefined) return readAdminToken(signingKey).workspaceId;
  if (!signingKey.trim().startsWith('p.')) invalidSigningKey('`signingKey` is not a Tinybird static token');
  if (typeof workspaceId !== 'string' || workspaceId.trim() === '') {
    throw new TinybirdConfigError(
      'INVALID_OPTION',
      '`workspaceId` must be a non-empty string (or leave it out to read it from the admin token).',
    );
  }
  return workspaceId;
}

function lifetime(options: CreateTinybirdJWTOptions): { iat: number; exp: number } {
  const { expiresIn, expiresAt } = options;
  if (expiresIn !== undefined && expiresAt !== undefined) {
    throw new TinybirdConfigError('INVALID_LIFETIME', 'pass `expiresIn` or `expiresAt`, not both.');
  }
  const now = Date.now() / 1000;
  const iat = Math.floor(now);
  const maxSeconds = parseDuration(options.maxLifetime ?? DEFAULT_MAX_LIFETIME, 'maxLifetime');
  if (!(maxSeconds > 0)) throw new TinybirdConfigError('INVALID_LIFETIME', '`maxLifetime` must be positive.');
  let exp: number;
  if (expiresAt !== undefined) {
    const ms =
      expiresAt instanceof Date ? expiresAt.getTime() : typeof expiresAt === 'number' ? secondsOrMs(expiresAt) : NaN;
    if (!Number.isFinite(ms))
      throw new TinybirdConfigError(
        'INVALID_LIFETIME',
        '`expiresAt` must be a valid Date, unix seconds or epoch milliseconds.',
      );
    exp = Math.floor(ms / 1000);
  } else {
    // Rounded up so a lifetime under a second still yields exp > iat rather than an already-expired token.
    exp = iat + Math.ceil(parseDuration(expiresIn ?? DEFAULT_EXPIRES_IN, 'expiresIn'));
  }
  const seconds = exp - now;
  if (!(seconds > 0)) {
    throw new TinybirdConfigError(
      'INVALID_LIFETIME',
      'the token lifetime must be positive (`expiresIn` > 0, `expiresAt` in the future).',
    );
  }
  if (seconds > maxSeconds) {
    throw new TinybirdConfigError(
      'INVALID_LIFETIME',
      `the token lifetime (${Math.round(seconds)} s) exceeds \`maxLifetime\` (${maxSeconds} s). Use a shorter lifetime; clients refresh tokens before they expire.`,
    );
  }
  return { iat, exp };
}

function normalizeLimits(limits: TinybirdJWTLimits): TinybirdJWTLimits {
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new TinybirdConfigError('INVALID_OPTION', '`limits` must be an object like { rps: 10 }.');
  }
  if (limits.rps === undefined) return {};
  if (!Number.isInteger(limits.rps) || limits.rps <= 0) {
    throw new TinybirdConfigError(
      'INVALID_OPTION',
      '`limits.rps` must be a positive integer (leave `limits` out for no limit).',
    );
  }
  return { rps: limits.rps };
}
