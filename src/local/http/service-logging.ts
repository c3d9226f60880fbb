// What the local server writes into Tinybird's service data sources: a tinybird.pipe_stats_rt row for every endpoint
// and Query API call (and a tinybird.endpoint_errors row when it fails), a tinybird.datasources_ops_log row for every
// append, replace, delete or truncate, as Tinybird logs them.
// Tokens never reach a log: `token` is left out of the URL and the parameters, and only the token's name is kept.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Engine } from '../engine/engine';
import { PIPE_FORMATS } from '../engine/formats';
import type { LocalEnv } from './context';

/** An endpoint call: `/v0/pipes/<name>.<format>`, for the formats the pipe routes answer. */
const PIPE_PATH = new RegExp(`^/v0/pipes/([^/]+)\\.(?:${Object.keys(PIPE_FORMATS).join('|')})$`);

/** Logs each request the service data sources keep, after it is answered. */
export function serviceLogging(engine: Engine) {
  return createMiddleware<LocalEnv>(async (c, next) => {
    const started = new Date();
    await next();
    const elapsed = (Date.now() - started.getTime()) / 1000;
    const path = c.req.path;
    const pipe = PIPE_PATH.exec(path)?.[1] ?? (path === '/v0/sql' ? 'query_api' : undefined);
    if (pipe !== undefined) {
      engine.logService('pipe_stats_rt', pipeStats(c, pipe, started, elapsed));
      if (c.res.status >= 400) engine.logService('endpoint_errors', await endpointError(c, pipe, started));
    }
    const operation = await datasourceOperation(c);
    if (operation !== undefined)
      engine.logService('datasources_ops_log', {
        timestamp: seconds(started),
        elapsed_time: elapsed,
        result: c.res.status < 400 ? 'ok' : 'error',
        request_id: '',
        ...operation,
      });
  });
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function withoutToken(url: URL): URL {
  url.searchParams.delete('token');
  return url;
}

/**
 * The pipe_stats_rt row of an endpoint or Query API call. Read rows and bytes are not measured here (the answer is not
 * parsed again to find them): 0.
 */
function pipeStats(c: Context<LocalEnv>, pipe: string, started: Date, elapsed: number) {
  const url = withoutToken(new URL(c.req.url));
  return {
    start_datetime: seconds(started),
    pipe_id: pipe,
    pipe_name: pipe,
    duration: elapsed,
    read_bytes: 0,
    read_rows: 0,
    result_rows: 0,
    url: `${url.pathname}${url.search}`,
    error: c.res.status >= 400 ? 1 : 0,
    request_id: '',
    token: '',
    token_name: c.get('principal')?.name ?? '',
    status_code: c.res.status,
    method: c.req.method,
    parameters: Object.fromEntries(url.searchParams),
    release: '',
    user_agent: c.req.header('user-agent') ?? null,
    resource_tags: [],
    cpu_time: 0,
    memory_usage: 0,
  };
}

/** The endpoint_errors row of a failed call: its status and Tinybird's error message. */
async function endpointError(c: Context<LocalEnv>, pipe: string, started: Date) {
  const url = withoutToken(new URL(c.req.url));
  const error = (await jsonOf(c))?.['error'];
  return {
    start_datetime: seconds(started),
    request_id: '',
    pipe_id: pipe,
    pipe_name: pipe,
    params: JSON.stringify(Object.fromEntries(url.searchParams)),
    url: `${url.pathname}${url.search}`,
    status_code: c.res.status,
    error: typeof error === 'string' ? error : null,
    resource_tags: [],
  };
}

/** The data source operation a request was, with the rows it wrote: Events API, Data Sources API. */
async function datasourceOperation(c: Context<LocalEnv>): Promise<Record<string, unknown> | undefined> {
  const { method, path } = c.req;
  const name = c.req.query('name') ?? /^\/v0\/datasources\/([^/]+)\/(?:delete|truncate)$/.exec(path)?.[1];
  if (method !== 'POST' || name === undefined) return undefined;
  let event: string;
  if (path === '/v0/events') event = 'append-hfi';
  else if (path === '/v0/datasources') event = c.req.query('mode') ?? 'append';
  else if (path.endsWith('/delete')) event = 'delete_data';
  else if (path.endsWith('/truncate')) event = 'truncate';
  else return undefined;
  const answer = await jsonOf(c);
  const written = answer?.['successful_rows'] ?? answer?.['rows'];
  const quarantined = answer?.['quarantined_rows'] ?? answer?.['quarantine_rows'];
  return {
    event_type: event,
    datasource_id: name,
    datasource_name: name,
    error: c.res.status < 400 ? null : ((answer?.['error'] as string | undefined) ?? `status ${c.res.status}`),
    rows: typeof written === 'number' ? written : null,
    rows_quarantine: typeof quarantined === 'number' ? quarantined : null,
  };
}

/** The answer's JSON body, read from a copy (the caller still gets the original); undefined for other bodies. */
async function jsonOf(c: Context<LocalEnv>): Promise<Record<string, unknown> | undefined> {
  if (!(c.res.headers.get('content-type') ?? '').includes('application/json')) return undefined;
  try {
    return (await c.res.clone().json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
