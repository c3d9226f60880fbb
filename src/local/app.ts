// The Tinybird HTTP API as Hono routes: pipes, Query API, Events API, token minting, Tinybird Local's /tokens.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createTinybirdJWT } from '../server/sign';
import type { TinybirdScope } from '../server/scopes';
import type { Auth, Principal } from './auth';
import type { Project } from './datafiles';
import { PIPE_FORMATS, type Engine, type QueryOutput } from './engine';
import { DOC, HttpError } from './http-error';
import { TemplateError, templateParameters } from './template';
import type { Workspace } from './workspace';

export interface AppContext {
  engine: Engine;
  auth: Auth;
  workspace: Workspace;
  project: Project;
  /** Requests per second the Events API takes per data source. */
  eventsRps: number;
  log: (message: string) => void;
}

/** What POST /v0/pipes/<name>/copy answers under `job`, and GET /v0/jobs/<id> answers. */
interface CopyJob {
  kind: 'copy';
  id: string;
  job_id: string;
  status: 'done';
  pipe_name: string;
  datasource: { name: string };
  mode: 'append' | 'replace';
  rows_written: number;
  created_at: string;
  updated_at: string;
  job_url: string;
}

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

const EVENTS_MAX_BYTES = 10 * 1024 * 1024;
const BODY_MAX_BYTES = 10 * 1024 * 1024;

/** `?token=` wins over the Authorization header, as on Tinybird. */
function tokenOf(c: Context): string | undefined {
  const query = c.req.query('token');
  if (query !== undefined) return query;
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

function output(c: Context, out: QueryOutput, headers: Record<string, string>, status: 200 | 202 = 200): Response {
  return c.body(out.body, status, { 'Content-Type': out.contentType, ...headers });
}

async function bodyObject(c: Context, documentation: string): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(await c.req.text()));
  }
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON: send an object of parameters', documentation);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'The request body must be a JSON object of parameters', documentation);
  }
  return value as Record<string, unknown>;
}

