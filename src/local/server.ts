import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { CORS_HEADERS } from './http/app';
import { scheduleCopies } from './dev/copy-scheduler';
import { loadProject, type DatafileProblem } from './project';
import { Sessions, type QueryLimits } from './engine/sessions';
import { HttpError, LocalServerError, shuttingDown } from './errors';
import { seedDemoData, type SeedOptions } from './dev/seed';
import { loadFixtures, type LoadedFixture } from './dev/fixtures';
import { watchProject } from './dev/watch-project';
import { Drain } from './drain';
import { Runtime, workspaceFor } from './runtime';
import { Workspaces } from './workspaces';

/**
 * Options of {@link startLocalServer}.
 *
 * @example
 * ```ts
 * const options: LocalServerOptions = { project: 'tinybird', port: 0, dataDir: '.tinybird', seed: { rows: 20_000, seed: 42 } };
 * ```
 */
export interface LocalServerOptions {
  /** Folder of classic Tinybird datafiles (`*.datasource`, `*.pipe`), e.g. 'examples/tinybird'. */
  project: string;
  /** Default 7181, like Tinybird Local. 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Where the data and the workspace's tokens live; a restart on the same folder keeps both. Default '.tinybird'. */
  dataDir?: string;
  /** Use this admin token instead of the stored (or a new) one. JWTs are signed with it. */
  adminToken?: string;
  workspaceId?: string;
  /** Fill the demo project's `events` with deterministic bookings when it is empty. */
  seed?: boolean | SeedOptions;
  /**
   * Load `fixtures/<data source>.ndjson|csv` of the project into the data sources that are empty, as Tinybird's
   * `tb build` / `tb dev` do for Tinybird Local. Default false; `react-tinybird dev` turns it on.
   */
  fixtures?: boolean;
  /** Requests per second the Events API takes per data source. Default 1000. */
  eventsRps?: number;
  /**
   * Limits of each read query (pipes, `q=`, the Query API): seconds (408 past it), bytes of memory (400 past it),
   * queries one token may have waiting or running (429 past it), and how many run side by side.
   * Default `{ timeout: 30, memory: 1 GiB, perToken: 32, concurrency: 2 }`.
   */
  queryLimits?: QueryLimits;
  /**
   * How long close() lets requests in flight finish (ms) before answering the rest 503 and closing chDB. Default 5000.
   */
  closeTimeout?: number;
  /**
   * Re-read the datafiles when one changes, as a build: edited pipes and TOKEN lines apply at once, new data sources
   * are created, one whose schema changed keeps its rows (moved by column name where they convert), one whose file is
   * gone is dropped. A file with an error (or that ClickHouse refuses) is reported, nothing of the change is applied
   * and the previous version goes on serving. Default false; `react-tinybird dev` turns it on.
   */
  watch?: boolean;
  /** Where messages go (schema changes, ignored datafile keywords, internal errors). Default console.warn; false for none. */
  log?: ((message: string) => void) | false;
}

/**
 * A running local server.
 *
 * @example
 * ```ts
 * const { url, adminToken, close } = await startLocalServer({ project: 'tinybird' });
 * ```
 */
