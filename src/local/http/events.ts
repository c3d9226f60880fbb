// The Events API: NDJSON appended to a data source, rows that fail its schema go to the quarantine.
import { getHeapStatistics } from 'node:v8';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DOC, HttpError } from '../errors';
import type { AppContext, LocalEnv } from './context';
import { authenticated } from './middleware';
import { bodyText } from './request';

const EVENTS_MAX_BYTES = 10 * 1024 * 1024;
/**
 * NDJSON characters the Events API may hold at once, waiting for the writer or being written, process-wide: a gzip
 * body inflates 500 times (50 MB from 100 KB), so forty small requests held 4 GB. Past it, a 429 the client retries;
 * a request alone is always taken. A quarter of the JavaScript heap at most.
 */
const EVENTS_PENDING_MAX = Math.min(256 * 1024 * 1024, getHeapStatistics().heap_size_limit / 4);
let pending = 0;

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
      if (pending > 0 && pending + body.length > EVENTS_PENDING_MAX)
        throw new HttpError(429, 'Too many events are waiting to be written: retry in a second', DOC.limits, {
          'Retry-After': '1',
        });
      pending += body.length;
      try {
        const result = await engine.append(ds, body);
        return c.json(result, c.req.query('wait') === 'true' ? 200 : 202, headers);
      } finally {
        pending -= body.length;
      }
    },
  );

  return app;
}
