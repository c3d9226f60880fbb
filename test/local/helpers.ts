// Shared helpers for the local server's integration tests: everything goes over real HTTP to the server that
// test/setup/local-server.ts started for the run.
import { SignJWT } from 'jose';
import { inject } from 'vitest';
import type { Json } from '../support/json';

export const tb = () => inject('tinybird');

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** A request to the local server. `token` goes in the Authorization header unless it is null. */
export async function api<T = Json>(
  path: string,
  init: { token?: string | null; method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? tb().adminToken : init.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  const res = await fetch(`${tb().url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined && { body: init.body as BodyInit }),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV, NDJSON...
  }
  return { status: res.status, headers: res.headers, text, json: json as T };
}

/** Admin SQL through the Query API, returning rows. */
export async function sql<Row = Record<string, Json>>(query: string): Promise<Row[]> {
  const res = await api<{ data: Row[] }>(`/v0/sql?q=${encodeURIComponent(query)}`);
  if (res.status !== 200) throw new Error(`SQL failed (${res.status}): ${res.text}`);
  return res.json.data;
}

/** Signs a JWT like Tinybird's with jose; every claim can be overridden (or removed with undefined). */
export async function jwt(
  claims: Record<string, unknown> = {},
  options: { secret?: string; alg?: string } = {},
): Promise<string> {
  const payload: Record<string, unknown> = {
    workspace_id: tb().workspaceId,
    name: `test_${Math.random().toString(36).slice(2)}`,
    exp: Math.floor(Date.now() / 1000) + 600,
    scopes: [{ type: 'PIPES:READ', resource: 'top_airlines' }],
    ...claims,
  };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? tb().adminToken));
}

/** An unsigned `alg: none` token. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** A token from the demo token route (examples/demo-token-route.ts). */
export async function demoToken(query = ''): Promise<string> {
  const res = await fetch(`${tb().tokenUrl}${query}`);
  if (!res.ok) throw new Error(`token route answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export const q = encodeURIComponent;
