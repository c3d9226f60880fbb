// lib/session.ts: the demo's sign-in, a cookie naming one of the demo project's users (u_0 … u_999). Anyone can set
// such a cookie: a real app reads its own verified session here (Auth.js, Clerk, a signed cookie...), and nothing else
// in the app changes.
import { cookies } from 'next/headers';

export const SESSION_COOKIE = 'demo_session';

/** The demo project's users. */
export function isDemoUser(id: unknown): id is string {
  return typeof id === 'string' && /^u_(0|[1-9]\d{0,2})$/.test(id);
}

/** The signed-in user's id, or null. Reading cookies makes every page that calls this render per request. */
export async function getSessionUser(): Promise<string | null> {
  const id = (await cookies()).get(SESSION_COOKIE)?.value;
  return isDemoUser(id) ? id : null;
}
