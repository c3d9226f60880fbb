// A gzip body to the Events API inflates up to 50 MB: a 100 KB request can hold a million small rows. Held as objects
// all at once they took the process's memory and the server died (V8 out of memory) on one request of an append token,
// which a tracking snippet may well show to the world. The rows are now written slice by slice, as a file import is,
// and the data of appends and imports held at once is bounded (a 429 past it).
// The server runs in its own process with a small heap (chDB allows one data directory per process), so that holding
// a request's rows at once shows as a crash quickly.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const EVENTS =
  'SCHEMA >\n    `user_id` String `json:$.user_id`,\n    `price` Float64 `json:$.price`\n\nENGINE "MergeTree"\n';
/** A row without its price: it goes to the quarantine, where each row is the heaviest to hold. */
const LINE = '{"user_id":"a"}\n';
const ROWS = 250_000;

let project: DevProject;
beforeAll(async () => {
  const options = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = `${options ?? ''} --max-old-space-size=128`;
  try {
    project = await devProject({ 'events.datasource': EVENTS });
  } finally {
    if (options === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = options;
  }
}, 60_000);
afterAll(() => project?.close());

/** Eight `send`s at once: each is written (200) or refused (429), never anything else, and both happen. */
async function burst(send: () => ReturnType<DevProject['call']>) {
  const answers = await Promise.all(Array.from({ length: 8 }, send));
  const written = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 429);
  expect(written.length + refused.length, JSON.stringify(answers.map((a) => a.status))).toBe(8);
  expect(written.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  return { written, refused };
}

it('quarantines 250,000 rows from one 10 KB gzip request and keeps serving', { timeout: 60_000 }, async () => {
  const body = gzipSync(Buffer.from(LINE.repeat(ROWS)), { level: 9 });
  expect(body.length).toBeLessThan(20_000);
  const res = await project.call('/v0/events?name=events&wait=true', {
    method: 'POST',
    headers: { 'Content-Encoding': 'gzip' },
    body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json).toEqual({ successful_rows: 0, quarantined_rows: ROWS });
  expect(await project.sql('SELECT count() AS n FROM events_quarantine')).toEqual([{ n: ROWS }]);
  expect((await project.call('/v0/health')).status).toBe(200);
});

it('answers 429 to appends past what it may hold at once, and writes the rest', { timeout: 60_000 }, async () => {
  // Eight requests of 80 KB that inflate to 20 MB each (a thousand-character user id per row): 160 MB held at once
  // on a 128 MB heap.
  const line = `{"user_id":"${'u'.repeat(1000)}","price":1}\n`;
  const rows = Math.floor((20 * 1024 * 1024) / line.length);
  const body = gzipSync(Buffer.from(line.repeat(rows)), { level: 9 });
  const send = () =>
    project.call('/v0/events?name=events&wait=true', {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip' },
      body,
    });
  const before = (await project.sql('SELECT count() AS n FROM events'))[0]!['n'] as number;
  const { written, refused } = await burst(send);
  expect(JSON.stringify(refused[0]!.json)).toMatch(/retry/i);
  expect(await project.sql('SELECT count() AS n FROM events')).toEqual([{ n: before + written.length * rows }]);
  expect((await project.call('/v0/health')).status).toBe(200);
});

it('answers 429 to file imports past what it may hold at once, and imports the rest', { timeout: 60_000 }, async () => {
  // A gzip file inflates up to 200 MB: eight of 20 MB at once, sent as 80 KB each.
  const line = `{"user_id":"${'v'.repeat(1000)}","price":2}\n`;
  const rows = Math.floor((20 * 1024 * 1024) / line.length);
  const body = gzipSync(Buffer.from(line.repeat(rows)), { level: 9 });
  const send = () => project.call('/v0/datasources?mode=append&name=events&format=ndjson', { method: 'POST', body });
  const before = (await project.sql('SELECT count() AS n FROM events WHERE price = 2'))[0]!['n'] as number;
  const { written } = await burst(send);
  expect(await project.sql('SELECT count() AS n FROM events WHERE price = 2')).toEqual([
    { n: before + written.length * rows },
  ]);
});
