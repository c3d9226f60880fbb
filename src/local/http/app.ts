// The Tinybird HTTP API as Hono routes, one sub-app per route family under /v0, plus Tinybird Local's /tokens.
import { Hono } from 'hono';
import { DOC, HttpError } from '../errors';
import { TemplateError } from '../template';
import type { AppContext } from './context';
import { copyJobRoutes, type JobStore } from './copy-jobs';
import { datasourceRoutes } from './datasources';
import { eventRoutes } from './events';
import { pipeRoutes } from './pipes';
import { serviceLogging } from './service-logging';
import { sqlRoutes } from './sql';
import { tokenRoutes } from './tokens';

export type { AppContext } from './context';

/** Tinybird's CORS headers, on every response. */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Requested-With, X-Tb-Warning',
  'Access-Control-Expose-Headers': 'X-Tb-Warning',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Max-Age': '86400',
};

/** A Host header naming this machine directly: localhost (or *.localhost), an IPv4 or a bracketed IPv6 address. */
const LOCAL_HOST = /^(?:(?:[\w-]+\.)*localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[\da-f:.]+\])(?::\d+)?$/i;

export function createApp(ctx: AppContext): Hono {
  const { workspace } = ctx;
  const app = new Hono();

  app.use('/v0/*', serviceLogging(ctx.engine));
  app.get('/v0/health', (c) => c.json({ status: 'ok' }));

  // Tinybird Local's token listing, for tools that expect it. Never to a browser page: it is the admin token.
  // A cross-site fetch carries an Origin; a DNS-rebound page is same-origin and sends none, but its Host is a name
  // the attacker controls, so the Host must be an address or a localhost name.
  app.get('/tokens', (c) => {
    if (c.req.header('origin') !== undefined || !LOCAL_HOST.test(c.req.header('host') ?? '')) {
      throw new HttpError(
        403,
        'GET /tokens answers only non-browser clients (curl, scripts) that call this machine localhost or by its IP address: it returns the admin token',
        DOC.tokens,
      );
    }
    return c.json({
      user_token: workspace.adminToken,
      admin_token: workspace.adminToken,
      workspace_admin_token: workspace.adminToken,
    });
  });

  app.route('/v0', tokenRoutes(ctx));
  app.route('/v0', pipeRoutes(ctx));
  const jobs: JobStore = new Map();
  app.route('/v0', copyJobRoutes(ctx, jobs));
  app.route('/v0', datasourceRoutes(ctx, jobs));
  app.route('/v0', sqlRoutes(ctx));
  app.route('/v0', eventRoutes(ctx));

  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json({ error: error.message, documentation: error.documentation }, error.status, error.headers);
    }
    if (error instanceof TemplateError) {
      // custom_error(): the pipe's own body, a JSON object or text written as it is (as Tinybird answers it).
      if (typeof error.body === 'string') return c.text(error.body, error.status);
      if (error.body !== undefined) return c.json(error.body, error.status);
      return c.json({ error: error.message, documentation: DOC.templates }, error.status);
    }
    ctx.log(`Internal error on ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? String(error)}`);
    // The caller gets no engine text: it is in the server's log.
    return c.json(
      { error: 'Internal error: the local server could not answer this request (its log has the details)' },
      500,
    );
  });

  return app;
}
