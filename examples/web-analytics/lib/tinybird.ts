// lib/tinybird.ts: server-only settings, and the one grant that the token route and the page sign
import type { TokenHandlerGrant } from 'react-tinybird/server';
import { WIDGETS } from './widgets';

/** The workspace admin token: it signs the JWTs and never leaves the server. */
export const signingKey = process.env.TINYBIRD_ADMIN_TOKEN ?? '';

/** The API host the browser calls (`npm run dev` sets it to the local server). */
export const baseUrl = process.env.TINYBIRD_URL ?? 'https://api.tinybird.co';

/**
 * The tenant whose data this viewer may read, or null for a single-tenant site. A real app reads it from its own
 * session (the signed-in customer's account); this demo takes it from TENANT_ID.
 */
export async function getTenant(): Promise<string | null> {
  return process.env.TENANT_ID || null;
}

/** Read access to every widget's endpoint; in multi-tenant mode `fixed_params` pins `tenant_id`, whatever the browser sends. */
export function grantFor(tenant: string | null): TokenHandlerGrant {
  const fixed_params = tenant ? { tenant_id: tenant } : undefined;
  return {
    name: `dashboard_${tenant ?? 'site'}`,
    scopes: WIDGETS.map(({ pipe }) => ({ type: 'PIPES:READ' as const, resource: pipe, fixed_params })),
    limits: { rps: 20 },
  };
}
