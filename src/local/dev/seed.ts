// Demo data for examples/tinybird: airline bookings. Bulk rows are generated inside ClickHouse (INSERT ... SELECT
// FROM numbers(N), every value a hash of the row number and the seed), so 200,000 rows take well under a second and
// the same seed always gives the same rows. streamEvents() keeps new bookings arriving through the Events API.
import type { Engine } from '../engine/engine';
import { LocalServerError } from '../errors';
import { quoteString } from '../template/quote';
import { mulberry32 } from './mulberry32';

/**
 * Options of the demo data seed (`startLocalServer({ seed })`).
 *
 * @example
 * ```ts
 * await startLocalServer({ project: 'examples/tinybird', seed: { rows: 500_000, seed: 7, days: 90 } });
 * ```
 */
export interface SeedOptions {
  /** Rows to generate. Default 200,000. */
  rows?: number;
  /** Same seed, same rows. Default 42. */
  seed?: number;
  /** Bookings spread over this many days before `end`. Default 30. */
  days?: number;
  /** The newest booking time (unix seconds or Date). Default: the start of the current hour. */
  end?: number | Date;
}

/** Airlines with their share of bookings (weights). */
export const AIRLINES: ReadonlyArray<readonly [string, number]> = [
  ['Ryanair', 18],
  ['Lufthansa', 12],
  ['easyJet', 11],
  ['Turkish Airlines', 9],
  ['British Airways', 8],
  ['Air France', 8],
  ['KLM', 7],
  ['Iberia', 6],
  ['Emirates', 5],
  ['Vueling', 5],
  ['Delta', 4],
  ['United', 3],
  ['Wizz Air', 2],
  ['Qatar Airways', 1],
  ['TAP Air Portugal', 1],
];
export const AIRPORTS = [
  'MAD',
  'BCN',
  'LHR',
  'CDG',
  'AMS',
  'FRA',
  'MUC',
  'FCO',
  'LIS',
  'DUB',
  'IST',
  'DXB',
  'DOH',
  'JFK',
  'SFO',
  'ORD',
  'ATL',
  'LAX',
] as const;
export const CABINS = ['economy', 'premium', 'business', 'first'] as const;
const CABIN_WEIGHTS = [78, 10, 9, 3];
const CABIN_PRICE = [90, 180, 520, 1400];
/** Demo users are u_0 .. u_{USERS-1}. */
export const USERS = 1000;

const COLUMNS = 'timestamp, booking_id, user_id, airline, origin, destination, passengers, price, cabin';
const cumulative = (weights: readonly number[]) =>
  weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0));

function endSeconds(end: SeedOptions['end']): number {
  if (end instanceof Date) return Math.floor(end.getTime() / 1000);
  if (typeof end === 'number') return Math.floor(end);
  return Math.floor(Date.now() / 3_600_000) * 3600;
}

const seedRows = (options: SeedOptions) => Math.max(0, Math.floor(options.rows ?? 200_000));

/** The INSERT ... SELECT that generates the demo bookings. */
export function seedSql(options: SeedOptions = {}): string {
  const rows = seedRows(options);
  const seed = Math.floor(options.seed ?? 42);
  const span = Math.max(1, Math.floor((options.days ?? 30) * 86400));
  const end = endSeconds(options.end);
  const airlineCum = cumulative(AIRLINES.map(([, w]) => w));
  const cabinCum = cumulative(CABIN_WEIGHTS);
  const h = (salt: number) => `cityHash64(number, ${seed}, ${salt})`;
  // The inner SELECT computes two helper columns (o, c); the outer one keeps the table's.
  return `INSERT INTO events (${COLUMNS})
SELECT ${COLUMNS} FROM (SELECT
  toDateTime(${end} - (${h(1)} % ${span})) AS timestamp,
  lower(hex(${h(2)})) AS booking_id,
  concat('u_', toString(${h(3)} % ${USERS})) AS user_id,
  [${AIRLINES.map(([name]) => quoteString(name)).join(', ')}][arrayFirstIndex(w -> w > ${h(4)} % ${airlineCum.at(-1)}, [${airlineCum.join(', ')}])] AS airline,
  ${h(5)} % ${AIRPORTS.length} AS o,
  [${AIRPORTS.map(quoteString).join(', ')}][o + 1] AS origin,
  [${AIRPORTS.map(quoteString).join(', ')}][(o + 1 + ${h(6)} % ${AIRPORTS.length - 1}) % ${AIRPORTS.length} + 1] AS destination,
  toUInt8(multiIf(${h(7)} % 100 < 62, 1, ${h(7)} % 100 < 86, 2, ${h(7)} % 100 < 95, 3, 4)) AS passengers,
  arrayFirstIndex(w -> w > ${h(8)} % ${cabinCum.at(-1)}, [${cabinCum.join(', ')}]) AS c,
  round([${CABIN_PRICE.join(', ')}][c] * passengers * (0.6 + (${h(9)} % 900) / 1000), 2) AS price,
  [${CABINS.map(quoteString).join(', ')}][c] AS cabin
FROM numbers(${rows}))`;
}

