// Tinybird's static tokens API: POST /v0/tokens/ (name + scope, no expiration_time) creates a stored token, GET lists
// it and gets it by name or value, DELETE removes it, and the token reaches what its scopes say, nothing more. On a
// server of its own (the demo datafiles): other tests list the shared server's tokens.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTinybirdApi } from '@tinybirdco/sdk';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/json';
import { devProject, type DevProject } from './cli';

let project: DevProject;
beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const name of await readdir('examples/tinybird'))
    files[name] = await readFile(join('examples/tinybird', name), 'utf8');
  project = await devProject(files);
  const rows = ['u_1', 'u_2'].map((user_id) =>
    JSON.stringify({
      timestamp: '2001-01-01 00:00:00',
      user_id,
      airline: 'A',
      origin: 'B',
      destination: 'C',
      price: 1,
    }),
  );
  await project.call('/v0/events?name=events&wait=true', { method: 'POST', body: rows.join('\n') });
}, 60_000);
afterAll(() => project?.close());

const tb = () => ({ url: project.dev.url, adminToken: project.dev.adminToken });
const api = async (
  path: string,
  init: { token?: string | null; method?: string; body?: string; headers?: Record<string, string> } = {},
) => {
  const token = init.token === undefined ? project.dev.adminToken : init.token;
  const res = await fetch(`${project.dev.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...init.headers, ...(token !== null && { Authorization: `Bearer ${token}` }) },
    ...(init.body !== undefined && { body: init.body }),
  });
  const text = await res.text();
  let json: Json = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, text, json };
};
const sql = async (query: string) => (await api(`/v0/sql?q=${encodeURIComponent(query)}`)).json.data;
const jwt = () =>
  new SignJWT({
    workspace_id: project.dev.workspaceId,
    name: 'not_admin',
    exp: Math.floor(Date.now() / 1000) + 600,
    scopes: [{ type: 'PIPES:READ', resource: 'kpis' }],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(project.dev.adminToken));
const form = (body: URLSearchParams, token?: string | null) =>
  api('/v0/tokens/', {
    method: 'POST',
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    ...(token !== undefined && { token }),
  });
const unique = (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2, 8)}`;

describe('static tokens API', { timeout: 60_000 }, () => {
  it('creates a token with scopes (form body), gets, lists and deletes it; the token works only meanwhile', async () => {
    const name = unique('reader');
    const created = await form(
      new URLSearchParams([
        ['name', name],
        ['scope', 'PIPES:READ:top_airlines'],
        ['scope', "DATASOURCES:READ:events:user_id = 'u_1'"],
      ]),
    );
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({
      name,
      description: '',
      scopes: [
        { type: 'PIPES:READ', resource: 'top_airlines' },
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_1'" },
      ],
    });
    const token = created.json.token as string;
    expect(token).toMatch(/^p\./);

    expect((await api('/v0/pipes/top_airlines.json', { token })).status).toBe(200);
    expect((await api('/v0/pipes/kpis.json', { token })).status).toBe(403);
    const users = await api(`/v0/sql?q=${encodeURIComponent('SELECT DISTINCT user_id FROM events')}`, { token });
    expect(users.json.data).toEqual([{ user_id: 'u_1' }]);

    expect((await api(`/v0/tokens/${name}`)).json).toMatchObject({ name, token });
    expect((await api(`/v0/tokens/${encodeURIComponent(token)}`)).json).toMatchObject({ name });
    const listed = (await api('/v0/tokens')).json.tokens as Array<{ name: string; token: string }>;
    expect(listed.find((t) => t.name === name)?.token).toBe(token);

    const removed = await api(`/v0/tokens/${name}`, { method: 'DELETE' });
    expect(removed.json).toEqual({ ok: true });
    expect((await api('/v0/pipes/top_airlines.json', { token })).status).toBe(403);
    expect((await api(`/v0/tokens/${name}`)).status).toBe(404);
    expect((await api(`/v0/tokens/${name}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('takes name and scope in the query string, an APPEND scope appends', async () => {
    const name = unique('appender');
    const res = await api(`/v0/tokens/?name=${name}&scope=DATASOURCES:APPEND:events`, { method: 'POST' });
    expect(res.status, res.text).toBe(200);
    const user = unique('t_static');
    const appended = await api('/v0/events?name=events&wait=true', {
      method: 'POST',
      token: res.json.token,
      body: JSON.stringify({
        timestamp: '2001-01-01 00:00:00',
        user_id: user,
        airline: 'A',
        origin: 'B',
        destination: 'C',
        price: 1,
      }),
    });
    expect(appended.json).toEqual({ successful_rows: 1, quarantined_rows: 0 });
    expect(await sql(`SELECT count() AS n FROM events WHERE user_id = '${user}'`)).toEqual([{ n: 1 }]);
    expect((await api('/v0/pipes/top_airlines.json', { token: res.json.token })).status).toBe(403);
  });

  it('refuses unknown scopes and resources, a taken name, and callers without the admin token', async () => {
    const bad = async (pairs: string[][], token?: string | null) =>
      (await form(new URLSearchParams(pairs), token)).status;
    expect(
      await bad([
        ['name', unique('x')],
        ['scope', 'PIPES:WRITE:top_airlines'],
      ]),
    ).toBe(400);
    expect(
      await bad([
        ['name', unique('x')],
        ['scope', 'PIPES:READ:nope'],
      ]),
    ).toBe(400);
    expect(await bad([['name', unique('x')]])).toBe(400);
    expect(await bad([['scope', 'PIPES:READ:kpis']])).toBe(400);
    expect(
      await bad([
        ['name', 'events_append'],
        ['scope', 'PIPES:READ:kpis'],
      ]),
    ).toBe(400);
    expect(
      await bad(
        [
          ['name', unique('x')],
          ['scope', 'PIPES:READ:kpis'],
        ],
        await jwt(),
      ),
    ).toBe(403);
    expect(
      await bad(
        [
          ['name', unique('x')],
          ['scope', 'PIPES:READ:kpis'],
        ],
        null,
      ),
    ).toBe(403);
    expect((await api('/v0/tokens/events_append', { method: 'DELETE', token: await jwt() })).status).toBe(403);
  });

  it('@tinybirdco/sdk createToken creates a static token (scope) and a JWT (scopes + expirationTime)', async () => {
    const sdk = createTinybirdApi({ baseUrl: tb().url, token: tb().adminToken });
    const name = unique('sdk_static');
    const { token } = await sdk.createToken({ name, scope: ['PIPES:READ:kpis'] });
    expect(token).toMatch(/^p\./);
    expect((await api('/v0/pipes/kpis.json', { token })).status).toBe(200);
    const signed = await sdk.createToken(
      { name: 'sdk_jwt', scopes: [{ type: 'PIPES:READ', resource: 'kpis' }] },
      { expirationTime: Math.floor(Date.now() / 1000) + 60 },
    );
    expect(signed.token.split('.')).toHaveLength(3);
    expect((await api('/v0/pipes/kpis.json', { token: signed.token })).status).toBe(200);
    await api(`/v0/tokens/${name}`, { method: 'DELETE' });
  });
});
