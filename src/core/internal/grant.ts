import { TinybirdError } from '../errors';
import type { TokenGrant } from '../token-source';

export function invalid(message: string, cause?: unknown): TinybirdError {
  return new TinybirdError('INVALID_TOKEN', message, { cause });
}

/** A token route may answer JSON `{token, expiresAt?, baseUrl?}` or the bare token as text, whatever its content type. */
export function parseGrant(text: string): string | TokenGrant {
  const body = text.trim();
  if (!body.startsWith('{')) return body;
  let grant: Partial<TokenGrant> | undefined;
  try {
    grant = JSON.parse(body) as Partial<TokenGrant>;
  } catch {
    // Reported below, together with JSON that lacks the field.
  }
  if (typeof grant?.token !== 'string') throw invalid('The token route answered JSON without a string `token`');
  return grant as TokenGrant;
}

/** Numbers below 1e11 are unix seconds (JWT style), larger ones epoch ms. NaN when unreadable. */
export function toEpochMs(value: number | string | Date): number {
  return typeof value === 'number' && value < 1e11 ? value * 1000 : new Date(value).getTime();
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
    const binary = parts.length === 3 ? atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/')) : '';
    claims = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
  } catch (cause) {
    throw invalid('The token is neither a JWT nor a static `p.` token', cause);
  }
  if (typeof claims?.exp !== 'number') throw invalid('The JWT has no numeric `exp` claim');
  return claims as Record<string, unknown> & { exp: number };
}
