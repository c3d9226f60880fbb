// Runs one Tinybird project on the local server, in its own process (chDB allows one data directory per process):
// copies it to a temp folder (ENGINE_TTL stripped unless --keep-ttl), starts the server, ingests its fixtures, calls
// every endpoint with default params, runs its tests, and writes a ProjectResult as JSON to the file it is given.
//   tsx scripts/conformance/run-project.ts <project root> <result.json> [--keep-ttl]
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/local';
import { readProject } from './discover';
import { compare } from './compare';
import { readTests, type TestCase } from './tests';
import type { ProjectResult } from './result';

const REQUEST_TIMEOUT = 60_000;
const CHUNK_BYTES = 4 * 1024 * 1024;

async function main(): Promise<void> {
  const [rootArg, outFile, ...flags] = process.argv.slice(2);
  if (!rootArg || !outFile) throw new Error('usage: run-project.ts <project root> <result.json> [--keep-ttl]');
  const root = resolve(rootArg);
  const keepTtl = flags.includes('--keep-ttl');
  const work = await mkdtemp(join(tmpdir(), 'tb-conformance-'));
  try {
    const result = await runProject(root, work, keepTtl);
    await writeFile(outFile, JSON.stringify(result, null, 2));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runProject(root: string, work: string, keepTtl: boolean): Promise<ProjectResult> {
  const copy = join(work, 'project');
  await cp(root, copy, { recursive: true, filter: (src) => !src.includes('/node_modules') && !src.includes('/.git') });
  const files = await readProject(copy);
  if (!keepTtl) for (const file of files.datafiles) if (file.endsWith('.datasource')) await stripTtl(file);
  // Messages name the copy: show the user's own paths.
  const shown = (text: string) => text.split(relative(process.cwd(), copy)).join(root).split(copy).join(root);
  const result: ProjectResult = {
    root,
    started: false,
    startError: undefined,
    datafiles: { total: files.datafiles.length, loaded: 0, refused: [] },
    endpoints: { total: files.endpoints.length, ok: 0, asksForParams: 0, failures: [] },
    tests: { total: 0, matched: 0, failures: [] },
    fixtures: { files: files.fixtures.length, rows: 0, errors: [] },
    warnings: [],
  };
  const log = (message: string) => {
    if (result.warnings.length < 200) result.warnings.push(shown(message));
  };
  // A server that refuses a datafile is started again without it, to measure the rest.
  let server: LocalServer | undefined;
  for (let attempt = 0; attempt <= files.datafiles.length && !server; attempt++) {
    try {
      server = await startLocalServer({ project: copy, port: 0, dataDir: join(work, `data${attempt}`), log });
      if (attempt === 0) result.started = true;
    } catch (error) {
      const message = (error as Error).message;
      result.startError ??= shown(message);
      const file = /^(.+?\.(?:datasource|pipe)):\d+:/.exec(message)?.[1];
      const path = file === undefined ? undefined : resolve(file);
      if (path === undefined || !path.startsWith(copy) || !files.datafiles.includes(path)) break;
      result.datafiles.refused.push({ file: relative(copy, path), problem: shown(message) });
      await rm(path);
      files.datafiles.splice(files.datafiles.indexOf(path), 1);
    }
  }
  if (!server) return result;
  try {
    const problems = (server as { problems?: Array<{ file: string; line: number; problem: string }> }).problems ?? [];
    for (const p of problems)
      result.datafiles.refused.push({ file: relative(copy, resolve(p.file)), problem: shown(p.problem) });
    const refused = new Set(result.datafiles.refused.map((r) => r.file));
    result.datafiles.loaded = result.datafiles.total - refused.size;
    await ingestFixtures(server, files.fixtures, result);
    const sourceOf = async (name: string) => {
      const file = files.datafiles.find(
        (f) => f.endsWith('.pipe') && name.replace(/__v\d+$/, '') === basename(f, '.pipe'),
      );
      return file === undefined ? '' : readFile(file, 'utf8');
    };
    for (const name of files.endpoints) {
      const answer = await call(server, `/v0/pipes/${name}.json`);
      if (answer.status === 200) result.endpoints.ok++;
      else if (answer.status >= 400 && answer.status < 500 && isTemplateError(answer.text, await sourceOf(name))) {
        result.endpoints.asksForParams++;
        result.endpoints.failures.push({
          name,
          status: answer.status,
          error: `(template) ${shown(errorOf(answer.text))}`,
        });
      } else result.endpoints.failures.push({ name, status: answer.status, error: shown(errorOf(answer.text)) });
    }
    const tests = await readTests(files.tests);
    result.tests.total = tests.length;
    for (const test of tests) {
      const why = await runTest(server, test);
      if (why === undefined) result.tests.matched++;
      else result.tests.failures.push({ name: test.name, why: shown(why) });
    }
  } finally {
    await server.close();
  }
  return result;
}

/** Drops `ENGINE_TTL` lines (and their indented block): the projects' fixtures are older than their TTLs. */
async function stripTtl(file: string): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^ENGINE_TTL\b/.test(lines[i]!)) {
      out.push(lines[i]!);
      continue;
    }
    if (/>\s*$/.test(lines[i]!)) while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!)) i++;
  }
  await writeFile(file, out.join('\n'));
}

interface Answer {
  status: number;
  text: string;
}

