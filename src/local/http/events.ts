// The Events API: NDJSON appended to a data source, rows that fail its schema go to the quarantine.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { withHeldData } from './held-data';
import { authenticated } from './middleware';
import { bodyText } from './request';

const EVENTS_MAX_BYTES = 10 * 1024 * 1024;

export function eventRoutes({ engine, auth, project, eventsRps }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.post(
    '/events',
    bodyLimit({
      maxSize: EVENTS_MAX_BYTES,
      onError: (c) =>
        c.json(
          { error: 'The request body is larger than 10 MB: split it into smaller requests', documentation: DOC.events },
          413,
        ),
    }),
    authenticated(auth),
    async (c) => {
      const principal = c.get('principal');
      const name = c.req.query('name');
      if (!name)
        throw new HttpError(400, 'The name parameter is required: POST /v0/events?name=<data source>', DOC.events);
      const ds = project.datasources.get(name);
      if (!ds) throw new HttpError(404, `Data Source '${name}' not found`, DOC.events);
      auth.canAppend(principal, name);
      const headers = {
        ...auth.take(`events\u0000${name}`, eventsRps, `the Events API on ${name}`),
        ...auth.rateLimit(principal, name),
      };
      const body = await bodyText(c, DOC.events);
      if (body.trim() === '')
        throw new HttpError(400, 'The request body is empty: send one JSON object per line (NDJSON)', DOC.events);
      // Bounded with every other request's data (held-data.ts): past it, a 429.
      const result = await withHeldData(body.length, () => engine.append(ds, body));
      return c.json(result, c.req.query('wait') === 'true' ? 200 : 202, headers);
    },
  );

  return app;
}
