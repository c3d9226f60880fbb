// The Pipe API: list the endpoints a token may read, and query one as JSON, CSV or NDJSON.
import { Hono } from 'hono';
import { PIPE_FORMATS } from '../engine/formats';
import { DOC, HttpError } from '../errors';
import { templateParameters } from '../template';
import type { Pipe } from '../project/datafiles';
import type { Principal } from './auth';
import { listedProblems } from './listed-problems';
import type { AppContext, LocalEnv } from './context';
import { authenticated, bodyLimited } from './middleware';
import { bodyObject, output, queryCaller } from './request';
import { paramsRead } from '../types-gen/unread-pins';

export function pipeRoutes({ engine, auth, project, log, refusedEdit }: AppContext): Hono<LocalEnv> {
  const app = new Hono<LocalEnv>();
  // A pin the pipe does not read is ignored, leaving every row readable: said once per token, pipe and keys. What
  // each pipe reads is worked out once per pipe (a reload brings new Pipe objects).
  const warned = new Set<string>();
  const reads = new WeakMap<Pipe, ReadonlySet<string> | undefined>();
  const checkPins = (principal: Principal, pipe: Pipe, fixed: Record<string, unknown>) => {
    const keys = Object.keys(fixed);
    if (principal.kind === 'admin' || keys.length === 0) return;
    if (!reads.has(pipe)) {
      const nodes = (p: Pipe) => p.nodes.slice(0, (p.endpoint ?? p.nodes.length - 1) + 1);
      const pipes = new Map([...project.pipes.values()].map((p) => [p.name, nodes(p)]));
      reads.set(pipe, paramsRead(pipe.file, nodes(pipe), pipes));
    }
    const read = reads.get(pipe);
    const unread = read ? keys.filter((key) => !read.has(key)) : [];
    const key = `${principal.name}\n${pipe.name}\n${unread.join(',')}`;
    if (unread.length === 0 || warned.has(key)) return;
    warned.add(key);
    log(
      `Token "${principal.name}" pins ${unread.join(', ')} on ${pipe.name}, which does not read ${unread.length > 1 ? 'them' : 'it'}: the pin has no effect, and every row ${pipe.name} returns is readable with it (${pipe.file})`,
    );
  };

  const canRead = (principal: Principal, pipe: string) => {
    try {
      auth.pipeAccess(principal, pipe);
      return true;
    } catch {
      return false;
    }
  };

  app.get('/pipes', authenticated(auth), (c) => {
    const principal = c.get('principal');
    const pipes = [...project.pipes.values()].filter((p) => p.endpoint !== undefined && canRead(principal, p.name));
    return c.json({
      pipes: pipes.map((p) => ({
        name: p.name,
        description: p.description ?? null,
        endpoint: `/v0/pipes/${p.name}.json`,
        params: p.nodes
          .flatMap((n) => listedParameters(n.sql))
          .filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i),
      })),
      // The pipes left out of the project, so a tool (or a person) can see what is not served and why.
      errors: principal.kind === 'admin' ? listedProblems('pipe', project.problems, refusedEdit) : [],
    });
  });

  app.on(['GET', 'POST'], '/pipes/:file', bodyLimited(), authenticated(auth), async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const name = dot === -1 ? file : file.slice(0, dot);
    const format = dot === -1 ? '' : file.slice(dot + 1);
    const principal = c.get('principal');
    // No extension: the pipe itself, SQL included, so the admin token only.
    if (dot === -1 && c.req.method === 'GET') {
      if (principal.kind !== 'admin')
        throw new HttpError(403, 'Reading a pipe definition needs the admin token', DOC.pipes);
      const described = project.pipes.get(name);
      if (!described) throw new HttpError(404, `Pipe '${name}' not found`, DOC.pipes);
      return c.json(describePipe(described));
    }
    const pipe = project.pipes.get(name);
    const refused = project.problems.find((p) => p.kind === 'pipe' && p.name === name);
    if (!pipe && refused)
      throw new HttpError(
        400,
        `Pipe '${name}' is not served: ${refused.file}:${refused.line}: ${refused.problem}`,
        DOC.pipes,
      );
    if (!pipe || pipe.endpoint === undefined) throw new HttpError(404, `Pipe '${name}' not found`, DOC.pipes);
    if (PIPE_FORMATS[format] === undefined) {
      throw new HttpError(
        400,
        `Unknown format '${format}': request /v0/pipes/${name}.json, .csv, .csvwithnames, .ndjson, .parquet or .prometheus`,
        DOC.pipes,
      );
    }
    const fixed = auth.pipeAccess(principal, name);
    checkPins(principal, pipe, fixed);
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
    const who = queryCaller(principal, params, DOC.pipes);
    delete params['format'];
    delete params['output_format_json_quote_64bit_integers'];
    // fixed_params always win: whatever the request sent for them is replaced.
    Object.assign(params, fixed);
    return output(c, await engine.pipe(pipe, params, format, q, who), headers);
  });

  return app;
}

/** A node's parameters for a listing: none when its template does not parse (calling the pipe says why). */
function listedParameters(sql: string): ReturnType<typeof templateParameters> {
  try {
    return templateParameters(sql);
  } catch {
    return [];
  }
}

/** GET /v0/pipes/<name>: the pipe as Tinybird describes it (the fields clients read), node ids being node names. */
function describePipe(pipe: Pipe): Record<string, unknown> {
  const output = pipe.endpoint ?? pipe.materialized?.node ?? pipe.copy?.node;
  const type =
    pipe.endpoint !== undefined ? 'endpoint' : pipe.materialized ? 'materialized' : pipe.copy ? 'copy' : 'default';
  return {
    id: pipe.name,
    name: pipe.name,
    description: pipe.description ?? null,
    type,
    endpoint: pipe.endpoint === undefined ? null : (pipe.nodes[pipe.endpoint]?.name ?? null),
    url: pipe.endpoint === undefined ? null : `/v0/pipes/${pipe.name}.json`,
    nodes: pipe.nodes.map((node, i) => ({
      id: node.name,
      name: node.name,
      sql: node.sql,
      description: node.description ?? null,
      materialized: pipe.materialized?.node === i ? pipe.materialized.datasource : null,
      node_type: i === output ? type : 'standard',
      params: listedParameters(node.sql),
    })),
  };
}
