// The Query API: one SELECT, limited to the data sources (and row filters) the token may read.
import { Hono } from 'hono';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { authenticated, bodyLimited } from './middleware';
import { bodyObject, output } from './request';

export function sqlRoutes({ engine, auth }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.on(['GET', 'POST'], '/sql', bodyLimited(), authenticated(auth), async (c) => {
    const principal = c.get('principal');
    let q = c.req.query('q');
    if (c.req.method === 'POST' && q === undefined) {
      const type = c.req.header('content-type') ?? '';
      if (type.includes('json') || type.includes('x-www-form-urlencoded')) {
        const value = (await bodyObject(c, DOC.sql))['q'];
        q = typeof value === 'string' ? value : undefined;
      } else {
        q = await c.req.text();
      }
    }
    if (q === undefined || q.trim() === '')
      throw new HttpError(400, 'The q parameter is required: send a SELECT query', DOC.sql);
    const headers = auth.rateLimit(principal, 'sql');
    return output(c, await engine.sql(q, auth.readAccess(principal)), headers);
  });

  return app;
}
