// `react-tinybird dev --types FILE`: the types follow the datafiles. The server's own watcher is replaced by this one,
// which reloads the server and then regenerates the file from it (over its HTTP API: chDB opens one data directory
// per process, the server's), so the file never describes a project the server is not serving.
import { watchProject } from './adapter';
import { writeTypes, type WriteTypesResult } from './write-types';

/** What `dev` gives: the running server, and where to say what happened. */
export interface WatchTypesOptions {
  project: string;
  out: string;
  server: { url: string; adminToken: string; reload: () => Promise<void> };
  log: (message: string) => void;
  /** Keep watching (else write once). */
  watch: boolean;
}

function report(result: WriteTypesResult, out: string, log: (message: string) => void): void {
  if (!result.written) return;
  log(
    `Types: ${result.endpoints} endpoints (${result.fullyTyped} fully typed), ${result.datasources} data sources -> ${out}`,
  );
  for (const problem of result.problems) log(`  ${problem}`);
}

/**
 * Writes the types once, then (with `watch`) reloads the server and rewrites them on every datafile change; the file
 * is only touched when its text changes. Returns a function that stops watching.
 *
 * @example
 * ```ts
 * const stop = await watchTypes({ project, out: 'src/tinybird-types.ts', server, log: console.log, watch: true });
 * ```
 */
export async function watchTypes(options: WatchTypesOptions): Promise<() => void> {
  const { project, out, server, log } = options;
  const source = { url: server.url, token: server.adminToken };
  report(await writeTypes(source, out), out, log);
  if (!options.watch) return () => {};
  // One at a time, in order, as the server's own watcher does.
  let running: Promise<void> = Promise.resolve();
  return watchProject(project, () => {
    running = running
      .catch(() => undefined)
      .then(async () => {
        try {
          await server.reload();
          log(`Reloaded the datafiles of ${project}.`);
        } catch (error) {
          log(`${(error as Error).message} (still serving the previous version)`);
        }
        report(await writeTypes(source, out), out, log);
      })
      .catch((error: unknown) => log(`Types not written: ${(error as Error).message}`));
  });
}
