// Reading a request body (gzip or not) and its parameters, and answering a query result, the same way in every route
// family.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Context } from 'hono';
import { unsafeJson } from '../engine/ingest';
import type { QueryCaller, QueryOutput } from '../engine/engine';
import { DOC, HttpError } from '../errors';
import type { Principal } from './auth';

/** How far a gzip body may inflate: a few KB of gzip can hold gigabytes. */
export const INFLATED_MAX_BYTES = 50 * 1024 * 1024;
/** Parameters are flat values or short lists: anything nested deeper is refused before a template walks it. */
const PARAM_MAX_DEPTH = 32;

const inflate = promisify(gunzip);

export function output(
  c: Context,
  out: QueryOutput,
  headers: Record<string, string>,
  status: 200 | 202 = 200,
): Response {
  return c.body(out.body, status, { 'Content-Type': out.contentType, ...headers });
}

/** The request body as bytes, inflated when it was sent with `Content-Encoding: gzip`. */
export async function bodyBytes(c: Context, documentation: string): Promise<Buffer> {
  const raw = Buffer.from(await c.req.arrayBuffer());
  if (!/\bgzip\b/i.test(c.req.header('content-encoding') ?? '')) return raw;
  return gunzipLimited(raw, INFLATED_MAX_BYTES, documentation);
}

/** Inflates gzip bytes up to `max` bytes: past that a 413, broken gzip a 400. */
export async function gunzipLimited(bytes: Uint8Array, max: number, documentation: string): Promise<Buffer> {
  try {
    return await inflate(bytes, { maxOutputLength: max });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new HttpError(
        413,
        `The gzip data decompresses to more than ${max / 1024 / 1024} MB: split it into smaller requests`,
        DOC.limits,
      );
    throw new HttpError(400, 'The data is not valid gzip', documentation);
  }
}

/** The request body as text (UTF-8), inflated when gzip. */
export async function bodyText(c: Context, documentation: string): Promise<string> {
  return (await bodyBytes(c, documentation)).toString('utf8');
}

export async function bodyObject(c: Context, documentation: string): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  const text = await bodyText(c, documentation);
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
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
  const problem = unsafeJson(value, PARAM_MAX_DEPTH);
  if (problem !== undefined) throw new HttpError(400, `A parameter cannot be used: ${problem}`, documentation);
  return value as Record<string, unknown>;
}

/**
 * Who the query is for (one turn-taking key per token) and whether 64-bit integers come back quoted: Tinybird's
 * `output_format_json_quote_64bit_integers` parameter, 0 (the default) or 1.
 */
export function queryCaller(principal: Principal, params: Record<string, unknown>, documentation: string): QueryCaller {
  const quote = params['output_format_json_quote_64bit_integers'];
  if (quote !== undefined && quote !== '0' && quote !== '1' && quote !== 0 && quote !== 1)
    throw new HttpError(400, 'output_format_json_quote_64bit_integers is 0 or 1', documentation);
  return { caller: `${principal.kind}:${principal.name}`, quote64: String(quote) === '1' };
}
