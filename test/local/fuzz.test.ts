// Fuzz over HTTP with a seeded PRNG (same inputs every run): random params and q= for every pipe, malformed JWTs and
// random NDJSON lines. The server must never answer 5xx, and a token pinned to one user never sees another's rows.
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/local/dev/mulberry32';
import { api, jwt, sql, tb } from './helpers';

function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const NASTY = [
  "'",
  '"',
  '\\',
  '`',
  "\\'",
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '1; SELECT 1',
  '1) UNION ALL SELECT * FROM events --',
  '{{',
  '}}',
  '{%',
  '%}',
  '{{ 1 }}',
  '{% end %}',
  '%',
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  '😀',
  'ü',
  '\u202e',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '2024-02-30',
  '2024-01-01 25:00:00',
  '1970-01-01',
  '2106-02-08 00:00:00',
  'null',
  'None',
  'True',
  'true',
  '[]',
  '{}',
  '[1,2]',
  'a,b,c',
  ',,,',
  'u_2',
  'u_1',
  "u_2' --",
  'user_id',
  "file('/etc/passwd')",
  'toString(1)',
  '`user_id`',
  'events',
  'default.events',
  '_',
  "\\' OR 1=1 --",
  'x'.repeat(3000),
];
const PARAMS = [
  'limit',
  'start',
  'end',
  'days',
  'airline',
  'user_id',
  'q',
  'format',
  'token',
  'LIMIT',
  'user_id[]',
  'x',
  '',
  '%',
  '{{x}}',
];
const PIPES = ['top_airlines', 'bookings_per_hour', 'user_bookings', 'kpis'];
const Q_PARTS = [
  'SELECT',
  '*',
  'count()',
  'FROM',
  '_',
  'events',
  'default.events',
  'system.one',
  'WHERE',
  '1',
  'UNION ALL',
  ';',
  'FORMAT',
  'JSON',
  "file('/etc/passwd')",
  'INTO OUTFILE',
  "'x'",
  'WITH',
  'AS',
  '(',
  ')',
  'IN',
  'JOIN',
  'SETTINGS',
  'max_threads = 1',
  'user_id',
  'arrayJoin([1,2])',
];

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

