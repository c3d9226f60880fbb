import { decodeJsonSegment } from '../core/internal/base64url';
import { TinybirdConfigError } from './errors';

/**
 * What a Tinybird workspace admin token says about itself.
 *
 * @example
 * ```ts
 * const info: AdminTokenInfo = readAdminToken(process.env.TINYBIRD_ADMIN_TOKEN!);
 * // { workspaceId: '56e8abc3-…', host: 'gcp-europe-west2', baseUrl: 'https://api.europe-west2.gcp.tinybird.co' }
 * ```
 */
export interface AdminTokenInfo {
  /** The workspace id (the token's `u` claim): what a JWT's `workspace_id` must be. */
  workspaceId: string;
  /** The raw `host` claim: a region name such as `eu_shared` or `gcp-europe-west2`, or a URL. Absent on old tokens. */
  host?: string;
  /** The API base URL for `host`, when it is a URL or a known region; otherwise undefined. */
  baseUrl?: string;
}

// The `host` claim names a region, not a URL. Known names map to their API hosts; the two generic
// shapes (`gcp-<region>`, `aws-<region>`) follow Tinybird's host naming.
const REGION_HOSTS: Record<string, string> = {
  eu_shared: 'https://api.tinybird.co',
  us_east: 'https://api.us-east.tinybird.co',
  'us-east-aws': 'https://api.us-east.aws.tinybird.co',
  local: 'http://localhost:7181',
};

/** Maps a `host` claim to an API base URL, or undefined when it is not recognisable. */
function hostToBaseUrl(host: string): string | undefined {
  if (/^https?:\/\//.test(host)) return host.replace(/\/+$/, '');
  const known = REGION_HOSTS[host];
  if (known) return known;
  const cloud = /^(gcp|aws)-([a-z0-9-]+)$/.exec(host);
  return cloud ? `https://api.${cloud[2]}.${cloud[1]}.tinybird.co` : undefined;
}

const WHAT_TO_PASS =
  'pass your Tinybird workspace admin token (it starts with "p.", e.g. process.env.TINYBIRD_ADMIN_TOKEN)';

/** Throws the error that tells a caller which key to pass. Never echoes the key itself. */
export function invalidSigningKey(why: string, alternative = ''): never {
  throw new TinybirdConfigError('INVALID_SIGNING_KEY', `${why}; ${alternative}${WHAT_TO_PASS}.`);
}

/**
 * Reads the workspace id and API host from a Tinybird static token (`p.<base64url JSON>.<signature>`).
 * Nothing is verified: the token is only parsed. Throws a TinybirdConfigError when it is not a `p.` token with a `u` claim.
 *
 * @example
 * ```ts
 * import { readAdminToken } from 'react-tinybird/server';
 *
 * const { workspaceId, baseUrl } = readAdminToken(process.env.TINYBIRD_ADMIN_TOKEN!);
 * // workspaceId: '56e8abc3-…', baseUrl: 'https://api.tinybird.co'
 * ```
 */
export function readAdminToken(token: string): AdminTokenInfo {
  if (typeof token !== 'string' || token.trim() === '') invalidSigningKey('the signing key is empty');
  token = token.trim();
  if (!token.startsWith('p.')) {
    invalidSigningKey(
      token.startsWith('eyJ')
        ? 'the signing key looks like a JWT, not an admin token'
        : 'the signing key is not a Tinybird static token',
    );
  }
  const payload = decodeJsonPart(token.split('.')[1] ?? '');
  const workspaceId = payload?.['u'];
  if (typeof workspaceId !== 'string' || workspaceId === '') {
    invalidSigningKey('the signing key carries no workspace id (`u` claim)', 'pass `workspaceId` explicitly, or ');
  }
  const host = typeof payload?.['host'] === 'string' ? payload['host'] : undefined;
  const info: AdminTokenInfo = { workspaceId };
  if (host !== undefined) {
    info.host = host;
    const baseUrl = hostToBaseUrl(host);
    if (baseUrl !== undefined) info.baseUrl = baseUrl;
  }
  return info;
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const json = decodeJsonSegment(part);
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
