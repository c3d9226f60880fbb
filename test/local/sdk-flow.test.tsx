// The whole @tinybirdco/sdk flow on `react-tinybird dev`, with the real `tinybird` CLI of the installed SDK and no
// Docker: `tinybird init -m local` in a temp git repository on a feature branch, `tinybird build --local` (a
// workspace for the branch, every resource in one build), the SDK's typed client and react-tinybird's hooks typed
// from the same definitions, then `tinybird dev --local` serving an edited endpoint. The SDK's local mode calls
// http://localhost:7181, fixed (no option or variable changes it): this is the only test that binds 7181.
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tinybird, createClient } from '@tinybirdco/sdk';
import { render, screen } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinybirdProvider, useEndpoint } from 'react-tinybird';
import { eventually } from '../support/eventually';
import { pageViews, topPages } from './sdk-project/tinybird';

// Paths from the repository root (vitest's working directory): under jsdom, import.meta.url is not a file URL.
const ROOT = process.cwd();
const SDK = join(ROOT, 'node_modules/@tinybirdco/sdk');
const LOCAL = 'http://localhost:7181';
const DEFINITIONS = join(ROOT, 'test/local/sdk-project/tinybird.ts');

/** `react-tinybird dev` from the sources on port 7181, serving a small project of its own (the default workspace). */
async function startServer(dir: string): Promise<{ stop: () => Promise<void>; output: () => string }> {
  await writeFile(join(dir, 'items.datasource'), 'SCHEMA >\n    `id` Int32 `json:$.id`\n\nENGINE "MergeTree"\n');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/local/cli.ts', 'dev', '--project', dir, '--data', join(dir, '.data')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise((done) => child.on('exit', done));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`dev exited:\n${text}`);
    expect(text).toMatch(/Started in/);
  }, 30_000).catch((error: unknown) => {
    if (child.exitCode !== null) throw new Error(`react-tinybird dev did not start on 7181:\n${text}`);
    throw error;
  });
  return {
    output: () => text,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let server: { stop: () => Promise<void>; output: () => string } | undefined;
let serverDir: string | undefined;
let app: string;

/** Runs the SDK's `tinybird` CLI in the app folder; its exit code and everything it printed. */
function tinybird(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(SDK, 'bin/tinybird.js'), ...args], {
    cwd: app,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, output })));
}

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app, stdio: 'pipe' });

/** The workspace the SDK made for the branch, listed with the user token. */
async function branchWorkspace(): Promise<{ id: string; name: string; token: string } | undefined> {
  const { user_token } = (await (await fetch(`${LOCAL}/tokens`)).json()) as { user_token: string };
  const res = await fetch(`${LOCAL}/v1/user/workspaces?with_organization=true&token=${user_token}`);
  const { workspaces } = (await res.json()) as { workspaces: Array<{ id: string; name: string; token: string }> };
  return workspaces.find((w) => w.name === 'feat_sdk_flow');
}

beforeAll(async () => {
  serverDir = await mkdtemp(join(tmpdir(), 'react-tinybird-sdk-server-'));
  server = await startServer(serverDir);
  app = await mkdtemp(join(tmpdir(), 'react-tinybird-sdk-app-'));
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'sdk-app', private: true, type: 'module', dependencies: { '@tinybirdco/sdk': '0.0.84' } }),
  );
  // The installed SDK, as `npm install` would place it (no network here).
  await mkdir(join(app, 'node_modules/@tinybirdco'), { recursive: true });
  await symlink(SDK, join(app, 'node_modules/@tinybirdco/sdk'));
  git('init', '-q', '-b', 'feat/sdk-flow');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
  if (app) await rm(app, { recursive: true, force: true });
});