export interface LocalServer {
  /** Base URL, e.g. http://127.0.0.1:7181. */
  url: string;
  /** The workspace admin token: the secret JWTs are signed with. Keep it on the server side. */
  adminToken: string;
  workspaceId: string;
  /** Static tokens of the datafiles' TOKEN lines, by name. */
  tokens: Record<string, string>;
  /** Rows the seed wrote (0 when it did not run or the table had rows). */
  seeded: number;
  /** The fixture files loaded at start (with `fixtures`), with their row counts. */
  fixtures: readonly LoadedFixture[];
  /**
   * Datafiles left out of the project being served (a parse error, or ClickHouse refused them): the rest serves,
   * each was logged at start, `GET /v0/pipes` lists them and a request to a refused pipe answers 400 naming it.
   */
  readonly problems: readonly DatafileProblem[];
  /**
   * Re-reads the datafiles now (what `watch` does on a change) and swaps the new version in as a build does. Rejects
   * with the datafiles' errors (parse errors, or what ClickHouse refused), and the previous version goes on serving.
   */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a Tinybird-compatible API server on embedded ClickHouse (chDB) for a folder of datafiles: pipes
 * (`/v0/pipes/<name>.json|csv|ndjson`), the Query API (`/v0/sql`), the Events API (`/v0/events`), JWT minting
 * (`POST /v0/tokens/`) and Tinybird Local's `GET /tokens`. Data and tokens persist in `dataDir`.
 *
 * @example
 * ```ts
 * import { startLocalServer } from 'react-tinybird/local';
 *
 * const server = await startLocalServer({ project: 'examples/tinybird', dataDir: '.tinybird', seed: true });
 * const res = await fetch(`${server.url}/v0/pipes/top_airlines.json?limit=3`, {
 *   headers: { Authorization: `Bearer ${server.adminToken}` },
 * });
 * console.log((await res.json()).data);
 * await server.close();
 * ```
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log =
    options.log === false ? () => {} : (options.log ?? ((m: string) => console.warn(`[react-tinybird] ${m}`)));
  const projectDir = resolve(options.project);
  const project = await loadProject(projectDir);
  for (const warning of project.warnings) log(warning);
  const dataDir = resolve(options.dataDir ?? '.tinybird');
  const workspace = await workspaceFor(project, { dataDir }, options);
  // Listen before opening chDB: a port in use fails in milliseconds, before the engine loads.
  let workspaces: Workspaces | undefined;
  const drain = new Drain();
  const listener = getRequestListener(async (request, { incoming }) => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
    // The app of the generation served now (of the workspace the token names): a reload or a build swaps it whole,
    // and a request in flight finishes on its own.
    const app = workspaces?.appFor(request);
    const response = drain.closing
      ? unavailable(shuttingDown())
      : app
        ? await drain.track(Promise.resolve(app.fetch(request)), () => unavailable(shuttingDown()))
        : unavailable(new HttpError(503, 'The local server is starting'));
    // CORS around the whole app, so error responses and body-limit answers carry the headers too.
    for (const [key, value] of Object.entries(CORS_HEADERS)) response.headers.set(key, value);
    // While closing, a kept-alive connection would only bring another request to refuse: end it after this answer.
    if (drain.closing) response.headers.set('Connection', 'close');
    // An answer given before the request's body was read (an unknown data source) would leave the rest of the body on
    // the connection, and the client's next request on it would find it closed: read it first (up to a bound, past
    // which the connection is ended and the client told so).
    if (!incoming.complete && !request.bodyUsed && !(await discardBody(request)))
      response.headers.set('Connection', 'close');
    return response;
  });
  const server = createServer(listener);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 7181, host);
  const closed = new Promise<void>((done) => server.once('close', () => done()));
  const stopListening = () => {
    server.close();
    server.closeAllConnections();
    return closed;
  };
  let sessions: Sessions;
  let started: Runtime;
  try {
    sessions = await Sessions.open(dataDir, log, options.queryLimits);
  } catch (error) {
    await stopListening();
    throw error;
  }
  try {
    const eventsRps = options.eventsRps ?? 1000;
    started = await Runtime.start(sessions, project, workspace, { projectDir, dataDir, eventsRps, log });
    let seeded = 0;
    if (options.seed) {
      const seedOptions = options.seed === true ? {} : options.seed;
      const { engine } = started.served;
      if ((await engine.count('events').catch(() => 0)) === 0) seeded = await seedDemoData(engine, seedOptions);
    }
    const fixtures = options.fixtures ? await loadFixtures(started.served.engine, started.served.snapshot, log) : [];
    const others = await Workspaces.open(started, sessions, projectDir, {
      dataDir,
      eventsRps,
      log,
      ...(options.queryLimits && { queryLimits: options.queryLimits }),
    });
    // Requests are answered from here on (before, 503: starting).
    workspaces = others;
    const tokens = { ...workspace.tokens };
    const reload = () =>
      started.reload().then(() => {
        Object.assign(tokens, started.served.workspace.tokens);
      });
    const stopWatching = options.watch
      ? watchProject(projectDir, () => {
          reload().then(
            () => log(`Reloaded the datafiles of ${projectDir}.`),
            (error: unknown) => log(`${(error as Error).message} (still serving the previous version)`),
          );
        })
      : () => {};
    // Every workspace's copy pipes, each on its own data: a pipe is run by the workspace serving it (one rebuilt since
    // the minute began no longer serves that pipe, and the new version's is due next time).
    const stopCopies = scheduleCopies(
      () => others.served().flatMap(({ served }) => [...served.snapshot.pipes.values()]),
      (pipe) => {
        const owner = others.served().find(({ served }) => served.snapshot.pipes.get(pipe.name) === pipe);
        if (!owner) return Promise.resolve();
        const what = `Copy pipe ${pipe.name}${owner.main ? '' : ` of workspace ${owner.name}`} (${pipe.copy!.schedule})`;
        return owner.served.engine.copy(pipe, {}).then(
          (rows) => log(`${what}: ${rows} rows into ${pipe.copy!.datasource}.`),
          (error: unknown) => log(`${what} failed: ${(error as Error).message}`),
        );
      },
    );
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${shown}:${port}`,
      adminToken: workspace.adminToken,
      workspaceId: workspace.id,
      tokens,
      seeded,
      fixtures,
      get problems() {
        return started.served.snapshot.problems;
      },
      reload,
      close: () => {
        stopWatching();
        stopCopies();
        return (closing ??= shutDown(server, drain, others, sessions, options.closeTimeout ?? 5000, closed));
      },
    };
  } catch (error) {
    await stopListening();
    await sessions.close();
    throw error;
  }
}

/**
 * Stops taking connections, lets the requests in flight finish (for up to `timeout` ms: the rest are answered 503),
 * and only then closes chDB, so no request ever meets a closed session.
 */
async function shutDown(
  server: Server,
  drain: Drain,
  workspaces: Workspaces,
  sessions: Sessions,
  timeout: number,
  closed: Promise<void>,
): Promise<void> {
  drain.closing = true;
  server.close();
  // Node closes idle kept-alive connections on close(); the busy ones end after their answer (Connection: close).
  await drain.settled(timeout);
  await workspaces.close();
  await sessions.close();
  // Answers are written by now; a connection still open after a moment is a client that never read its answer.
  const linger = setTimeout(() => server.closeAllConnections(), 1000);
  await closed;
  clearTimeout(linger);
}

function unavailable(error: HttpError): Response {
  return Response.json({ error: error.message, documentation: error.documentation }, { status: error.status });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new LocalServerError(
              'PORT_IN_USE',
              `Port ${port} on ${host} is in use (another local server or Tinybird Local?): pick another with --port, or stop the other one.`,
            )
          : error,
      );
    });
    server.listen(port, host, () => done((server.address() as AddressInfo).port));
  });
}

/** Reads and drops the rest of a request's body; false when it is longer than `max` bytes (then left unread). */
async function discardBody(request: Request, max = 64 * 1024 * 1024): Promise<boolean> {
  if (!request.body) return true;
  const reader = request.body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      read += value.byteLength;
      if (read > max) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}
