/**
 * The event queue's decisions as pure functions of plain data: which rows go in the next batch, which fit the
 * keepalive budget when the page hides, and which are stored or evicted for the storage caps. The EventQueue class is
 * the shell around them: it owns timers, fetch and storage, and asks these what to do.
 */

/** One queued row: its append order across data sources, its NDJSON line and that line's UTF-8 length. */
export interface Entry {
  seq: number;
  /** The data source (set by the queue; the plan never reads it). */
  name?: string;
  line: string;
  bytes: number;
  sending?: boolean;
  /** Handed to a keepalive request at page hide: the browser sends it even if the page goes, so it is not stored. */
  keepalive?: boolean;
}

/**
 * The oldest unsent rows that fit in `rows` rows and `bytes` bytes of NDJSON (a newline between lines). `full`: rows
 * are waiting past that limit (or exactly at it), so there is no point in waiting for more.
 */
export function takeBatch(entries: readonly Entry[], rows: number, bytes: number): { batch: Entry[]; full: boolean } {
  const batch: Entry[] = [];
  for (const entry of entries) {
    if (entry.sending) continue;
    if (batch.length >= rows || (bytes -= entry.bytes + 1) < 0) return { batch, full: true };
    batch.push(entry);
  }
  return { batch, full: batch.length >= rows || bytes === 0 };
}

/** The next batch to send: what fits the limits, or else the oldest row alone (a row over maxBatchBytes still goes). */
export function nextBatch(entries: readonly Entry[], rows: number, bytes: number): Entry[] {
  const { batch } = takeBatch(entries, rows, bytes);
  return batch.length ? batch : takeBatch(entries, 1, Infinity).batch;
}

/** Bytes a batch takes on the wire, newlines included. */
export const batchBytes = (batch: readonly Entry[]): number => batch.reduce((sum, entry) => sum + entry.bytes + 1, 0);

/**
 * Splits the browser's keepalive budget (about 64 KB of bodies in flight per page) between data sources at page hide,
 * in order: each gets the oldest unsent rows that fit what is left. Rows already on their way with keepalive count
 * against it; a data source waiting out a backoff gets nothing (its rows would most likely fail again, with no page
 * left to retry: they are stored instead). Returns one batch per data source, empty when nothing fits.
 */
export function splitKeepalive(
  // backingOff: truthy (the retry timer) while the data source waits out a backoff.
  lanes: ReadonlyArray<{ entries: readonly Entry[]; backingOff?: unknown }>,
  budget: number,
): Entry[][] {
  for (const { entries } of lanes) budget -= batchBytes(entries.filter((entry) => entry.keepalive));
  return lanes.map(({ entries, backingOff }) => {
    if (backingOff) return [];
    const { batch } = takeBatch(entries, Infinity, budget);
    budget -= batchBytes(batch);
    return batch;
  });
}

/**
 * Which queued rows to store within `maxRows` rows and `maxBytes` bytes, after `held` rows (failed ones, always
 * stored) of `heldBytes`. `queued` is oldest first. With `evict` the newest rows are kept and the oldest are `over`
 * (evicted, handed to onDrop); without, the oldest are kept (they are sent first anyway) and the rest stay in memory.
 */
export function fitStorage<T extends { bytes: number }>(
  queued: readonly T[],
  held: number,
  heldBytes: number,
  maxRows: number,
  maxBytes: number,
  evict: boolean,
): { kept: T[]; over: T[] } {
  let fit = 0;
  let bytes = heldBytes;
  for (const item of evict ? [...queued].reverse() : queued) {
    if (held + fit >= maxRows || (bytes += item.bytes) > maxBytes) break;
    fit++;
  }
  const cut = evict ? queued.length - fit : fit;
  return evict
    ? { kept: queued.slice(cut), over: queued.slice(0, cut) }
    : { kept: queued.slice(0, cut), over: queued.slice(cut) };
}
