// Runs the `react-tinybird` CLI from the sources in a child process (chDB allows one data directory per process).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Json } from '../support/json';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

export interface DevServer {
  url: string;
  adminToken: string;
  workspaceId: string;
  /** Everything it printed so far. */
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `react-tinybird dev` and reads what it prints. */
export async function startDev(args: string[]): Promise<DevServer> {
  const run = runCli(['dev', '--port', '0', ...args]);
  const deadline = Date.now() + 30_000;
  while (!/Started in/.test(run.output())) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`dev did not start:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(run.output())?.[1] ?? '';
  return {
    url: field('URL'),
    adminToken: field('Admin token'),
    workspaceId: field('Workspace id'),
    output: run.output,
    async stop() {
      run.child.kill('SIGTERM');
      await run.exited;
    },
  };
}

export interface DevProject {
  /** The project folder; its data lives in `.data` inside it (dot folders are not read as datafiles). */
  dir: string;
  /** The running server (a new one after restart()). */
  readonly dev: DevServer;
  /** A request with the admin token, or `token`; the body parsed as JSON when there is one. */
  call(path: string, init?: RequestInit, token?: string): Promise<{ status: number; json: Json }>;
  /** The rows of a Query API call with the admin token (fails the test on any other status than 200). */
  sql(query: string): Promise<Array<Record<string, Json>>>;
  /** A JWT for this server's workspace, named `name`, with `scopes`, valid for ten minutes. */
  jwt(name: string, scopes: object[]): Promise<string>;
  /** The user token the server hands out at `/tokens` (what creates and lists workspaces). */
  userToken(): Promise<string>;
  /** `POST /v1/build` of `files` (name -> datafile text) with a workspace's admin token, as the SDK's CLI sends it. */
  build(files: Record<string, string>, token: string): Promise<{ status: number; json: Json }>;
  /** A new workspace made over `/v1/workspaces` with the user token: its id and its admin token. */
  createWorkspace(name: string): Promise<{ id: string; token: string }>;
  /** Stops the server and starts it again on the same folder and data. */
  restart(): Promise<void>;
  /** Stops the server and removes the folder. */
  close(): Promise<void>;
}

/** A temp project of `files` (name -> datafile text) served by `react-tinybird dev` in a child process. */
export async function devProject(files: Record<string, string>, args: string[] = []): Promise<DevProject> {
  const dir = await mkdtemp(join(tmpdir(), 'react-tinybird-project-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const start = () => startDev(['--project', dir, '--data', join(dir, '.data'), ...args]);
  let dev: DevServer;
  try {
    dev = await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const project: DevProject = {
    dir,
    get dev() {
      return dev;
    },
    async call(path, init = {}, token = dev.adminToken) {
      const res = await fetch(`${dev.url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, ...init.headers },
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async sql(query) {
      const res = await project.call(`/v0/sql?q=${encodeURIComponent(query)}`);
      if (res.status !== 200) throw new Error(`SQL failed (${res.status}): ${JSON.stringify(res.json)}`);
      return (res.json as { data: Array<Record<string, Json>> }).data;
    },
    jwt(name, scopes) {
      return new SignJWT({ workspace_id: dev.workspaceId, name, scopes, exp: Math.floor(Date.now() / 1000) + 600 })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(dev.adminToken));
    },
    async userToken() {
      return ((await (await fetch(`${dev.url}/tokens`)).json()) as { user_token: string }).user_token;
    },
    build(files, token) {
      const form = new FormData();
      for (const [name, text] of Object.entries(files)) form.append('data_project://', new Blob([text]), name);
      return project.call('/v1/build', { method: 'POST', body: form }, token);
    },
    async createWorkspace(name) {
      const made = await project.call(
        '/v1/workspaces',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ name }).toString(),
        },
        await project.userToken(),
      );
      if (made.status !== 200)
        throw new Error(`creating workspace ${name} failed (${made.status}): ${JSON.stringify(made.json)}`);
      return made.json as { id: string; token: string };
    },
    async restart() {
      await dev.stop();
      dev = await start();
    },
    async close() {
      await dev.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return project;
}