describe('fuzz', () => {
  let mine: Set<string>;
  let token: string;
  beforeAll(async () => {
    mine = new Set(
      (await sql("SELECT booking_id FROM events WHERE user_id = 'u_1'")).map((r) => r['booking_id'] as string),
    );
    token = await jwt({
      name: 'fuzz',
      scopes: [
        ...PIPES.map((resource) =>
          resource === 'user_bookings'
            ? { type: 'PIPES:READ', resource, fixed_params: { user_id: 'u_1' } }
            : { type: 'PIPES:READ', resource },
        ),
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_1'" },
      ],
    });
  });

  it(
    '600 requests with ~2,000 random params and q=: no 5xx, user_bookings only ever shows u_1',
    { timeout: 60_000 },
    async () => {
      const r = prng(1);
      const statuses = new Map<number, number>();
      const requests = Array.from({ length: 600 }, () => {
        const pipe = r.pick(PIPES);
        const search = new URLSearchParams();
        for (let i = r.int(8); i > 0; i--) {
          const value = r.next() < 0.6 ? r.pick(NASTY) : `${r.pick(NASTY)}${r.pick(NASTY)}`;
          search.append(r.pick(PARAMS), r.next() < 0.3 ? String(r.int(100)) : value);
        }
        if (r.next() < 0.25) search.set('q', Array.from({ length: 1 + r.int(8) }, () => r.pick(Q_PARTS)).join(' '));
        const post = r.next() < 0.2;
        return { pipe, search, post, ext: r.pick(['json', 'json', 'csv', 'ndjson']) };
      });
      await pool(requests, 6, async ({ pipe, search, post, ext }) => {
        const path = `/v0/pipes/${pipe}.${ext}`;
        const body = Object.fromEntries(search);
        const res = post
          ? await api(path, {
              token,
              method: 'POST',
              body: JSON.stringify(body),
              headers: { 'Content-Type': 'application/json' },
            })
          : await api(`${path}?${search}`, { token });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${path}?${search} -> ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (pipe === 'user_bookings' && res.status === 200 && ext === 'json' && !search.has('q')) {
          for (const row of (res.json as { data: Array<{ booking_id: string }> }).data)
            expect(mine.has(row.booking_id)).toBe(true);
        }
        if (res.status === 200 && ext !== 'json') expect(res.text).not.toMatch(/\bu_(?!1\b)\d+/);
      });
      // The fuzz reached the pipes, not just the validators.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(80);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(80);
    },
  );

  it(
    '600 random Query API statements with a filtered JWT: no 5xx, never another user',
    { timeout: 60_000 },
    async () => {
      const r = prng(2);
      const SOURCES = [
        'events',
        '(SELECT * FROM events)',
        't',
        'default.events',
        'events AS e JOIN events AS f USING booking_id',
        "file('/etc/passwd')",
        'system.one',
        '_',
      ];
      const CONDITIONS = [
        "user_id != 'u_1'",
        '1',
        'OR 1',
        'user_id IN (SELECT user_id FROM events)',
        'user_id IN events',
        "1 = 1 OR user_id = 'u_2'",
        'NOT 0',
      ];
      const statements = Array.from({ length: 600 }, () => {
        const source = r.pick(SOURCES);
        let statement = `${r.pick(['', 'WITH t AS (SELECT * FROM events) '])}SELECT ${r.pick(['DISTINCT user_id', 'user_id', 'user_id, count() AS n'])} FROM ${source}`;
        if (r.next() < 0.6) statement += ` WHERE ${r.pick(CONDITIONS)}`;
        if (statement.includes('count()')) statement += ' GROUP BY user_id';
        if (r.next() < 0.3) statement += ` ${Array.from({ length: 1 + r.int(4) }, () => r.pick(Q_PARTS)).join(' ')}`;
        if (r.next() < 0.2)
          statement += r.pick([' LIMIT 3', ' FORMAT JSON', ' UNION ALL SELECT user_id FROM events', '; SELECT 1']);
        return statement;
      });
      let answered = 0;
      await pool(statements, 6, async (statement) => {
        const res = await api(`/v0/sql?q=${encodeURIComponent(statement)}`, { token });
        expect(res.status, `${statement} -> ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status === 200) {
          answered++;
          for (const row of (res.json as { data: Array<Record<string, unknown>> }).data) {
            if ('user_id' in row) expect(row['user_id'], statement).toBe('u_1');
          }
        }
      });
      expect(answered).toBeGreaterThan(100);
    },
  );

  it('600 malformed or forged JWTs: 403 (never 5xx, never data)', { timeout: 60_000 }, async () => {
    const r = prng(3);
    const valid = await jwt({
      scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_1' } }],
    });
    const b64 = (value: unknown) =>
      Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const [h, p, s] = valid.split('.') as [string, string, string];
    const forged: string[] = [];
    for (let i = 0; i < 200; i++) {
      // Flip, drop or insert characters of a valid token: the signature no longer matches.
      const chars = valid.split('');
      for (let k = 1 + r.int(3); k > 0; k--) {
        const at = r.int(chars.length);
        const op = r.int(3);
        if (op === 0) chars[at] = r.pick(['A', 'b', '-', '_', '.', '=', '+', '/', '0']);
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, r.pick(['A', '.', 'x']));
      }
      const token = chars.join('');
      if (token !== valid) forged.push(token);
    }
    const otherClaims = () => ({
      workspace_id: r.pick([tb().workspaceId, 'other', 42, null, undefined]),
      name: r.pick(['x', '', 5, undefined]),
      exp: r.pick([Math.floor(Date.now() / 1000) + 60, 'soon', -1, 1e20, undefined]),
      scopes: r.pick([
        [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_2' } }],
        {},
        'all',
        [null],
        undefined,
      ]),
    });
    for (let i = 0; i < 200; i++) {
      // Well-formed tokens with any claims, signed with the wrong key, or `none`, or another algorithm.
      const claims = otherClaims();
      const kind = r.int(3);
      if (kind === 0) forged.push(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
      else if (kind === 1)
        forged.push(
          await new SignJWT(claims as never)
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode('wrong key')),
        );
      else
        forged.push(
          await new SignJWT(claims as never)
            .setProtectedHeader({ alg: r.pick(['HS384', 'HS512']) })
            .sign(new TextEncoder().encode(tb().adminToken)),
        );
    }
    for (let i = 0; i < 200; i++) {
      // Structural garbage: wrong segment counts, non-JSON segments, huge tokens, a valid signature on another payload.
      forged.push(
        r.pick([
          `${h}.${p}`,
          `${h}.${p}.${s}.${s}`,
          `${b64('not json')}.${p}.${s}`,
          `${h}.${b64('[]')}.${s}`,
          `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_2' } }] })}.${s}`,
          `${'e'.repeat(r.int(5000))}`,
          `p.${b64({ u: tb().workspaceId })}.${r.int(1e9)}`,
          `${h}..${s}`,
          '.',
          `Bearer ${valid}`,
        ]),
      );
    }
    await pool(forged, 6, async (token) => {
      const res = await api('/v0/pipes/user_bookings.json?user_id=u_2', { token });
      expect(res.status, token.slice(0, 200)).toBe(403);
    });
  });

  it('2,000 random NDJSON lines: every line is stored or quarantined, nothing else', { timeout: 60_000 }, async () => {
    const r = prng(4);
    const prefix = `fz_${Date.now()}`;
    const value = (): unknown =>
      r.pick([
        () => r.pick(NASTY),
        () => r.int(1000) - 500,
        () => r.next() * 1e6,
        () => 2 ** 64,
        () => -(2 ** 63),
        () => true,
        () => null,
        () => [r.int(10), 'x'],
        () => ({ nested: r.pick(NASTY) }),
        () => new Date(r.int(1e12)).toISOString(), // before 2002, like every row tests append
        () => '2001-01-01 00:00:00',
      ])();
    const lines = Array.from({ length: 2000 }, (_, i) => {
      const kind = r.int(10);
      if (kind === 0)
        return r.pick(['{', '}', '[]', 'null', '"x"', '{"a":', 'nope', '{"user_id": "\\u0000"}', '\u0000', '{}']);
      const row: Record<string, unknown> = {
        user_id: `${prefix}_${i}`,
        airline: 'Fuzz Air',
        origin: 'A',
        destination: 'B',
        price: r.int(500),
        timestamp: '2001-01-01 00:00:00',
      };
      for (let k = 1 + r.int(4); k > 0; k--)
        row[r.pick(['timestamp', 'passengers', 'price', 'airline', 'origin', 'cabin', 'booking_id', 'extra'])] =
          value();
      // user_id gets odd values too, never a seeded user's id (other tests read those users' rows meanwhile).
      if (kind === 1) row['user_id'] = r.pick(NASTY.filter((v) => !/^u_/.test(v)));
      return JSON.stringify(row);
    });
    let stored = 0;
    let quarantined = 0;
    for (let i = 0; i < lines.length; i += 250) {
      const batch = lines.slice(i, i + 250);
      const res = await api<{ successful_rows: number; quarantined_rows: number }>('/v0/events?name=events&wait=true', {
        method: 'POST',
        body: batch.join('\n'),
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.successful_rows + res.json.quarantined_rows).toBe(batch.filter((l) => l.trim() !== '').length);
      stored += res.json.successful_rows;
      quarantined += res.json.quarantined_rows;
    }
    expect(stored).toBeGreaterThan(100);
    expect(quarantined).toBeGreaterThan(100);
    const [row] = await sql(`SELECT count() AS n FROM events WHERE startsWith(user_id, '${prefix}_')`);
    // Rows whose user_id the fuzz replaced are stored under another id.
    expect(row?.['n']).toBeLessThanOrEqual(stored);
    expect(row?.['n']).toBeGreaterThan(stored / 2);
    const [range] = await sql(
      "SELECT max(passengers) AS p, min(timestamp) >= '1970-01-01' AS t FROM events WHERE airline = 'Fuzz Air'",
    );
    expect(range?.['p']).toBeLessThanOrEqual(255);
  });
});
