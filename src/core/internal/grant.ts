import { TinybirdError } from '../errors';
import { decodeJsonSegment } from './base64url';
import { secondsOrMs } from './epoch';

export const invalid = (message: string, cause?: unknown): TinybirdError =>
  new TinybirdError('INVALID_TOKEN', message, { cause });

/**
 * A token route may answer JSON `{token, expiresAt?, baseUrl?}` or the bare token as text, whatever its content type.
 * Unreadable JSON is a grant without a token: the token source refuses it as INVALID_TOKEN, like any grant without one.
 */
export function parseGrant(text: string): string | { token?: unknown } {
  const body = text.trim();
  if (!body.startsWith('{')) return body;
  try {
    return JSON.parse(body) as { token?: unknown };
  } catch {
    return {};
  }
}

/** Numbers are unix seconds or epoch ms (see secondsOrMs); strings and Dates are dates. NaN when unreadable. */
export const toEpochMs = (value: number | string | Date): number =>
  new Date(typeof value === 'number' ? secondsOrMs(value) : value).getTime();

/**
 * The claims of a JWT, NOT verified: Tinybird checks the signature; the browser only reads `exp` and `iat` to know when to
 * refresh. A few lines instead of jose's decodeJwt keep the client bundle small, with the same outcome: INVALID_TOKEN for
 * anything that is not a compact JWS whose payload is JSON with a numeric `exp`. Null for a static `p.` token, whose
 * scopes and life live on the server.
 */
export function decodeClaims(token: string): (Record<string, unknown> & { exp: number }) | null {
  if (token.startsWith('p.')) return null;
  const parts = token.split('.');
  let claims: { exp?: unknown } | null;
  try {
    // A compact JWS has three parts; anything else (a JWE has five) gets no payload and fails to parse.
    claims = decodeJsonSegment(parts.length === 3 ? parts[1]! : '') as { exp?: unknown } | null;
  } catch (cause) {
    throw invalid('The token is neither a JWT nor a static p. token', cause);
  }
  if (typeof claims?.exp !== 'number') throw invalid('The JWT has no numeric exp');
  return claims as Record<string, unknown> & { exp: number };
}
