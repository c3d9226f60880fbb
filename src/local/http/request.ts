// Reading a request body of parameters and answering a query result, the same way in every route family.
import type { Context } from 'hono';
import type { QueryOutput } from '../engine/engine';
import { HttpError } from '../errors';

export function output(
  c: Context,
  out: QueryOutput,
  headers: Record<string, string>,
  status: 200 | 202 = 200,
): Response {
  return c.body(out.body, status, { 'Content-Type': out.contentType, ...headers });
}

export async function bodyObject(c: Context, documentation: string): Promise<Record<string, unknown>> {
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