async function call(server: LocalServer, path: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${server.adminToken}`, ...(init.headers as Record<string, string>) },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT),
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    const why = `${(error as Error).message}${cause ? ` (${cause.message})` : ''}`;
    return { status: 0, text: JSON.stringify({ error: `request failed: ${why}` }) };
  }
}

/**
 * Tinybird links a template's own errors (a required parameter, error()) to its template documentation. A
 * custom_error() answers the pipe's own body instead: any body but the server's own error shape, from a pipe that calls
 * custom_error().
 */
function isTemplateError(text: string, pipeSource: string): boolean {
  let body: { documentation?: unknown; error?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // custom_error() may answer text
  }
  if (/advanced-templates/.test(String(body?.documentation))) return true;
  if (!/\bcustom_error\s*\(/.test(pipeSource)) return false;
  const serverError = body?.documentation !== undefined || /^\[Error\]/.test(String(body?.error));
  return !serverError;
}

function errorOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

async function ingestFixtures(
  server: LocalServer,
  fixtures: Array<{ file: string; datasources: string[] }>,
  result: ProjectResult,
): Promise<void> {
  for (const { file, datasources } of fixtures) {
    const name = basename(file);
    if (datasources.length === 0) result.fixtures.errors.push(`${name}: no data source imports it`);
    for (const ds of datasources) {
      try {
        const ext = extname(file);
        const text = await readFile(file, 'utf8');
        const ndjson = ext === '.sql' ? await sqlRows(server, text) : ext === '.csv' ? undefined : text;
        if (ndjson === undefined) result.fixtures.rows += await appendCsv(server, ds, text);
        else result.fixtures.rows += await appendNdjson(server, ds, ndjson);
      } catch (error) {
        result.fixtures.errors.push(`${name} -> ${ds}: ${(error as Error).message}`);
      }
    }
  }
}

/** A `tb mock` fixture is a SELECT: its rows, run through the Query API, are what gets appended. */
async function sqlRows(server: LocalServer, sql: string): Promise<string> {
  const q = `${sql.trim().replace(/;\s*$/, '')}\nFORMAT JSONEachRow`;
  const answer = await call(server, '/v0/sql', { method: 'POST', body: new URLSearchParams({ q }) });
  if (answer.status !== 200) throw new Error(`the fixture's SELECT failed (${answer.status}): ${errorOf(answer.text)}`);
  return answer.text;
}

async function appendNdjson(server: LocalServer, ds: string, ndjson: string): Promise<number> {
  const lines = ndjson.split('\n').filter((l) => l.trim() !== '');
  let rows = 0;
  for (let start = 0; start < lines.length;) {
    let end = start;
    let bytes = 0;
    while (end < lines.length && (end === start || bytes + lines[end]!.length < CHUNK_BYTES))
      bytes += lines[end++]!.length;
    const answer = await call(server, `/v0/events?name=${encodeURIComponent(ds)}&wait=true`, {
      method: 'POST',
      body: lines.slice(start, end).join('\n'),
    });
    if (answer.status !== 200 && answer.status !== 202)
      throw new Error(`Events API answered ${answer.status}: ${errorOf(answer.text)}`);
    const body = JSON.parse(answer.text) as { successful_rows?: number; quarantined_rows?: number };
    rows += body.successful_rows ?? 0;
    start = end;
  }
  return rows;
}

/** CSV goes through the Data Sources API (append), as `tb` sends it. */
async function appendCsv(server: LocalServer, ds: string, csv: string): Promise<number> {
  const form = new FormData();
  form.append('csv', new Blob([csv], { type: 'text/csv' }), `${ds}.csv`);
  const answer = await call(server, `/v0/datasources?name=${encodeURIComponent(ds)}&mode=append&format=csv`, {
    method: 'POST',
    body: form,
  });
  if (answer.status !== 200) throw new Error(`Data Sources API answered ${answer.status}: ${errorOf(answer.text)}`);
  const body = JSON.parse(answer.text) as { datasource?: { statistics?: { row_count?: number } }; rows?: number };
  return body.rows ?? 0;
}

/** Why a test does not match, or undefined when it does. */
async function runTest(server: LocalServer, test: TestCase): Promise<string | undefined> {
  if (test.kind === 'unreadable') return `cannot run: ${test.why}`;
  if (test.kind === 'quality') {
    const q = `SELECT count() AS n FROM (\n${test.sql.trim().replace(/;\s*$/, '')}\n)`;
    const answer = await call(server, `/v0/sql?q=${encodeURIComponent(q)}${test.params ? `&${test.params}` : ''}`);
    if (answer.status !== 200) return `${answer.status}: ${errorOf(answer.text)}`;
    const n = (JSON.parse(answer.text) as { data: Array<{ n: number }> }).data[0]?.n;
    return n === 0 ? undefined : `expected no rows, got ${n}`;
  }
  if (test.kind === 'sql') {
    const format = test.format === 'csv' ? 'CSVWithNames' : 'JSON';
    const q = `${test.sql.trim().replace(/;\s*$/, '')}\nFORMAT ${format}`;
    const answer = await call(server, `/v0/sql?q=${encodeURIComponent(q)}`);
    if (answer.status !== 200) return `${answer.status}: ${errorOf(answer.text)}`;
    return compare(test.format, test.expected, answer.text);
  }
  const query = test.params === '' ? '' : `?${test.params}`;
  const answer = await call(server, `/v0/pipes/${test.pipe}.${test.format}${query}`);
  if (test.status !== 200) {
    if (answer.status !== test.status) return `expected status ${test.status}, got ${answer.status}`;
    const expected = test.expected.trim();
    return errorOf(answer.text).includes(expected)
      ? undefined
      : `expected the error "${expected}", got "${errorOf(answer.text)}"`;
  }
  if (answer.status !== 200) return `${answer.status}: ${errorOf(answer.text)}`;
  return compare(test.format, test.expected, answer.text);
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
