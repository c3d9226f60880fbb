'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE, isDemoUser } from '@/lib/session';

/** Signs in as (or switches to) a demo user. Setting a cookie re-renders the current page on the server. */
export async function signIn(form: FormData): Promise<void> {
  const user = form.get('user');
  if (!isDemoUser(user)) throw new Error('Pick a demo user between u_0 and u_999.');
  (await cookies()).set(SESSION_COOKIE, user, { httpOnly: true, sameSite: 'lax', path: '/' });
  const next = form.get('next');
  // Only a path on this site: never an open redirect.
  if (typeof next === 'string' && /^\/(?![/\\])/.test(next)) redirect(next);
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/');
}
