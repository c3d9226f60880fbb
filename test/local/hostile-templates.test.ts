// A token holder writes templates through the Query API (`q=%...`): rendering is linear in its input and output, and
// every bound (list and string sizes, nesting, loops, output, total work) answers a 400 with Tinybird's error shape,
// while the server keeps answering others. Sizes are chosen so the quadratic renderer these replace would run past the
// test's time limit; nothing here measures time.
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateCacheChars } from '../../src/local/template';
import { api, jwt } from './helpers';

const reader = () => jwt({ scopes: [{ type: 'DATASOURCES:READ', resource: 'events' }] });

interface Rows {
  data?: Array<{ n: number }>;
  error?: string;
  documentation?: string;
}

/** The Query API with `q` (and other parameters) in a JSON body. */
async function query(token: string, q: string, params: Record<string, unknown> = {}) {
  return api<Rows>('/v0/sql', {
    token,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ q, ...params }),
  });
}

async function healthy(): Promise<void> {
  const health = await api('/v0/health', { token: null });
  expect(health.status).toBe(200);
}

/** A 400 in Tinybird's template error shape whose message matches `message`; the server still answers after it. */
async function refused(q: string, message: RegExp, params: Record<string, unknown> = {}): Promise<void> {
  const res = await query(await reader(), q, params);
  expect(res.status, res.text.slice(0, 300)).toBe(400);
  expect(res.json.error).toMatch(/^Template Syntax Error: /);
  expect(res.json.error).toMatch(message);
  expect(res.json.documentation).toMatch(/^https:\/\//);
  await healthy();
}

describe('templates under hostile input', () => {
  it('renders 85,000 values from a loop, twice at once, while health answers', async () => {
    const token = await reader();
    const q = '%\nSELECT length([0{% for i in range(84999) %},{{i % 10}}{% end %}]) AS n';
    const attacks = [query(token, q), query(token, q)];
    await healthy();
    for (const res of await Promise.all(attacks)) {
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expect(res.json.data).toEqual([{ n: 85_000 }]);
    }
  });

  it('scans 60,000 tags, one per line', async () => {
    const res = await query(await reader(), `%\nSELECT 1 AS n ${'{##}\n{% if 1 %}{% end %}\n'.repeat(20_000)}`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.data).toEqual([{ n: 1 }]);
  });

  it('refuses a list doubled 30 times instead of dying', () =>
    refused(
      `%\n{% set a = [1] %}${'{% set a = a + a %}'.repeat(30)}SELECT {{ len(a) }} AS n`,
      /builds a list of more than 100,000 items/,
    ));

  it("refuses a string doubled past JavaScript's maximum length", () =>
    refused(
      `%\n{% set a = 'xx' %}${'{% set a = a + a %}'.repeat(30)}SELECT {{ len(a) }} AS n`,
      /builds a string of more than 8,388,608 characters/,
    ));

  it('refuses expressions and blocks nested 3,000 levels deep, and a chain of 100,000 additions', async () => {
    await refused(`%\nSELECT {{ ${'('.repeat(3000)}1${')'.repeat(3000)} }} AS n`, /nested more than 100 levels/);
    await refused(`%\nSELECT {{ ${'['.repeat(3000)}1${']'.repeat(3000)} }} AS n`, /nested more than 100 levels/);
    await refused(`%\nSELECT {{ ${'not '.repeat(3000)}1 }} AS n`, /nested more than 100 levels/);
    await refused(`%\nSELECT {{ ${'1+'.repeat(100_000)}1 }} AS n`, /nested more than 100 levels/);
    await refused(`%\nSELECT 1 AS n ${'{% if 1 %}'.repeat(3000)}${'{% end %}'.repeat(3000)}`, /nested more than 100/);
  });

  it('refuses a value nested 100,000 lists deep', () =>
    refused(
      '%\nSELECT {% set a = 1 %}{% for i in range(100000) %}{% set a = [a] %}{% end %}{{ a }} AS n',
      /too large or too deeply nested/,
    ));

  it('refuses a render past its work budget, its loop count and its output size', async () => {
    const sum = Array.from({ length: 90 }, () => 'i').join('+');
    await refused(
      `%\nSELECT 1 AS n {% for i in range(100000) %}{% set x = ${sum} %}{% end %}`,
      /does too much work to render/,
    );
    await refused(
      `%\nSELECT 1 AS n {% for i in range(1000) %}{% for j in range(1000) %}{% end %}{% end %}`,
      /too many loop iterations/,
    );
    await refused('%\nSELECT 1 AS n {% for i in range(100000) %}{{ s }}{% end %}', /rendered SQL is too large/, {
      s: 'x'.repeat(100_000),
    });
    await refused("%\nSELECT {{ ','.join(split_to_array(s)) }} AS n", /list of more than 100,000 items/, {
      s: ','.repeat(200_000),
    });
  });

  it("counts a template against the token's rps limit before rendering it", async () => {
    const limited = await jwt({ scopes: [{ type: 'DATASOURCES:READ', resource: 'events' }], limits: { rps: 1 } });
    const q = `%\n{% set a = [1] %}${'{% set a = a + a %}'.repeat(30)}SELECT {{ len(a) }} AS n`;
    // Three at once span at most two one-second windows: one of them holds two, and the second of those is refused.
    const statuses = (await Promise.all([1, 2, 3].map(() => query(limited, q)))).map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
  });

  it('keeps the parse cache bounded in characters, however many distinct large texts come', () => {
    // 40 distinct texts of 250 KB each: 10 MB of template text, past the cache's 8 MiB.
    for (let i = 0; i < 40; i++) renderTemplate(`%\nSELECT ${i} ${' '.repeat(250_000)}`, {});
    expect(templateCacheChars()).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(templateCacheChars()).toBeGreaterThan(0);
  });
});
