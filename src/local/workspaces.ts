// The workspaces of one server. chDB allows one data directory per process, so a workspace is a ClickHouse database
// in the shared one: the default workspace (the `--project` folder) works in `default`, each workspace created
// through `POST /v1/workspaces` (the SDK makes one per git branch) in `_ws_<id>` (a leading underscore keeps it out of
// the other workspaces' table lists), with sessions of its own that `USE` it, its own tokens (workspace.json under
// <dataDir>/workspaces/<id>/), its own project (the datafiles of its last build, kept in .datafiles/ there for a
// restart) and its own Runtime, so a build swaps one workspace whole and leaves the others serving. A request goes to
// the workspace its token names (the `u` claim of a static token, `workspace_id` of a JWT); one naming none goes to
// the default workspace, which answers it as before.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeJwt } from 'jose';
import type { Hono } from 'hono';
import { Sessions, type QueryLimits } from './engine/sessions';
import { StagedBuild } from './engine/staged-build';
import { confine } from './project/reach';
import { BuildRefused, buildReport, connectionWarning, type BuildReport } from './http/v1/build-report';
import type { WorkspaceDirectory, WorkspaceEntry } from './http/v1/directory';
import { v1Routes } from './http/v1/routes';
import { loadProject, loadProjectFiles, parseConnection, type DatafileText } from './project';
import { Runtime, logProblems, workspaceFor, type Served } from './runtime';

interface Stored {
  id: string;
  name: string;
}

interface Member {
  id: string;
  name: string;
  runtime: Runtime;
  /** Its own sessions (not the default workspace's: those belong to the server). */
  sessions?: Sessions;
  /** Where a build's datafiles are kept for a restart (none for the default workspace: its folder is the user's). */
  projectDir?: string;
  /** The build running now, if any: the next one waits for it. */
  building: Promise<unknown>;
}

export interface WorkspacesOptions {
  dataDir: string;
  eventsRps: number;
  queryLimits?: QueryLimits;
  log: (message: string) => void;
}

const FILE = 'workspaces.json';

