// Calls back when a datafile in the project folder changes, so `dev` serves an edited pipe without a restart.
import { watch } from 'node:fs';

/** Editors write a file in several steps (truncate, write, rename): wait for them to settle, then call back once. */
const SETTLE_MS = 150;
const DATAFILE = /\.(datasource|pipe|incl)$/;

/**
 * Watches `dir` (and its subfolders) for changes to `.datasource`, `.pipe` and `.incl` files and calls `onChange` once
 * per burst of changes. Returns the function that stops watching.
 *
 * @example
 * ```ts
 * const stop = watchProject('examples/tinybird', () => server.reload());
 * ```
 */
export function watchProject(dir: string, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    // Some platforms give no file name: treat that as a change too.
    if (file !== null && !DATAFILE.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  // A watcher error (the folder was removed) ends watching; the server goes on with what it has.
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