export function createApp(ctx: AppContext): Hono {
  const { engine, auth, workspace, project } = ctx;
  const app = new Hono();
  const limit = bodyLimit({
    maxSize: BODY_MAX_BYTES,
    onError: (c) => c.json({ error: 'The request body is larger than 10 MB', documentation: DOC.limits }, 413),
  });

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

  /** Refuses every token but the admin token: `what` needs it. */
  const requireAdmin = async (c: Context, what: string, documentation: string) => {
    const principal = await auth.authenticate(tokenOf(c));
    if (principal.kind !== 'admin') throw new HttpError(403, `${what} needs the admin token`, documentation);
  };

  app.get('/v0/tokens', async (c) => {
    await requireAdmin(c, 'Listing tokens', DOC.tokens);
    return c.json({
      tokens: [
        { name: 'admin token', token: workspace.adminToken, scopes: [{ type: 'ADMIN' }] },
        ...auth.staticTokens(),
      ],
    });
  });

  const mint = async (c: Context) => {
    await requireAdmin(c, 'Creating tokens', DOC.tokens);
    const raw = c.req.query('expiration_time');
    if (raw === undefined)
      throw new HttpError(
        400,
        'expiration_time is required: this server creates JWTs (POST /v0/tokens/?expiration_time=<unix seconds>)',
        DOC.tokens,
      );
    const exp = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(exp))
      throw new HttpError(400, 'expiration_time must be a unix timestamp in seconds', DOC.tokens);
    if (exp <= Date.now() / 1000) throw new HttpError(400, 'expiration_time must be in the future', DOC.tokens);
    const body = await bodyObject(c, DOC.tokens);
    const scopes = Array.isArray(body['scopes']) ? (body['scopes'] as TinybirdScope[]) : [];
    for (const scope of scopes) {
      const exists =
        scope?.type === 'PIPES:READ' ? project.pipes.has(scope.resource) : project.datasources.has(scope?.resource);
      if (scope && typeof scope === 'object' && typeof scope.resource === 'string' && !exists) {
        throw new HttpError(400, `Resource '${scope.resource}' not found for scope ${scope.type}`, DOC.tokens);
      }
    }
    try {
      const token = await createTinybirdJWT({
        signingKey: workspace.adminToken,
        workspaceId: workspace.id,
        name: body['name'] as string,
        expiresAt: exp,
        scopes,
        ...(body['limits'] !== undefined && { limits: body['limits'] as { rps?: number } }),
        maxLifetime: '36500d',
      });
      return c.json({ token });
    } catch (error) {
      if (error instanceof TypeError)
        throw new HttpError(400, error.message.replace(/^react-tinybird\/server: /, ''), DOC.tokens);
      throw error;
    }
  };
  app.post('/v0/tokens', limit, mint);
  app.post('/v0/tokens/', limit, mint);

  app.get('/v0/pipes', async (c) => {
    const principal = await auth.authenticate(tokenOf(c));
    const pipes = [...project.pipes.values()].filter((p) => p.endpoint !== undefined && canRead(principal, p.name));
    return c.json({
      pipes: pipes.map((p) => ({
        name: p.name,
        description: p.description ?? null,
        endpoint: `/v0/pipes/${p.name}.json`,
        params: p.nodes
          .flatMap((n) => templateParameters(n.sql))
          .filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i),
      })),
    });
  });

  const canRead = (principal: Principal, pipe: string) => {
    try {
      auth.pipeAccess(principal, pipe);
      return true;
    } catch {
      return false;
    }
  };

  app.on(['GET', 'POST'], '/v0/pipes/:file', limit, async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const name = dot === -1 ? file : file.slice(0, dot);
    const format = dot === -1 ? '' : file.slice(dot + 1);
    const principal = await auth.authenticate(tokenOf(c));
    const pipe = project.pipes.get(name);
    if (!pipe || pipe.endpoint === undefined) throw new HttpError(404, `Pipe '${name}' not found`, DOC.pipes);
    if (PIPE_FORMATS[format] === undefined) {
      throw new HttpError(
        400,
        `Unknown format '${format}': request /v0/pipes/${name}.json, .csv or .ndjson`,
        DOC.pipes,
      );
    }
    const fixed = auth.pipeAccess(principal, name);
    const headers = auth.rateLimit(principal, name);
    const params: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(c.req.queries())) {
      if (key !== 'token' && key !== 'q') params[key] = values.length === 1 ? values[0] : values;
    }
    let q = c.req.query('q');
    if (c.req.method === 'POST') {
      const body = await bodyObject(c, DOC.pipes);
      for (const [key, value] of Object.entries(body)) if (key !== 'token' && key !== 'q') params[key] = value;
      if (typeof body['q'] === 'string') q = body['q'];
    }
    delete params['format'];
    // fixed_params always win: whatever the request sent for them is replaced.
    Object.assign(params, fixed);
    return output(c, await engine.pipe(pipe, params, format, q), headers);
  });

  // Copy pipes run on demand here (and on their COPY_SCHEDULE in the server). A job runs to its end before the answer,
  // so it is `done` (or an error) at once; GET /v0/jobs/<id> answers the same for clients that poll.
  const jobs = new Map<string, CopyJob>();
  app.post('/v0/pipes/:name/copy', async (c) => {
    await requireAdmin(c, 'Running a copy pipe', DOC.pipes);
    const name = c.req.param('name');
    const pipe = project.pipes.get(name);
    if (!pipe) throw new HttpError(404, `Pipe '${name}' not found`, DOC.pipes);
    if (!pipe.copy) throw new HttpError(400, `Pipe '${name}' is not a copy pipe (it has no TYPE copy node)`, DOC.pipes);
    const params: Record<string, unknown> = Object.fromEntries(
      Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
    );
    const mode = params['_mode'] ?? pipe.copy.mode;
    if (mode !== 'append' && mode !== 'replace')
      throw new HttpError(400, `_mode is append or replace, got "${String(mode)}"`, DOC.pipes);
    for (const key of ['token', '_mode']) delete params[key];
    const started = new Date().toISOString();
    const written = await engine.copy(pipe, params, mode);
    const id = randomUUID();
    const job: CopyJob = {
      kind: 'copy',
      id,
      job_id: id,
      status: 'done',
      pipe_name: name,
      datasource: { name: pipe.copy.datasource },
      mode,
      rows_written: written,
      created_at: started,
      updated_at: new Date().toISOString(),
      job_url: `${new URL(c.req.url).origin}/v0/jobs/${id}`,
    };
    jobs.set(id, job);
    if (jobs.size > 100) jobs.delete(jobs.keys().next().value!);
    return c.json({ name, type: 'copy', job });
  });
  app.get('/v0/jobs/:id', async (c) => {
    await requireAdmin(c, 'Reading jobs', DOC.pipes);
    const job = jobs.get(c.req.param('id'));
    if (!job)
      throw new HttpError(
        404,
        `Job '${c.req.param('id')}' not found (the local server keeps the last 100 until it restarts)`,
        DOC.pipes,
      );
    return c.json(job);
  });

  // Data sources come from the datafiles: listing and emptying them is what the local server offers of this API.
  app.get('/v0/datasources', async (c) => {
    await requireAdmin(c, 'Listing data sources', DOC.datasources);
    return c.json({
      datasources: [...project.datasources.values()].map((ds) => ({
        name: ds.name,
        description: ds.description ?? null,
        columns: ds.columns.map((column) => ({ name: column.name, type: column.type })),
        engine: ds.engine,
      })),
    });
  });
  app.post('/v0/datasources/:name/truncate', async (c) => {
    await requireAdmin(c, 'Truncating a data source', DOC.datasources);
    const name = c.req.param('name');
    // `<name>_quarantine` empties the quarantine only, as on Tinybird.
    const owner =
      name.endsWith('_quarantine') && !project.datasources.has(name) ? name.slice(0, -'_quarantine'.length) : name;
    if (!project.datasources.has(owner)) throw new HttpError(404, `Data Source '${name}' not found`, DOC.datasources);
    await engine.truncate(name);
    return c.body(null, 205);
  });

  app.on(['GET', 'POST'], '/v0/sql', limit, async (c) => {
    const principal = await auth.authenticate(tokenOf(c));
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

  app.post(
    '/v0/events',
    bodyLimit({
      maxSize: EVENTS_MAX_BYTES,
      onError: (c) =>
        c.json(
          { error: 'The request body is larger than 10 MB: split it into smaller requests', documentation: DOC.events },
          413,
        ),
    }),
    async (c) => {
      const principal = await auth.authenticate(tokenOf(c));
      const name = c.req.query('name');
      if (!name)
        throw new HttpError(400, 'The name parameter is required: POST /v0/events?name=<data source>', DOC.events);
      const ds = project.datasources.get(name);
      if (!ds) throw new HttpError(404, `Data Source '${name}' not found`, DOC.events);
      auth.canAppend(principal, name);
      const headers = {
        ...auth.take(`events\u0000${name}`, ctx.eventsRps, `the Events API on ${name}`),
        ...auth.rateLimit(principal, name),
      };
      const body = await c.req.text();
      if (body.trim() === '')
        throw new HttpError(400, 'The request body is empty: send one JSON object per line (NDJSON)', DOC.events);
      const result = await engine.append(ds, body);
      return c.json(result, c.req.query('wait') === 'true' ? 200 : 202, headers);
    },
  );

  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json({ error: error.message, documentation: error.documentation }, error.status as 400, error.headers);
    }
    if (error instanceof TemplateError)
      return c.json({ error: error.message, documentation: DOC.pipes }, error.status as 400);
    ctx.log(`Internal error on ${c.req.method} ${c.req.path}: ${(error as Error).stack ?? String(error)}`);
    return c.json({ error: `Internal error: ${(error as Error).message}` }, 500);
  });

  return app;
}
