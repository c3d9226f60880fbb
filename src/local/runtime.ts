// What the server serves at one moment: a project snapshot, the token rules made from it and the HTTP app around
// both. A reload of the --project folder and a `POST /v1/build` go the same way (load -> build aside -> swap): the
// next project is made in a scratch database beside the running one, its changed tables are swapped in with their
// rows, and the new generation is served with one assignment: a request sees the old project or the new, never half
// of each, and a refused one leaves the old one serving, its data untouched.
import type { Hono } from 'hono';
import { Engine } from './engine/engine';
import { changedTables, syncSchema } from './engine/schema-sync';
import type { Sessions } from './engine/sessions';
import { StagedBuild } from './engine/staged-build';
import { sessionWriter } from './engine/writer';
import { endpointProblems } from './engine/endpoint-problems';
import { createApp } from './http/app';
import { BuildRefused } from './http/v1/build-report';
import { Auth } from './http/auth';
import { loadWorkspace, type Workspace } from './http/workspace';
import { confine } from './project/reach';
import { loadProject, type DatafileProblem, type ProjectSnapshot } from './project';

/** One generation of the server: everything a request needs, made together and replaced together. */
export interface Served {
  readonly snapshot: ProjectSnapshot;
  readonly auth: Auth;
  readonly app: Hono;
  /** The snapshot served by the chDB sessions (what the routes, the seed and the copy scheduler call). */
  readonly engine: Engine;
  readonly workspace: Workspace;
}

export interface RuntimeOptions {
  projectDir: string;
  dataDir: string;
  eventsRps: number;
  log: (message: string) => void;
}

export class Runtime {
  /** One reload at a time, in order: a burst of saves must not apply an older read last. */
  private reloading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly sessions: Sessions,
    private readonly options: RuntimeOptions,
    /** The last reload, when it was refused: every generation's listings show its datafiles. */
    private readonly refused: RefusedEdit,
    private current: Served,
  ) {}

  /** What is served now. Read it once per request: a reload may swap it at any await. */
  get served(): Served {
    return this.current;
  }

  /**
   * Syncs the database to `snapshot` (a loaded project) and builds the first generation around `workspace`. Unlike a
   * reload, a start refuses nothing whole: a datafile ClickHouse refuses is left out and listed, and the rest serves.
   */
  static async start(
    sessions: Sessions,
    snapshot: ProjectSnapshot,
    workspace: Workspace,
    options: RuntimeOptions,
  ): Promise<Runtime> {
    const synced = await startSync(sessions, snapshot, options.log);
    logProblems(synced.snapshot.problems, options.log);
    const refused: RefusedEdit = { problems: [] };
    return new Runtime(sessions, options, refused, build(sessions, synced.snapshot, workspace, options, refused));
  }

  /**
   * Re-reads the datafiles and swaps the new generation in, as a build does: unchanged data sources keep their rows,
   * a changed one gets them converted to its new columns where ClickHouse can, one whose file is gone is dropped.
   * Rejects with the datafiles an edit broke (a parse error, or ClickHouse refused a table, a materialized view or an
   * endpoint): then the previous generation goes on serving, with its data.
   */
  reload(): Promise<void> {
    this.reloading = this.reloading
      .catch(() => undefined)
      .then(() => this.next())
      .then(
        () => void (this.refused.problems = []),
        (error: unknown) => {
          if (error instanceof BuildRefused) this.refused.problems = error.problems;
          throw error;
        },
      );
    return this.reloading;
  }

  /**
   * A build: serves `loaded` (a whole project, e.g. the datafiles of a `POST /v1/build`) in place of the current one,
   * queued with the reloads so two builds never interleave. All or nothing: refused whole, with nothing changed, when
   * a datafile has an error or ClickHouse refuses any of it (the project is first made in a scratch database, see
   * StagedBuild); else the tables that changed are swapped in with their rows, those of data sources gone dropped.
   * Resolves with the snapshots before and after.
   */
  build(loaded: ProjectSnapshot): Promise<{ before: ProjectSnapshot; after: ProjectSnapshot }> {
    const run = this.reloading.catch(() => undefined).then(() => this.replace(loaded));
    this.reloading = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private replace(loaded: ProjectSnapshot): Promise<{ before: ProjectSnapshot; after: ProjectSnapshot }> {
    if (loaded.problems.length > 0) return Promise.reject(new BuildRefused(loaded.problems));
    return this.swap(loaded, (staged) => {
      if (staged.problems.length > 0) throw new BuildRefused(staged.problems);
    });
  }

  /**
   * A reload: the project folder read again and built as a build is (see {@link swap}), but a datafile that was left
   * out of the version serving and is still refused the same way does not stop it: the project serves without it, as
   * at start. Anything newly refused (at parse time or by ClickHouse) rejects the reload, and the previous version
   * goes on serving.
   */
  private async next(): Promise<void> {
    const { log } = this.options;
    const served = this.current;
    // A workspace built over /v1 stays confined to its own data sources, whatever reloads it.
    const read = await loadProject(this.options.projectDir);
    const loaded = served.snapshot.confined === true ? confine(read) : read;
    const broken = loaded.problems.filter((p) => !listed(served.snapshot.problems, p));
    if (broken.length > 0) throw new BuildRefused(broken);
    for (const warning of loaded.warnings) log(warning);
    const known = (p: DatafileProblem) => listed(served.snapshot.problems, p);
    await this.swap(
      loaded,
      async (staged) => {
        const fresh = staged.problems.filter((p) => !known(p));
        if (fresh.length === 0) return;
        // A start plans no endpoint: one that already failed in the version serving is not this edit's doing.
        const failing = await endpointProblems(served.engine, served.snapshot);
        const refused = fresh.filter((p) => !listed(failing, p));
        if (refused.length > 0) throw new BuildRefused(refused);
      },
      known,
    );
  }

  /**
   * Serves `loaded` in place of the current project, all or nothing: it is first made in a scratch database (see
   * StagedBuild), and `check` may refuse it there (by throwing) with nothing served changed. Else the tables that
   * changed are swapped in with their rows, those of data sources gone dropped, and the new generation served.
   */
  private async swap(
    loaded: ProjectSnapshot,
    check: (staged: StagedBuild) => void | Promise<void>,
    tolerated?: (problem: DatafileProblem) => boolean,
  ): Promise<{ before: ProjectSnapshot; after: ProjectSnapshot }> {
    const { log } = this.options;
    const served = this.current;
    const staged = await StagedBuild.stage(this.sessions, loaded, tolerated);
    try {
      await check(staged);
      const identity = { adminToken: served.workspace.adminToken, workspaceId: served.workspace.id };
      const workspace = await workspaceFor(staged.snapshot, this.options, identity);
      const gone = [...served.snapshot.datasources.keys()].filter((name) => !staged.snapshot.datasources.has(name));
      const synced = await this.sessions.serialize(async (session) => {
        const writer = sessionWriter(session);
        for (const note of await staged.apply(writer, gone)) log(note);
        // The tables are the staged ones now: the sync only makes the materialized views again (and fills new targets).
        return syncSchema(writer, staged.snapshot, log);
      });
      await this.sessions.refreshTables();
      // Only what the served data alone can refuse (filling a new target from its rows): the rest was checked aside.
      logProblems(synced.problems, log);
      this.current = build(this.sessions, synced.snapshot, workspace, this.options, this.refused);
      return { before: served.snapshot, after: synced.snapshot };
    } finally {
      await staged.discard();
    }
  }
}

