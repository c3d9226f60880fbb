// The playground's live bookings, shaped like the data already there: the stream reads how many bookings each hour of
// the day holds (the seed's volume and daily rhythm, over the last week of data), fills the time since the newest row at
// that pace (a playground restarted a day later shows no hole), then keeps appending at the pace of the current hour.
// So the last 24 hours always look like the 24 before them, instead of the live hour towering over the seeded ones.
import { demoBooking } from '../../src/local/dev/seed';
import { mulberry32 } from '../../src/local/dev/mulberry32';

const HOUR = 3_600_000;
/** A gap longer than this is filled for its last 30 days only (the seed's own span). */
const MAX_FILL = 30 * 24 * HOUR;
const BATCH = 5_000;

/** Bookings per hour for each UTC hour of the day (0-23), and the time of the newest booking (epoch ms). */
export interface DataShape {
  perHour: number[];
  newest: number;
}

interface Target {
  /** Base URL of the local server (or a Tinybird workspace). */
  url: string;
  /** A token that reads the data source with SQL and appends to it: the admin token. */
  token: string;
  datasource?: string;
}

/** Reads the shape of the data: the average bookings per UTC hour of the day over the week before the newest row. */
export async function readShape({ url, token, datasource = 'events' }: Target): Promise<DataShape | null> {
  const sql = `WITH (SELECT toStartOfHour(max(timestamp)) FROM ${datasource}) AS top,
    (SELECT greatest(min(timestamp), top - INTERVAL 7 DAY) FROM ${datasource}) AS first
  SELECT toHour(timestamp) AS hour, count() AS bookings, toUnixTimestamp(any(top)) AS top_s,
    toUnixTimestamp(any(first)) AS first_s, toUnixTimestamp((SELECT max(timestamp) FROM ${datasource})) AS newest_s
  FROM ${datasource} WHERE timestamp >= first AND timestamp < top GROUP BY hour FORMAT JSON`;
  const res = await fetch(new URL('/v0/sql', url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q: sql }),
  });
  if (!res.ok) throw new Error(`reading the data's shape: the Query API answered ${res.status}: ${await res.text()}`);
  const rows = (
    (await res.json()) as {
      data: { hour: number; bookings: number; top_s: number; first_s: number; newest_s: number }[];
    }
  ).data;
  const first = rows[0];
  if (!first) return null;
  const days = Math.max(1, Math.round((first.top_s - first.first_s) / 86_400));
  const perHour = Array.from({ length: 24 }, () => 0);
  for (const r of rows) perHour[r.hour] = r.bookings / days;
  return { perHour, newest: first.newest_s * 1000 };
}

/**
 * Booking times for [from, to): each UTC hour gets its share of `perHour` (a part hour a part share), spread at random
 * inside it. The fractions carry over, so long gaps keep the exact volume.
 */
export function gapTimes(perHour: readonly number[], from: number, to: number, rand: () => number): number[] {
  const times: number[] = [];
  let carry = 0;
  for (let start = Math.max(from, to - MAX_FILL); start < to;) {
    const end = Math.min(to, (Math.floor(start / HOUR) + 1) * HOUR);
    carry += ((perHour[new Date(start).getUTCHours()] ?? 0) * (end - start)) / HOUR;
    const n = Math.floor(carry);
    carry -= n;
    for (let i = 0; i < n; i++) times.push(Math.floor(start + rand() * (end - start)));
    start = end;
  }
  return times.sort((a, b) => a - b);
}

async function append({ url, token, datasource = 'events' }: Target, rows: Record<string, unknown>[]): Promise<void> {
  const endpoint = new URL('/v0/events', url);
  endpoint.searchParams.set('name', datasource);
  endpoint.searchParams.set('wait', 'true');
  for (let i = 0; i < rows.length; i += BATCH) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
      body: rows
        .slice(i, i + BATCH)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    });
    if (!res.ok) throw new Error(`Events API answered ${res.status}: ${await res.text()}`);
  }
}

/**
 * Fills the gap since the newest booking, then appends new bookings at the data's own pace until `stop()`.
 * Resolves with null (and streams nothing) when the data source is empty.
 */
export async function startSeedShapedStream(
  target: Target & { onError?: (error: unknown) => void; seed?: number },
): Promise<{ shape: DataShape; filled: number; stop(): Promise<void> } | null> {
  const shape = await readShape(target);
  if (!shape) return null;
  const rand = mulberry32(target.seed ?? Date.now());
  const now = Date.now();
  const gap = gapTimes(shape.perHour, shape.newest + 1000, now, rand);
  await append(
    target,
    gap.map((t) => demoBooking(rand, new Date(t))),
  );
  const onError = target.onError ?? ((error: unknown) => console.error(error));
  let due = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    due += (shape.perHour[new Date().getUTCHours()] ?? 0) / 3600;
    const n = Math.floor(due);
    if (n === 0) return;
    due -= n;
    const rows = Array.from({ length: n }, () => demoBooking(rand, new Date()));
    inFlight = inFlight.then(() => append(target, rows)).catch(onError);
  }, 1000);
  return {
    shape,
    filled: gap.length,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
