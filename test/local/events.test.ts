// The Events API: NDJSON rows checked against the schema, bad rows to <name>_quarantine with the reason,
// 202 / 200 with wait=true, 413 past 10 MB, DATASOURCES:APPEND scopes.
import { describe, expect, it } from 'vitest';
import { api, jwt, sql, tb } from './helpers';

// Appended test rows are dated 2001 and use t_ users, so the seeded numbers other tests compare stay put.
const user = () => `t_${Math.random().toString(36).slice(2)}`;
const booking = (u: string, extra: Record<string, unknown> = {}) => ({
  timestamp: '2001-01-01 00:00:00',
  user_id: u,
  airline: 'Test Air',
  origin: 'MAD',
  destination: 'LIS',
  passengers: 2,
  price: 99.5,
  ...extra,
});
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
const post = (
  body: string,
  { token, wait = true, name = 'events' }: { token?: string; wait?: boolean; name?: string } = {},
) =>
  api(`/v0/events?name=${name}${wait ? '&wait=true' : ''}`, {
    method: 'POST',
    body,
    token: token ?? tb().adminToken,
    headers: { 'Content-Type': 'application/x-ndjson' },
  });

describe('Events API', () => {
  it('writes rows: 200 with wait=true, 202 without, {successful_rows, quarantined_rows}', async () => {
    const u = user();
    const waited = await post(ndjson([booking(u), booking(u, { passengers: 1 })]));
    expect(waited.status).toBe(200);
    expect(waited.json).toEqual({ successful_rows: 2, quarantined_rows: 0 });
    const accepted = await post(ndjson([booking(u)]), { wait: false });
    expect(accepted.status).toBe(202);
    expect(accepted.json).toEqual({ successful_rows: 1, quarantined_rows: 0 });
    const rows = await sql(`SELECT count() AS n, sum(passengers) AS p FROM events WHERE user_id = '${u}'`);
    expect(rows).toEqual([{ n: 3, p: 5 }]);
  });

  it('fills DEFAULT columns, reads ISO 8601 times as UTC and takes CRLF lines', async () => {
    const u = user();
    const body = [
      JSON.stringify({
        user_id: u,
        airline: 'Test Air',
        origin: 'A',
        destination: 'B',
        price: 1,
        timestamp: '2001-02-03T04:05:06Z',
      }),
      JSON.stringify({
        user_id: u,
        airline: 'Test Air',
        origin: 'A',
        destination: 'B',
        price: 2,
        timestamp: '2001-02-03T06:05:06+02:00',
      }),
      JSON.stringify({
        user_id: u,
        airline: 'Test Air',
        origin: 'A',
        destination: 'B',
        price: 3,
        timestamp: 981173106,
      }),
    ].join('\r\n');
    expect((await post(body)).json).toEqual({ successful_rows: 3, quarantined_rows: 0 });
    const rows = await sql(
      `SELECT toString(timestamp) AS t, passengers, cabin, length(booking_id) > 0 AS has_id FROM events WHERE user_id = '${u}' ORDER BY price`,
    );
    expect(rows).toEqual([
      { t: '2001-02-03 04:05:06', passengers: 1, cabin: 'economy', has_id: 1 },
      { t: '2001-02-03 04:05:06', passengers: 1, cabin: 'economy', has_id: 1 },
      { t: '2001-02-03 04:05:06', passengers: 1, cabin: 'economy', has_id: 1 },
    ]);
  });

  it('sends rows that do not fit to events_quarantine with the reason, and keeps the good ones', async () => {
    const u = user();
    const body = [
      ndjson([booking(u)]),
      ndjson([booking(u, { passengers: 300 })]), // ClickHouse alone would store 44
      ndjson([booking(u, { passengers: -1 })]),
      ndjson([booking(u, { price: 'cheap' })]),
      ndjson([booking(u, { timestamp: '2024-13-45 00:00:00' })]),
      ndjson([booking(u, { airline: ['a', 'b'] })]), // kept as its JSON text, as Tinybird does
      ndjson([{ ...booking(u), user_id: undefined }]),
      '{"user_id": "broken',
      '[1, 2, 3]',
      ndjson([booking(u, { passengers: '3' })]), // numeric strings are numbers
    ].join('\n');
    const res = await post(body);
    expect(res.json).toEqual({ successful_rows: 3, quarantined_rows: 7 });
    expect(await sql(`SELECT sum(passengers) AS p FROM events WHERE user_id = '${u}'`)).toEqual([{ p: 7 }]);
    const quarantined = await sql(
      `SELECT c__error_column, c__error, passengers FROM events_quarantine WHERE user_id = '${u}' ORDER BY c__error`,
    );
    const errors = quarantined.map((r) => (r['c__error'] as string[]).join(' | '));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^passengers: out of range for UInt8 \(0\.\.255\) \(got 300\)/),
        expect.stringMatching(/^passengers: out of range for UInt8/),
        expect.stringMatching(/^price: not a number/),
        expect.stringMatching(/^timestamp: not a valid calendar date/),
      ]),
    );
    expect(
      quarantined.find(
        (r) => (r['c__error'] as string[])[0]?.startsWith('passengers: out of range') && r['passengers'] === '300',
      )?.['c__error_column'],
    ).toEqual(['passengers']);
    const [missing] = await sql("SELECT count() AS n FROM events_quarantine WHERE has(c__error_column, 'user_id')");
    expect(missing?.['n']).toBeGreaterThanOrEqual(1);
    const [broken] = await sql("SELECT count() AS n FROM events_quarantine WHERE c__error[1] LIKE 'invalid JSON%'");
    expect(broken?.['n']).toBeGreaterThanOrEqual(1);
  });

  it('answers 413 past 10 MB and writes nothing', async () => {
    const u = user();
    const line = JSON.stringify(booking(u, { origin: 'x'.repeat(1000) }));
    const body = Array.from({ length: Math.ceil((10 * 1024 * 1024) / line.length) + 1 }, () => line).join('\n');
    expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/10 MB/);
    expect(await sql(`SELECT count() AS n FROM events WHERE user_id = '${u}'`)).toEqual([{ n: 0 }]);
  });

  it('needs DATASOURCES:APPEND for the data source (JWT or static token)', async () => {
    const u = user();
    const append = await jwt({ scopes: [{ type: 'DATASOURCES:APPEND', resource: 'events' }] });
    expect((await post(ndjson([booking(u)]), { token: append })).status).toBe(200);
    expect((await post(ndjson([booking(u)]), { token: tb().tokens['events_append'] })).status).toBe(200);
    const readOnly = await post(ndjson([booking(u)]), {
      token: await jwt({ scopes: [{ type: 'DATASOURCES:READ', resource: 'events' }] }),
    });
    expect(readOnly.status).toBe(403);
    expect(readOnly.json.error).toBe('token has no APPEND scope for events');
    expect((await post(ndjson([booking(u)]), { token: tb().tokens['dashboard'] })).status).toBe(403);
    expect((await post(ndjson([booking(u)]), { token: 'nope' })).status).toBe(403);
    expect(await sql(`SELECT count() AS n FROM events WHERE user_id = '${u}'`)).toEqual([{ n: 2 }]);
  });

  it('400 without a name or a body, 404 for an unknown data source', async () => {
    expect((await api('/v0/events', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await post('')).status).toBe(400);
    const unknown = await post('{}', { name: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe("Data Source 'nope' not found");
  });
});
