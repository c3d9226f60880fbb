/** One stored row: its data source and its NDJSON line. */
export type StoredRow = [datasource: string, line: string];

/**
 * Where an {@link EventQueue} keeps its unsent rows between page loads. Each queue owns one `localStorage` entry,
 * `<namespace>:<random id>`, and holds a Web Lock of the same name while its page lives: an entry whose lock is free
 * belongs to a page that is gone, and the first page to take that lock adopts the rows, so two tabs never send them both.
 *
 * Why `localStorage` and not IndexedDB: the write that matters happens in `pagehide`, and only a synchronous write is
 * sure to finish before the page is gone (an IndexedDB transaction started there may never commit). Measured in
 * Chromium (`npm run bench -- appends`, 2026-12-04 run): 600 rows of the demo shape (114 KB) take 0.10 ms (an IndexedDB
 * put, 0.80 ms).
 * Its quota (~5 MB per origin) is why what is stored is capped (`maxStoredBytes`).
 */
export interface EventStore {
  /**
   * Replaces this queue's entry (an empty list removes it). `closed`: the page is going away. False when refused; the
   * entry is then removed, so rows it held that were acknowledged since are never resent.
   */
  write(rows: readonly StoredRow[], closed?: boolean): boolean;
  /**
   * Takes this queue's lock, then hands `take` the rows of its own entry (left by this page before the back/forward
   * cache) and of every entry whose page is gone (each removed once taken).
   */
  adopt(take: (rows: StoredRow[]) => void): void;
  /** Lets other pages adopt this queue's entry (the page is going away or into the back/forward cache). */
  release(): void;
  /** Removes every entry of the namespace, this page's and others'. */
  clear(): void;
}

interface Locks {
  request(name: string, options: { ifAvailable: true }, grant: (lock: unknown) => unknown): Promise<unknown>;
  request(name: string, grant: () => Promise<void>): Promise<unknown>;
}

/** The stored text: rows as JSON arrays around their own lines, so a line is never escaped a second time. */
export const formatEntry = (rows: readonly StoredRow[], closed: boolean): string =>
  `{"closed":${closed},"rows":[${rows.map(([datasource, line]) => `[${JSON.stringify(datasource)},${line}]`).join(',')}]}`;

/** A stored entry read back (each row's line re-serialised as NDJSON), or undefined when it is not one. */
export function parseEntry(text: string | null): { closed: boolean; rows: StoredRow[] } | undefined {
  try {
    const { closed, rows } = JSON.parse(text!) as { closed: boolean; rows: [string, object][] };
    return { closed, rows: rows.map(([datasource, row]) => [datasource, JSON.stringify(row)]) };
  } catch {
    return undefined;
  }
}

/**
 * Opens the store for one queue, or returns undefined when this page has no usable `localStorage` (the queue then keeps
 * rows in memory only). Never throws.
 */
export function openEventStore(namespace: string): EventStore | undefined {
  // `localStorage` when this page may use it: not in Node, nor in a sandboxed frame or with storage blocked (it throws).
  let storage: Storage | null | undefined;
  try {
    storage = globalThis.window?.localStorage;
  } catch {
    return undefined;
  }
  if (!storage) return undefined;
  const prefix = `${namespace}:`;
  const own = prefix + Math.random().toString(36).slice(2);
  // Web Locks exist in secure contexts (https, localhost) of every current browser. Without them (plain http) a page
  // cannot tell whether another one is alive, so it adopts only entries written at pagehide, and two tabs opened at the
  // same instant could both send one (best effort).
  const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
  /** Releases this queue's lock: null while the request waits, undefined when not held. */
  let held: (() => void) | null | undefined;

  /** The other entries of the namespace. */
  const keys = () => Object.keys(storage).filter((key) => key.startsWith(prefix) && key !== own);

  return {
    write(rows, closed = false) {
      try {
        storage.removeItem(own);
        if (rows.length) storage.setItem(own, formatEntry(rows, closed));
        return true;
      } catch {
        return false;
      }
    },
    adopt(handle) {
      /** Hands the rows of entry `key` over (removing it, unless it is this queue's own entry, still being kept). */
      const take = (key: string) => {
        const entry = parseEntry(storage.getItem(key));
        if (key !== own) storage.removeItem(key);
        if (entry) handle(entry.rows);
      };
      const others = () => {
        for (const key of keys())
          if (!locks) {
            if (parseEntry(storage.getItem(key))?.closed) take(key);
          } else
            void locks.request(key, { ifAvailable: true }, (lock) => {
              // The lock is ours only inside this callback: read and remove in it, so no other page takes these rows.
              if (lock) take(key);
            });
      };
      const granted = () => {
        take(own);
        others();
      };
      if (held) return others();
      if (held === null) return; // the grant will adopt
      if (!locks) {
        held = () => {};
        return granted();
      }
      held = null;
      void locks.request(
        own,
        () =>
          new Promise<void>((resolve) => {
            // Released before the grant came (the page hid at once): let go now.
            if (held !== null) return resolve();
            held = resolve;
            granted();
          }),
      );
    },
    release() {
      held?.();
      held = undefined;
    },
    clear() {
      for (const key of [own, ...keys()]) storage.removeItem(key);
    },
  };
}
