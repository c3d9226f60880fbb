// lib/tinybird.ts: server-only settings, and the one grant that the token route and the server-rendered page sign
import type { TokenHandlerGrant } from 'react-tinybird/server';

/** The workspace admin token: it signs the JWTs and never leaves the server. */
export const signingKey = process.env.TINYBIRD_ADMIN_TOKEN;

/** The API host the browser calls (`npm run dev` sets it to the local server). */
export const baseUrl = process.env.TINYBIRD_URL ?? 'https://api.tinybird.co';

/** What a signed-in user may read: every airline's totals, and their own bookings only. */
export function grantFor(userId: string): TokenHandlerGrant {
  return {
    name: `user_${userId}`, // Tinybird's log and rate-limit key
    scopes: [
      { type: 'PIPES:READ', resource: 'top_airlines' },
      { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: userId } }, // row-level security
    ],
    limits: { rps: 10 },
  };
}

// The token pins user_bookings's user_id, so the browser's calls leave it out: declared once, the generated types
// (tinybird-types.ts) let them. The grant above stays checked: a pin on a param the pipe does not read fails to compile.
declare module 'react-tinybird' {
  interface Register {
    pinned: { user_bookings: 'user_id' };
  }
}
