/**
 * The JSON in one base64url segment of a token (a JWT payload, a Tinybird `p.` token's claims). Padded standard base64
 * is accepted too: tokens have been seen in both shapes. Throws on bad base64, bad UTF-8 or bad JSON; nothing is verified.
 */
export function decodeJsonSegment(segment: string): unknown {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}
