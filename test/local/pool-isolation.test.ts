// One token's slow queries never make another token's quick query wait, on every route that reads: the Query API
// (plain and with quoted 64-bit integers), a pipe endpoint and its q=. Token A sends three slow queries (more than
// there are sessions); token B's quick one must answer before any of them. On a server of its own, with a 2 s limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const SLOW = 'SELECT count() AS c FROM n AS a, n AS b, n AS c WHERE a.x + b.x + c.x = 7';
const QUICK = 'SELECT count() AS c FROM n';

let project: DevProject;
beforeAll(async () => {
  project = await devProject(
    {
      'n.datasource': 'SCHEMA >\n    `x` UInt32 `json:$.x`\n\nENGINE "MergeTree"\nENGINE_SORTING_KEY "x"\n',
      'heavy.pipe': `NODE endpoint\nSQL >\n    ${SLOW}\n\nTYPE endpoint\n`,
      'light.pipe': `NODE endpoint\nSQL >\n    ${QUICK}\n\nTYPE endpoint\n`,
    },
    ['--query-timeout', '2'],
  );
  const body = Array.from({ length: 3000 }, (_, x) => JSON.stringify({ x })).join('\n');
  await project.call('/v0/events?name=n&wait=true', { method: 'POST', body });
}, 60_000);
afterAll(() => project?.close());

const scopes = [
  { type: 'DATASOURCES:READ', resource: 'n' },
  { type: 'PIPES:READ', resource: 'heavy' },
  { type: 'PIPES:READ', resource: 'light' },
];
const sql = (q: string, extra = '') => `/v0/sql?q=${encodeURIComponent(q)}${extra}`;

/** A's three slow calls and, once they are in, B's quick one: B must be answered first, with its rows. */
async function quickFirst(slowPath: string, quickPath: string): Promise<void> {
  const a = await project.jwt('token_a', scopes);
  const b = await project.jwt('token_b', scopes);
  const order: string[] = [];
  const slow = Array.from({ length: 3 }, () =>
    project.call(slowPath, {}, a).then((r) => order.push(`slow ${r.status}`)),
  );
  // Lets A's calls reach the server first (not a measure: B's answer is judged by its place in the order).
  await new Promise((r) => setTimeout(r, 300));
  const quick = await project.call(quickPath, {}, b);
  order.push(`quick ${quick.status}`);
  await Promise.all(slow);
  expect(JSON.stringify(quick.json)).toMatch(/"c":"?3000"?/);
  expect(order).toEqual(['quick 200', 'slow 408', 'slow 408', 'slow 408']);
}

describe("one token's slow queries and another token's quick one", { timeout: 60_000 }, () => {
  it('Query API', () => quickFirst(sql(SLOW), sql(QUICK)));

  it('Query API with quoted 64-bit integers', () =>
    quickFirst(
      sql(SLOW, '&output_format_json_quote_64bit_integers=1'),
      sql(QUICK, '&output_format_json_quote_64bit_integers=1'),
    ));

  it('pipe endpoints', () => quickFirst('/v0/pipes/heavy.json', '/v0/pipes/light.json'));

  it("a pipe's q=", () =>
    quickFirst(
      `/v0/pipes/heavy.json?q=${encodeURIComponent('SELECT * FROM _')}`,
      `/v0/pipes/light.json?q=${encodeURIComponent('SELECT * FROM _')}`,
    ));
});
