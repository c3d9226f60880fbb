import { TinybirdError } from '../core/errors';
import type { TokenGrant } from '../core/token-source';

/** A token route may answer JSON `{token, expiresAt?, baseUrl?}` or the bare token as text, whatever its content type. */
export function parseGrant(text: string): string | TokenGrant {
  const body = text.trim();
  if (!body.startsWith('{')) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new TinybirdError('INVALID_TOKEN', 'The token route answered malformed JSON', { cause });
  }
  const grant = parsed as Partial<TokenGrant>;
  if (typeof grant.token !== 'string') {
    throw new TinybirdError('INVALID_TOKEN', 'The token route answered JSON without a string `token` field');
  }
  return grant as TokenGrant;
}

/** Numbers below 1e11 are unix seconds (JWT style), larger ones epoch ms. Null when unreadable. */
export function toEpochMs(value: number | string | Date): number | null {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
