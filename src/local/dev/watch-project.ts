// Calls back when a datafile (or a .env file of secrets) in the project folder changes, so `dev` serves an edited pipe
// without a restart.
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** Editors write a file in several steps (truncate, write, rename): wait for them to settle, then call back once. */
const SETTLE_MS = 150;
const DATAFILE = /\.(datasource|pipe|incl)$|^\.env(\.local)?$/;

/** Dot folders (a data dir such as `.tinybird`, `.git`) and node_modules hold no datafiles. */
const skipped = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * Watches `dir` and its subfolders for changes to `.datasource`, `.pipe` and `.incl` files (and the `.env.local` and
 * `.env` that tb_secret() reads) and calls `onChange` once per burst of changes. Returns the function that stops watching.
 *
 * Each folder gets a watcher of its own, and dot folders none: a recursive watch would follow a data dir kept inside
 * the project, where ClickHouse creates and removes part folders all the time, and one removed folder's error would
 * end the whole watch. A folder that disappears stops only its own watcher; a new folder is picked up on its event.
 *
 * @example
 * ```ts
 * const stop = watchProject('examples/tinybird', () => server.reload());
 * ```
 */
export function watchProject(dir: string, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watchers = new Map<string, FSWatcher>();

  const follow = (folder: string) => {
    if (watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, file) => {
        // Some platforms give no file name: treat that as a change too. A name without a datafile ending may be a
        // new folder: look for folders to follow.
        if (file !== null && !DATAFILE.test(file)) return void followTree(folder);
        clearTimeout(timer);
        timer = setTimeout(onChange, SETTLE_MS);
      });
    } catch {
      return; // gone already
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
  };

  const followTree = (folder: string) => {
    follow(folder);
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory() && !skipped(entry.name)) followTree(join(folder, entry.name));
  };

  followTree(dir);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