/**
 * Whether `problems` has `problem`: the same file refused for the same reason (the database a table was made in, the
 * scratch one or the served one, is not part of the reason).
 */
function listed(problems: readonly DatafileProblem[], problem: DatafileProblem): boolean {
  const reason = (p: DatafileProblem) => p.problem.replace(/`?\b_(?:build|ws)_[0-9a-f]{32}`?\.|`?\bdefault`?\./g, '');
  return problems.some((q) => q.file === problem.file && reason(q) === reason(problem));
}

/**
 * The schema sync of a start, as one writer step, then the tables the SQL guard knows. When the data directory holds
 * tables whose data sources' columns changed while the server was stopped, the project is first made aside and those
 * tables swapped in with their rows, as a reload does (StagedBuild: rows moved by column name, converted where
 * ClickHouse can). The ordinary sync then runs over the snapshot as loaded, so the start leaves out and lists what
 * ClickHouse refuses, exactly as before; a table that could not be made aside is recreated there, its rows dropped.
 */
async function startSync(sessions: Sessions, snapshot: ProjectSnapshot, log: (message: string) => void) {
  const changed = await sessions.serialize((writer) => changedTables(sessionWriter(writer), snapshot));
  const staged =
    changed.length === 0
      ? undefined
      : await StagedBuild.stage(sessions, snapshot, () => true, { endpoints: false }).catch((error: unknown) => {
          log(`The tables of ${changed.join(', ')} could not be made aside (${(error as Error).message}).`);
          return undefined;
        });
  try {
    const synced = await sessions.serialize(async (session) => {
      const writer = sessionWriter(session);
      // Nothing is dropped at start: a data source whose file is gone keeps its table, as it always did.
      if (staged)
        await staged.apply(writer, []).then(
          (notes) => notes.forEach((note) => log(note)),
          (error: unknown) => log(`Moving the rows of ${changed.join(', ')} failed: ${(error as Error).message}`),
        );
      return syncSchema(writer, snapshot, log);
    });
    await sessions.refreshTables();
    return synced;
  } finally {
    await staged?.discard();
  }
}

/** The datafiles of the last reload, when it was refused (else none). */
interface RefusedEdit {
  problems: readonly DatafileProblem[];
}

function build(
  sessions: Sessions,
  project: ProjectSnapshot,
  workspace: Workspace,
  { dataDir, eventsRps, log }: RuntimeOptions,
  refused: RefusedEdit,
): Served {
  const engine = new Engine(sessions, project);
  const auth = new Auth(workspace, project);
  const refusedEdit = () => refused.problems;
  const app = createApp({ engine, auth, workspace, project, dataDir, eventsRps, log, refusedEdit });
  return { snapshot: project, auth, app, engine, workspace };
}

/** The workspace with a static token for every TOKEN line of `snapshot`. */
export function workspaceFor(
  snapshot: ProjectSnapshot,
  { dataDir }: Pick<RuntimeOptions, 'dataDir'>,
  identity: { adminToken?: string; workspaceId?: string },
): Promise<Workspace> {
  return loadWorkspace(dataDir, {
    ...(identity.adminToken !== undefined && { adminToken: identity.adminToken }),
    ...(identity.workspaceId !== undefined && { workspaceId: identity.workspaceId }),
    tokenNames: tokenNames(snapshot),
  });
}

/** Each datafile left out: where, why, and that the rest serves. */
export function logProblems(problems: readonly DatafileProblem[], log: (message: string) => void): void {
  for (const p of problems)
    log(`${p.file}:${p.line}: ${p.problem} (this ${p.kind} is left out; the rest of the project serves)`);
}

/** The names of the TOKEN lines: each gets a static token in the workspace. */
export function tokenNames(project: ProjectSnapshot): string[] {
  return [...project.datasources.values(), ...project.pipes.values()].flatMap((r) => r.tokens.map((t) => t.name));
}
