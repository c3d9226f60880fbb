// The Query API: one SELECT, limited to the data sources (and row filters) the token may read. A `q` starting with `%`
// is a template, rendered with the request's other parameters first, as on Tinybird.
import { Hono } from 'hono';
import { DOC, HttpError } from '../errors';
import { isTemplated, renderTemplate } from '../template';
import type { AppContext, LocalEnv } from './context';
import { authenticated, bodyLimited } from './middleware';
import { bodyObject, bodyText, output, queryCaller } from './request';

/** Parameters of the Query API itself, never template values. */
const RESERVED = new Set(['q', 'token', 'pipeline', 'from', 'output_format_json_quote_64bit_integers']);

export function sqlRoutes({ engine, auth }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();

  app.on(['GET', 'POST'], '/sql', bodyLimited(), authenticated(auth), async (c) => {
    const principal = c.get('principal');
    const params: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(c.req.queries())) params[key] = values.length === 1 ? values[0] : values;
    if (c.req.method === 'POST') {
      const type = c.req.header('content-type') ?? '';
      if (type.includes('json') || type.includes('x-www-form-urlencoded')) {
        for (const [key, value] of Object.entries(await bodyObject(c, DOC.sql))) params[key] = value;
      } else if (params['q'] === undefined) {
        params['q'] = await bodyText(c, DOC.sql);
      }
    }
    let q = typeof params['q'] === 'string' ? params['q'] : undefined;
    if (q === undefined || q.trim() === '')
      throw new HttpError(400, 'The q parameter is required: send a SELECT query', DOC.sql);
    const who = queryCaller(principal, params, DOC.sql);
    // Before rendering: a token's rps limit also bounds how many templates it can make the server render.
    const headers = auth.rateLimit(principal, 'sql');
    if (isTemplated(q)) {
      for (const key of RESERVED) delete params[key];
      // The caller wrote this template: it gets no secrets (tb_secret() would hand them the server's environment).
      // Its render is bounded (template/budget.ts): a fraction of a second at worst, then a 400.
      q = renderTemplate(q, params);
    }
    // The other parameters fill the templates of the pipes the query reads (`pipeline=<pipe>` makes `_` that pipe).
    const pipeline = typeof params['pipeline'] === 'string' ? params['pipeline'] : undefined;
    const pipeParams = Object.fromEntries(
      Object.entries(params).filter(([key]) => !['q', 'token', 'pipeline'].includes(key)),
    );
    const options = { ...who, params: pipeParams, ...(pipeline !== undefined && { pipeline }) };
    return output(c, await engine.sql(q, auth.readAccess(principal), options), headers);
  });

  return app;
}
