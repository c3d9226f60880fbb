// Template functions that reach past the SQL, over HTTP on a server of its own: custom_error() answers with the pipe's
// own status and body, and max_threads()/disable('analyzer') become the query's settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const endpoint = (sql: string) =>
  `NODE endpoint\nSQL >\n    %\n    ${sql.split('\n').join('\n    ')}\n\nTYPE endpoint\n`;

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'dict_error.pipe': endpoint(
      "SELECT 1 AS x {% if not defined(id) %}{{ custom_error({'error': 'id is required', 'code': 'MISSING_ID'}, 422) }}{% end %}",
    ),
    'text_error.pipe': endpoint("SELECT 1 AS x {% if not defined(id) %}{{ custom_error('gone', 410) }}{% end %}"),
    'settings.pipe': endpoint(
      "SELECT getSetting('max_threads') AS threads, getSetting('enable_analyzer') AS analyzer\n" +
        "{{ max_threads(Int32(threads, 1)) }}{% if defined(old) %}{{ disable('analyzer') }}{% end %}",
    ),
  });
}, 60_000);
afterAll(() => project?.close());

const get = async (path: string) => {
  const res = await fetch(`${project.dev.url}${path}`, {
    headers: { Authorization: `Bearer ${project.dev.adminToken}` },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('custom_error over HTTP', () => {
  it('answers a dict as that JSON body with the chosen status', async () => {
    const res = await get('/v0/pipes/dict_error.json');
    expect(res.status).toBe(422);
    expect(res.type).toMatch(/application\/json/);
    expect(JSON.parse(res.text)).toEqual({ error: 'id is required', code: 'MISSING_ID' });
    expect((await get('/v0/pipes/dict_error.json?id=1')).status).toBe(200);
  });

  it('answers text as the body itself, as Tinybird writes it', async () => {
    const res = await get('/v0/pipes/text_error.json');
    expect(res.status).toBe(410);
    expect(res.text).toBe('gone');
  });
});

describe('settings functions over HTTP', () => {
  const row = async (query: string) => {
    const res = await get(`/v0/pipes/settings.json${query}`);
    expect(res.status, res.text).toBe(200);
    return (JSON.parse(res.text) as { data: Array<{ threads: unknown; analyzer: unknown }> }).data[0]!;
  };

  it('max_threads(n) sets the query max_threads, never past the machine', async () => {
    expect(String((await row('?threads=1')).threads)).toBe('1');
    expect(Number((await row('?threads=100000')).threads)).toBeLessThan(100000);
  });

  it('are accepted by the Query API, whose sessions take no SETTINGS: the query runs as it is', async () => {
    const q = encodeURIComponent("% SELECT 1 AS one {{ max_threads(1) }}{{ cache_ttl('1m') }}");
    const res = await get(`/v0/sql?q=${q}`);
    expect(res.status, res.text).toBe(200);
    expect((JSON.parse(res.text) as { data: unknown[] }).data).toEqual([{ one: 1 }]);
  });

  it("disable('analyzer') turns the analyzer off for that query only", async () => {
    expect(String((await row('?old=1')).analyzer)).toMatch(/^(0|false)$/);
    expect(String((await row('')).analyzer)).toMatch(/^(1|true)$/);
  });
});
