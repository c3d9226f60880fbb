import { TinybirdError } from '../core/errors';
import type { TokenGrant } from '../core/token-source';

export function invalid(message: string, cause?: unknown): TinybirdError {
  return new TinybirdError('INVALID_TOKEN', message, { cause });
}

/** A token route may answer JSON `{token, expiresAt?, baseUrl?}` or the bare token as text, whatever its content type. */
export function parseGrant(text: string): string | TokenGrant {
  const body = text.trim();
  if (!body.startsWith('{')) return body;
  let grant: Partial<TokenGrant>;
  try {
    grant = JSON.parse(body) as Partial<TokenGrant>;
  } catch (cause) {
    throw invalid('The token route answered malformed JSON', cause);
  }
  if (typeof grant.token !== 'string') throw invalid('The token route answered JSON without a string `token` field');
  return grant as TokenGrant;
}

/** Numbers below 1e11 are unix seconds (JWT style), larger ones epoch ms. NaN when unreadable. */
export function toEpochMs(value: number | string | Date): number {
  return typeof value === 'number' && value < 1e11 ? value * 1000 : new Date(value).getTime();
}

/**
 * The claims of a JWT, NOT verified: Tinybird checks the signature; the browser only reads `exp` and `iat` to know when to
 * refresh. A few lines instead of jose keep the client bundle small. Throws on anything that is not a compact JWS whose
 * payload is a JSON object.
 */
export function decodeClaims(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TypeError(`expected 3 dot-separated parts, got ${parts.length}`);
  const binary = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'));
  const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError('the payload is not a JSON object');
  return claims as Record<string, unknown>;
}
