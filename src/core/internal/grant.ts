import { TinybirdError } from '../errors';
import { decodeJsonSegment } from './base64url';
import { secondsOrMs } from './epoch';

export function invalid(message: string, cause?: unknown): TinybirdError {
  return new TinybirdError('INVALID_TOKEN', message, { cause });
}

/**
 * A token route may answer JSON `{token, expiresAt?, baseUrl?}` or the bare token as text, whatever its content type.
 * Only `token` is checked here; the other fields are checked where the token source reads them.
 */
export function parseGrant(text: string): string | { token: string } {
  const body = text.trim();
  if (!body.startsWith('{')) return body;
  let grant: { token?: unknown } | undefined;
  try {
    grant = JSON.parse(body) as { token?: unknown };
  } catch {
    // Reported below, together with JSON that lacks the field.
  }
  if (typeof grant?.token !== 'string') throw invalid('The token route answered JSON without a string `token`');
  return grant as { token: string };
}

/** Numbers are unix seconds or epoch ms (see secondsOrMs); strings and Dates are dates. NaN when unreadable. */
export function toEpochMs(value: number | string | Date): number {
  return new Date(typeof value === 'number' ? secondsOrMs(value) : value).getTime();
}

/**
 * The claims of a JWT, NOT verified: Tinybird checks the signature; the browser only reads `exp` and `iat` to know when to
 * refresh. A few lines instead of jose's decodeJwt keep the client bundle small, with the same outcome: INVALID_TOKEN for
 * anything that is not a compact JWS whose payload is JSON with a numeric `exp`.
 */
export function decodeClaims(token: string): Record<string, unknown> & { exp: number } {
  const parts = token.split('.');
  let claims: { exp?: unknown } | null;
  try {
    // A compact JWS has three parts; anything else (a JWE has five) gets no payload and fails to parse.
    claims = decodeJsonSegment(parts.length === 3 ? parts[1]! : '') as { exp?: unknown } | null;
  } catch (cause) {
    throw invalid('The token is neither a JWT nor a static `p.` token', cause);
  }
  if (typeof claims?.exp !== 'number') throw invalid('The JWT has no numeric `exp` claim');
  return claims as Record<string, unknown> & { exp: number };
}