/** Fills the demo project's `events` with deterministic bookings. Returns the number of rows written. */
export async function seedDemoData(engine: Engine, options: SeedOptions = {}): Promise<number> {
  const events = engine.project.datasources.get('events');
  const needed = COLUMNS.split(', ');
  if (!events || needed.some((c) => !events.columns.some((col) => col.name === c))) {
    throw new LocalServerError(
      'NOT_THE_DEMO_PROJECT',
      `--seed fills the demo project's events data source (columns ${needed.join(', ')}); this project has none.`,
    );
  }
  await engine.exec(seedSql(options));
  return seedRows(options);
}

function pick<T>(items: readonly T[], weights: readonly number[], r: number): T {
  const cum = cumulative(weights);
  const x = r * (cum.at(-1) ?? 1);
  return items[cum.findIndex((w) => w > x)] ?? (items[0] as T);
}

/** One demo booking as the Events API takes it. */
export function demoBooking(rand: () => number, now = new Date()): Record<string, unknown> {
  const o = Math.floor(rand() * AIRPORTS.length);
  const d = (o + 1 + Math.floor(rand() * (AIRPORTS.length - 1))) % AIRPORTS.length;
  const cabin = pick(
    CABINS.map((_, i) => i),
    CABIN_WEIGHTS,
    rand(),
  );
  const passengers = pick([1, 2, 3, 4], [62, 24, 9, 5], rand());
  return {
    timestamp: now.toISOString().slice(0, 19).replace('T', ' '),
    booking_id: Math.floor(rand() * 2 ** 52)
      .toString(16)
      .padStart(13, '0'),
    user_id: `u_${Math.floor(rand() * USERS)}`,
    airline: pick(
      AIRLINES.map(([n]) => n),
      AIRLINES.map(([, w]) => w),
      rand(),
    ),
    origin: AIRPORTS[o],
    destination: AIRPORTS[d],
    passengers,
    price: Math.round((CABIN_PRICE[cabin] ?? 90) * passengers * (0.6 + rand() * 0.9) * 100) / 100,
    cabin: CABINS[cabin],
  };
}

/**
 * Options of {@link streamEvents}.
 *
 * @example
 * ```ts
 * const options: StreamEventsOptions = { url: server.url, token: server.adminToken, rate: 20 };
 * ```
 */
export interface StreamEventsOptions {
  /** The local server (or any Tinybird API) base URL. */
  url: string;
  /** A token that may append to the data source (the admin token, or a JWT with DATASOURCES:APPEND). */
  token: string;
  datasource?: string;
  /** Bookings per second. Default 5. */
  rate?: number;
  /** Batches per second. Default 1. */
  batchesPerSecond?: number;
  seed?: number;
  /** Called when a batch fails; the stream keeps going. Default: console.error. */
  onError?: (error: unknown) => void;
}

/**
 * Keeps posting new demo bookings through the Events API until `stop()`: a live demo for charts with `refreshInterval`.
 *
 * @example
 * ```ts
 * import { startLocalServer, streamEvents } from 'react-tinybird/local';
 *
 * const server = await startLocalServer({ project: 'examples/tinybird', seed: true });
 * const stream = streamEvents({ url: server.url, token: server.adminToken, rate: 20 });
 * // ... later
 * await stream.stop();
 * ```
 */
export function streamEvents(options: StreamEventsOptions): { stop(): Promise<void>; readonly sent: number } {
  const rand = mulberry32(options.seed ?? Date.now());
  const perBatch = Math.max(1, Math.round((options.rate ?? 5) / (options.batchesPerSecond ?? 1)));
  const interval = 1000 / (options.batchesPerSecond ?? 1);
  const endpoint = new URL('/v0/events', options.url);
  endpoint.searchParams.set('name', options.datasource ?? 'events');
  const onError = options.onError ?? ((error: unknown) => console.error('streamEvents:', error));
  let sent = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    const body = Array.from({ length: perBatch }, () => JSON.stringify(demoBooking(rand))).join('\n');
    inFlight = fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/x-ndjson' },
      body,
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Events API answered ${res.status}: ${await res.text()}`);
        sent += ((await res.json()) as { successful_rows: number }).successful_rows;
      })
      .catch(onError);
  };
  const timer = setInterval(tick, interval);
  tick();
  return {
    get sent() {
      return sent;
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
