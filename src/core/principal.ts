import { decodeClaims } from './internal/grant';

/**
 * Whose rows a token can see, as a short fingerprint fit for a cache key: two tokens with the same principal read the
 * same rows from every pipe, so their cached results may be shared; tokens of different principals never share one.
 *
 * For a JWT that is its workspace and its scopes, with their `fixed_params` and `filter` (name, limits and expiry do
 * not change the rows). A static token's scopes live on the server, so the token itself is what identifies it. Either
 * way the key holds a hash, never the token: 53 bits of a long token cannot give it back, and a JWT's claims are no
 * secret to the browser that holds it anyway.
 *
 * @example
 * ```ts
 * principalOf('p.eyJ1Ijo...', null); // 'p:1x2f9k3…'
 * ```
 */
export function principalOf(token: string, claims: Record<string, unknown> | null): string {
  if (!claims) return `p:${hash(token)}`;
  const scopes = Array.isArray(claims.scopes) ? claims.scopes.map(canonical).sort() : [];
  return `j:${hash(canonical([claims.workspace_id ?? null, scopes]))}`;
}

/** The principal of a token given alone (a static `p.` token, or a JWT whose claims are read here). */
export function tokenPrincipal(token: string): string {
  return principalOf(token, decodeClaims(token));
}

/** JSON with object keys sorted, so the same grant written in another order gives the same principal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

/**
 * A 53-bit string hash (two multiplicative lanes, as in cyrb53): tiny and synchronous, which a cache key computed during
 * render needs. Not a MAC: it only has to tell principals apart within one page's cache. cyrb53's final avalanche is
 * left out (its four 32-bit constants cost more bytes than the rest): a lane's high bits are where a multiply mixes,
 * so those of the second lane are kept.
 */
function hash(text: string): string {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 2654435761);
    b = Math.imul(b ^ code, 1597334677);
  }
  return (4294967296 * (b >>> 11) + (a >>> 0)).toString(36);
}

/** Every Tinybird query key ends with the principal whose rows it holds. */
export const principalOfKey = (queryKey: readonly unknown[]): unknown => queryKey[queryKey.length - 1];