export class Workspaces implements WorkspaceDirectory {
  private readonly members = new Map<string, Member>();
  private readonly v1: Hono;
  /** Creations and removals one at a time: workspaces.json is rewritten by each. */
  private changing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly first: Member,
    /** The default workspace's sessions: they drop a removed workspace's database. */
    private readonly mainSessions: Sessions,
    private readonly options: WorkspacesOptions,
  ) {
    this.members.set(first.id, first);
    this.v1 = v1Routes(this);
  }

  /** The default workspace around `runtime`, and every workspace created before (their last build serving again). */
  static async open(
    runtime: Runtime,
    sessions: Sessions,
    projectDir: string,
    options: WorkspacesOptions,
  ): Promise<Workspaces> {
    const { workspace } = runtime.served;
    await StagedBuild.sweep(sessions);
    const name =
      basename(projectDir)
        .replace(/[^A-Za-z0-9_]/g, '_')
        .replace(/_+/g, '_') || 'default';
    const workspaces = new Workspaces(
      { id: workspace.id, name, runtime, building: Promise.resolve() },
      sessions,
      options,
    );
    for (const stored of await readStored(options.dataDir)) {
      try {
        await workspaces.start(stored);
      } catch (error) {
        options.log(`Workspace ${stored.name} could not start: ${(error as Error).message}`);
      }
    }
    return workspaces;
  }

  log(message: string): void {
    this.options.log(message);
  }

  get main(): WorkspaceEntry {
    return this.entry(this.first);
  }

  list(): WorkspaceEntry[] {
    return [...this.members.values()].map((m) => this.entry(m));
  }

  /** What every workspace serves now, the default one first: the copy scheduler runs each one's pipes on its data. */
  served(): Array<{ name: string; served: Served; main: boolean }> {
    return [...this.members.values()].map((m) => ({ name: m.name, served: m.runtime.served, main: m === this.first }));
  }

  byAdminToken(token: string): WorkspaceEntry | undefined {
    const member = [...this.members.values()].find((m) => m.runtime.served.workspace.adminToken === token);
    return member && this.entry(member);
  }

  /** The app that answers `request`: /v1 here, anything else the app of the workspace its token names. */
  appFor(request: Request): Hono {
    const { url } = request;
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    if (path.startsWith('/v1/')) return this.v1;
    // With the default workspace alone (the common case), no request pays for reading its token twice.
    if (this.members.size === 1) return this.first.runtime.served.app;
    const query = path.includes('token=') ? new URL(url).searchParams.get('token') : null;
    const id = workspaceIdOf(query ?? bearer(request));
    return (this.members.get(id ?? '') ?? this.first).runtime.served.app;
  }

  create(name: string): Promise<WorkspaceEntry> {
    const run = this.changing.then(async () => {
      const stored = { id: randomUUID(), name };
      const member = await this.start(stored);
      await this.save();
      return this.entry(member);
    });
    this.changing = run.catch(() => undefined);
    return run;
  }

  remove(id: string): Promise<void> {
    const run = this.changing.then(async () => {
      const member = this.members.get(id);
      if (!member?.sessions) return;
      this.members.delete(id);
      await this.save();
      await member.sessions.close();
      await this.mainSessions.exec(`DROP DATABASE IF EXISTS \`${database(id)}\``);
      await rm(this.dirOf(id), { recursive: true, force: true });
    });
    this.changing = run.catch(() => undefined);
    return run;
  }

  build(id: string, files: DatafileText[]): Promise<BuildReport> {
    const member = this.members.get(id);
    if (!member) return Promise.reject(new Error(`No workspace ${id}`));
    // One build of a workspace at a time, its files kept before the next one starts.
    const run = member.building.then(() => this.buildNow(member, files));
    member.building = run.catch(() => undefined);
    return run;
  }

  private async buildNow(member: Member, files: DatafileText[]): Promise<BuildReport> {
    const dir = member.projectDir ?? member.runtime.served.snapshot.dir;
    const isConnection = (f: DatafileText) => f.name.endsWith('.connection');
    const connections = files.filter(isConnection).map((f) => parseConnection(f.text, f.name));
    const datafiles = files.filter((f) => !isConnection(f));
    // Its datafiles were sent by its own admin token: they read this workspace's data sources only (reach.ts).
    const read = await loadProjectFiles(dir, datafiles);
    const loaded = member.id === this.main.id ? read : confine(read);
    const sent = new Set(connections.map((c) => c.name));
    const refused = [...loaded.datasources.values()].flatMap((ds) => {
      const refuse = (line: number, problem: string) => [
        { file: ds.file, line, problem, name: ds.name, kind: 'datasource' as const },
      ];
      // A `<workspace>.<name>` data source lives in a database of its own, which every workspace would share.
      if (ds.name.includes('.'))
        return refuse(1, `"${ds.name}" is a data source shared from another workspace: a build cannot define one`);
      // As Tinybird's build: the connection a connector reads through comes in the same build (none runs here, but
      // a build that Tinybird would refuse must not pass locally).
      if (ds.connection && !sent.has(ds.connection.name))
        return refuse(
          ds.connection.line,
          `connection "${ds.connection.name}" not found: the build has no ${ds.connection.name}.connection file`,
        );
      return [];
    });
    if (refused.length > 0) throw new BuildRefused(refused);
    const { before, after } = await member.runtime.build(loaded);
    // Not the connections: they may hold credentials, and nothing here reads them again.
    if (member.projectDir) await keepFiles(member.projectDir, datafiles);
    this.options.log(
      `Built workspace ${member.name}: ${after.datasources.size} data sources, ${after.pipes.size} pipes.`,
    );
    for (const connection of connections) this.options.log(connectionWarning(connection));
    return buildReport(before, after, connections);
  }

  /** Closes the sessions of every workspace but the default one (the server closes that). */
  async close(): Promise<void> {
    for (const member of this.members.values()) await member.sessions?.close();
  }

  private async start(stored: Stored): Promise<Member> {
    const { dataDir, eventsRps, log, queryLimits } = this.options;
    const dir = this.dirOf(stored.id);
    // A dot folder: a data dir inside the --project folder must not give the default workspace these datafiles.
    const projectDir = join(dir, '.datafiles');
    await mkdir(projectDir, { recursive: true });
    const snapshot = confine(await loadProject(projectDir));
    logProblems(snapshot.problems, log);
    const workspace = await workspaceFor(snapshot, { dataDir: dir }, { workspaceId: stored.id });
    const sessions = await Sessions.open(dataDir, log, queryLimits, database(stored.id));
    try {
      const runtime = await Runtime.start(sessions, snapshot, workspace, { projectDir, dataDir: dir, eventsRps, log });
      const member: Member = { ...stored, runtime, sessions, projectDir, building: Promise.resolve() };
      this.members.set(stored.id, member);
      return member;
    } catch (error) {
      await sessions.close();
      throw error;
    }
  }

  private entry(member: Member): WorkspaceEntry {
    return { id: member.id, name: member.name, token: member.runtime.served.workspace.adminToken };
  }

  private dirOf(id: string): string {
    return join(this.options.dataDir, 'workspaces', id);
  }

  private async save(): Promise<void> {
    const stored = [...this.members.values()].filter((m) => m !== this.first).map(({ id, name }) => ({ id, name }));
    await mkdir(this.options.dataDir, { recursive: true });
    await writeFile(join(this.options.dataDir, FILE), `${JSON.stringify(stored, null, 2)}\n`);
  }
}

/** The ClickHouse database of a created workspace. */
const database = (id: string) => `_ws_${id.replace(/-/g, '')}`;

async function readStored(dataDir: string): Promise<Stored[]> {
  try {
    return JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as Stored[];
  } catch {
    return [];
  }
}

/** The datafiles of the last build, in place of the ones before. */
async function keepFiles(dir: string, files: readonly DatafileText[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const { name, text } of files) await writeFile(join(dir, basename(name)), text);
}

function bearer(request: Request): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim();
}

/** The workspace a token names, read without checking it (the workspace's own auth checks it). */
function workspaceIdOf(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    if (token.startsWith('p.')) {
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        u?: unknown;
      };
      return typeof claims.u === 'string' ? claims.u : undefined;
    }
    const id = decodeJwt(token)['workspace_id'];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