describe('@tinybirdco/sdk on react-tinybird dev, no Docker', { timeout: 120_000 }, () => {
  it('init, then build --local: a workspace for the git branch with every resource', async () => {
    const init = await tinybird(['init', '--skip-login', '-m', 'local']);
    expect(init.code, init.output).toBe(0);
    const config = JSON.parse(await readFile(join(app, 'tinybird.config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ devMode: 'local' });
    // What a user does next: the API on this machine, its token in .env.local, their own definitions.
    await writeFile(join(app, 'tinybird.config.json'), JSON.stringify({ ...config, baseUrl: LOCAL }, null, 2));
    const { user_token } = (await (await fetch(`${LOCAL}/tokens`)).json()) as { user_token: string };
    await writeFile(join(app, '.env.local'), `TINYBIRD_TOKEN=${user_token}\n`);
    await writeFile(join(app, '.gitignore'), 'node_modules\n.env.local\n');
    await copyFile(DEFINITIONS, join(app, 'lib/tinybird.ts'));
    git('add', '-A');
    git('commit', '-qm', 'Tinybird project');

    const build = await tinybird(['build', '--local']);
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/page_views\.datasource created/);
    expect(build.output).toMatch(/top_pages\.pipe created/);
    const workspace = await branchWorkspace();
    expect(workspace).toBeDefined();
    // The default workspace (the --project folder) is untouched.
    const { user_token: user } = (await (await fetch(`${LOCAL}/tokens`)).json()) as { user_token: string };
    const headers = { Authorization: `Bearer ${user}` };
    expect((await fetch(`${LOCAL}/v0/datasources/items`, { headers })).status).toBe(200);
    expect((await fetch(`${LOCAL}/v0/pipes/top_pages.json`, { headers })).status).toBe(404);

    // The same build again changes nothing.
    const again = await tinybird(['build', '--local']);
    expect(again.code, again.output).toBe(0);
  });

  it("the SDK's typed client ingests and queries the branch workspace", async () => {
    const { token } = (await branchWorkspace())!;
    const client = new Tinybird({ datasources: { pageViews }, pipes: { topPages }, baseUrl: LOCAL, token });
    for (const [pathname, n] of [
      ['/', 3],
      ['/pricing', 2],
      ['/docs', 1],
    ] as const)
      for (let i = 0; i < n; i++)
        await client.pageViews.ingest({
          timestamp: `2026-01-01 10:0${i}:00`,
          session_id: `s${i}`,
          pathname,
          referrer: null,
        });
    const params = { start_date: '2026-01-01 00:00:00', end_date: '2026-01-02 00:00:00', limit: 2 };
    await eventually(async () => {
      const result = await client.topPages.query(params);
      expect(result.data).toEqual([
        { pathname: '/', views: 3 },
        { pathname: '/pricing', views: 2 },
      ]);
    });
    const sql = await createClient({ baseUrl: LOCAL, token }).sql<{ n: number }>('SELECT count() AS n FROM page_views');
    expect(sql.data).toEqual([{ n: 6 }]);
  });

  it("react-tinybird's useEndpoint, typed from the same definition, reads it with a JWT the SDK minted", async () => {
    const { token: admin } = (await branchWorkspace())!;
    const { token } = await createClient({ baseUrl: LOCAL, token: admin }).tokens.createJWT({
      name: 'sdk_flow_reader',
      expiresAt: new Date(Date.now() + 10 * 60 * 1000),
      scopes: [{ type: 'PIPES:READ', resource: 'top_pages' }],
    });
    function TopPages() {
      const { data } = useEndpoint(topPages, { start_date: '2026-01-01 00:00:00', end_date: '2026-01-02 00:00:00' });
      // `views` is a number and `pathname` a string: inferred from the definition, no generic at the call site.
      return (
        <ol>
          {data?.map((row) => (
            <li key={row.pathname}>{`${row.pathname}: ${row.views.toFixed(0)}`}</li>
          ))}
        </ol>
      );
    }
    render(
      <TinybirdProvider token={token} baseUrl={LOCAL}>
        <TopPages />
      </TinybirdProvider>,
    );
    expect((await screen.findAllByRole('listitem')).map((li) => li.textContent)).toEqual([
      '/: 3',
      '/pricing: 2',
      '/docs: 1',
    ]);
  });

  it('dev --local: an edited definition is built, and the endpoint answers the new version', async () => {
    const dev = spawn(process.execPath, [join(SDK, 'bin/tinybird.js'), 'dev', '--local'], {
      cwd: app,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((done) => dev.on('exit', done));
    try {
      await eventually(async () => expect(output).toMatch(/Build completed|No changes/i), 60_000);
      const file = join(app, 'lib/tinybird.ts');
      const edited = (await readFile(file, 'utf8')).replace('count() AS views', 'count() * 100 AS views');
      const { token } = (await branchWorkspace())!;
      const client = new Tinybird({ datasources: { pageViews }, pipes: { topPages }, baseUrl: LOCAL, token });
      const params = { start_date: '2026-01-01 00:00:00', end_date: '2026-01-02 00:00:00', limit: 1 };
      // The SDK's watcher may still be starting after its first build: save again until the new version answers.
      let saved = 0;
      await eventually(async () => {
        if (Date.now() - saved > 3000) {
          await writeFile(file, edited);
          saved = Date.now();
        }
        expect((await client.topPages.query(params)).data).toEqual([{ pathname: '/', views: 300 }]);
      }, 60_000);
      // The data source did not change: its rows are still there.
      expect(output).not.toMatch(/page_views\.datasource (changed|deleted)/);
    } finally {
      dev.kill('SIGTERM');
      await exited;
    }
  });
});
