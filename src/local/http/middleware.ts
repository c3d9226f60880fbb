// Who is calling, checked once before a route runs: the principal of the token (`?token=` or Bearer), or a 403.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { DOC, HttpError } from '../errors';
import type { Auth } from './auth';
import type { LocalEnv } from './context';

const BODY_MAX_BYTES = 10 * 1024 * 1024;

/** `?token=` wins over the Authorization header, as on Tinybird. */
function tokenOf(c: Context): string | undefined {
  const query = c.req.query('token');
  if (query !== undefined) return query;
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** Sets `principal` from the request's token, or answers Tinybird's 403. */
export function authenticated(auth: Auth) {
  return createMiddleware<LocalEnv>(async (c, next) => {
    c.set('principal', await auth.authenticate(tokenOf(c)));
    await next();
  });
}

/** Refuses every token but the admin token: `what` needs it. */
export function adminOnly(auth: Auth, what: string, documentation: string) {
  return createMiddleware<LocalEnv>(async (c, next) => {
    const principal = await auth.authenticate(tokenOf(c));
    if (principal.kind !== 'admin') throw new HttpError(403, `${what} needs the admin token`, documentation);
    c.set('principal', principal);
    await next();
  });
}

/** Tinybird's 10 MB cap on a request body. */
export const bodyLimited = () =>
  bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: (c) => c.json({ error: 'The request body is larger than 10 MB', documentation: DOC.limits }, 413),
  });
