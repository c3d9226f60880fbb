// Hostile request values through the templates a pipe uses most. A render must either fail with a TemplateError or
// produce SQL in which the value is one literal/identifier that reads back as exactly what was sent, with no `;` or
// comment outside literals. The SQL is read back with a lexer written here, independent of the renderer's own guard,
// and a sample is executed in chDB to prove the round trip in the real engine.
import { query } from 'chdb';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/local/dev/mulberry32';
import { renderTemplate, TemplateError } from '../../src/local/template';

const RUNS = 2500;

const PIECES = [
  "'",
  '\\',
  ';',
  "'; DROP TABLE x; --",
  '{{',
  '}}',
  '{%',
  '%}',
  '--',
  '/*',
  '*/',
  '$$',
  '`',
  '"',
  '\n',
  '\r',
  '\t',
  '\0',
  '\x1a',
  '\x7f',
  'é',
  '😀',
  '\u2028',
  '\ud800',
  '\udc00',
  '%',
  '_',
  ' ',
  ',',
  '.',
  '0',
  '1',
  '-',
  '+',
  '9'.repeat(40),
  '1e999',
  'NaN',
  'Infinity',
  '2024-01-01',
  ' 12:00:00',
  'T',
  'Z',
  "\\'",
  "''",
  'a',
  'Z9_',
  '\ufeff',
  'x.y',
  '\\x41',
  '`; DROP TABLE t; --',
  "') OR 1=1 --",
  '127',
  '-128',
  '2147483647',
  '2147483648',
  '1.5',
  '.5e3',
  ' ',
  'a,b',
];

function hostileString(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    s +=
      r() < 0.8
        ? PIECES[Math.floor(r() * PIECES.length)]!
        : String.fromCodePoint(Math.floor(r() * (r() < 0.5 ? 0x80 : 0x10ffff)));
  }
  return s;
}

function hostileValue(r: () => number): unknown {
  const k = r();
  if (k < 0.6) return hostileString(r);
  if (k < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => hostileString(r));
  if (k < 0.85) return [1e308 * 10, -0, 2 ** 53 + 1, -1, 1.5, 2 ** 31, NaN, 0, -(2 ** 63)][Math.floor(r() * 9)];
  if (k < 0.9) return r() < 0.5;
  if (k < 0.95) return [hostileString(r), [hostileString(r)], 1];
  return r() < 0.5 ? { a: hostileString(r) } : undefined;
}

/** Reads a ClickHouse single-quoted literal at s[i]: its value and where it ends. */
function unquote(s: string, i: number): { value: string; end: number } {
  if (s[i] !== "'") expect.fail(`no literal at ${i} in ${JSON.stringify(s)}`);
  const named: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    '0': '\0',
    b: '\b',
    f: '\f',
    a: '\x07',
    v: '\v',
    '\\': '\\',
    "'": "'",
  };
  let value = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\') {
      const e = s[++j]!;
      if (e === 'x') {
        value += String.fromCharCode(parseInt(s.slice(j + 1, j + 3), 16));
        j += 2;
      } else value += named[e] ?? `\\${e}`; // ClickHouse keeps other escapes as written (\% stays \%)
    } else if (c === "'") {
      if (s[j + 1] !== "'") return { value, end: j + 1 };
      value += "'";
      j++;
    } else value += c;
  }
  throw new Error(`unterminated literal in ${s}`);
}

/** Checks the code outside literals: no statement separator, no comment, nothing left open. */
function assertInert(sql: string): void {
  // Plain checks in the loop (expect() per character would dominate the run time); one expect on failure.
  const bad = (why: string) => expect.fail(`${why} in ${JSON.stringify(sql)}`);
  for (let i = 0; i < sql.length;) {
    const c = sql[i]!;
    if (c === "'") i = unquote(sql, i).end;
    else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0 || !/^[A-Za-z0-9_]+$/.test(sql.slice(i + 1, end))) bad('bad identifier');
      i = end + 1;
    } else {
      if (c === ';') bad('statement separator');
      if (/^(--|\/\*|\$\$|# |#!)/.test(sql.slice(i, i + 2))) bad('comment');
      if (/["$\n\r]/.test(c)) bad(`stray ${JSON.stringify(c)}`);
      i++;
    }
  }
}

/** A list of literals `['a','b']` as its values. */
function unquoteList(s: string): string[] {
  expect(s[0]).toBe('[');
  const out: string[] = [];
  let i = 1;
  while (s[i] !== ']') {
    const { value, end } = unquote(s, i);
    out.push(value);
    i = s[end] === ',' ? end + 1 : end;
  }
  expect(i).toBe(s.length - 1);
  return out;
}

/** The text a one-value function works on: the last of repeated values, Python's str() of booleans. */
function text(v: unknown, dflt: string): string {
  if (v === undefined) return dflt;
  if (Array.isArray(v)) return v.length ? text(v[v.length - 1], dflt) : '';
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

/** What ClickHouse reads back from a string value rendered as Tinybird does: every `%` written `\\%` keeps its backslash. */
const read = (x: string) => x.replace(/%/g, '\\%');

/** The elements Array() works on. */
const elements = (v: unknown, dflt: string): string[] =>
  v === undefined
    ? [dflt]
    : typeof v === 'string'
      ? v.split(',')
      : Array.isArray(v)
        ? v.map((e) => text(e, ''))
        : [text(v, '')];

interface Case {
  template: string;
  /** Checks the rendered value (the SQL between the template's fixed prefix and suffix) against the input. */
  check(value: string, input: unknown): void;
}

const wrap = (body: string) => `SELECT ${body} AS v FROM t WHERE 1`;

const CASES: Record<string, Case> = {
  String: {
    template: "{{String(x, 'dflt')}}",
    check: (v, x) => expect(unquote(v, 0)).toEqual({ value: read(text(x, 'dflt')), end: v.length }),
  },
  bare: {
    template: '{{x}}',
    check: (v, x) => {
      if (typeof x === 'string') expect(unquote(v, 0)).toEqual({ value: read(x), end: v.length });
      else if (typeof x === 'number' && Number.isFinite(x)) expect(Number(v) === x).toBe(true);
      else if (typeof x === 'number')
        expect(unquote(v, 0).value).toBe(read(String(x))); // not JSON: sent as text
      else if (typeof x === 'boolean') expect(v).toBe(x ? '1' : '0');
      else if (Array.isArray(x) && x.every((e) => typeof e === 'string')) expect(unquoteList(v)).toEqual(x.map(read));
    },
  },
  ArrayString: {
    template: "{{Array(x, 'String', default='a')}}",
    check: (v, x) => {
      expect(unquoteList(v)).toEqual(elements(x, 'a').map(read));
    },
  },
  ArrayInt32: {
    template: "{{Array(x, 'Int32', default='1')}}",
    check: (v, x) => {
      expect(v).toMatch(/^\[(-?\d+(,-?\d+)*)?\]$/);
      const got = v === '[]' ? [] : v.slice(1, -1).split(',').map(BigInt);
      expect(got).toEqual(Array.isArray(x) && x.length === 0 ? [] : elements(x, '1').map((e) => BigInt(e)));
    },
  },
  Int32: {
    template: '{{Int32(x, 10)}}',
    check: (v, x) => {
      const m = /^toInt32\('(-?\d+)'\)$/.exec(v);
      expect(m, v).not.toBeNull();
      const n = BigInt(m![1]!);
      expect(n >= -(2n ** 31n) && n < 2n ** 31n).toBe(true);
      expect(n).toBe(BigInt(text(x, '10')));
    },
  },
  Int: {
    template: '1 -{{Int(x, 10)}}',
    check: (v) => expect(v).toMatch(/^1 - ?-?\d+$/), // never `1 --5`: a comment
  },
  Float64: {
    template: '{{Float64(x, 1.5)}}',
    check: (v, x) => {
      const m = /^toFloat64\('([-+.\deE]+|nan|-?inf)'\)$/.exec(v);
      expect(m, v).not.toBeNull();
      // Python's float() of the text (nan, inf, surrounding spaces) is the number rendered.
      const py = (t: string) =>
        Number(
          t
            .trim()
            .replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')
            .replace(/^[+-]?nan$/i, 'NaN'),
        );
      const [got, want] = [py(m![1]!), py(text(x, '1.5'))];
      expect(got === want || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
    },
  },
  DateTime: {
    template: "{{DateTime(x, '2024-01-01 00:00:00')}}",
    // Tinybird checks how the text starts and passes the rest through, in one literal.
    check: (v, x) => {
      expect(v).toMatch(
        /^'\p{Nd}{4}[^\n]\p{Nd}\p{Nd}[^\n]\p{Nd}\p{Nd}[T\s]\p{Nd}\p{Nd}:\p{Nd}\p{Nd}:\p{Nd}\p{Nd}|^'\p{Nd}\p{Nd}[^\n]/u,
      );
      expect(unquote(v, 0)).toEqual({ value: read(text(x, '2024-01-01 00:00:00')), end: v.length });
    },
  },
  column: {
    template: "{{column(x, 'dflt')}}",
    check: (v, x) => {
      expect(v).toMatch(/^`[A-Za-z0-9_]+`(\.`[A-Za-z0-9_]+`)*$/);
      expect(v.replace(/`/g, '')).toBe(text(x, 'dflt'));
    },
  },
  columns: {
    template: "{{columns(x, 'a,b')}}",
    check: (v) => expect(v).toMatch(/^`[A-Za-z0-9_]+`(\.`[A-Za-z0-9_]+`)*(,`[A-Za-z0-9_]+`(\.`[A-Za-z0-9_]+`)*)*$/),
  },
  sql_and: {
    template: "{{sql_and(a=String(x, defined=False), b__in=Array(x, 'String', defined=False))}}",
    check: (v, x) => {
      if (x === undefined) return expect(v).toBe('');
      const m = /^a = ('.*') and b in (\[.*\])$/s.exec(v);
      expect(m, v).not.toBeNull();
      expect(unquote(m![1]!, 0).value).toBe(read(text(x, '')));
      expect(unquoteList(m![2]!)).toEqual(elements(x, '').map(read));
    },
  },
  for: {
    template: "{% for e in split_to_array(x, 'z') %}{{e}},{% end %}",
    check: (v) => assertInert(v),
  },
};

describe('fuzz: hostile parameter values', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.template} renders each value as one exact literal, or refuses it`, () => {
      const r = mulberry32(name.length * 7919 + 17);
      const sql = `%${wrap(c.template)}`;
      let rendered = 0;
      for (let n = 0; n < RUNS; n++) {
        const x = hostileValue(r);
        let out: string;
        try {
          out = renderTemplate(sql, { x });
        } catch (e) {
          expect(e).toBeInstanceOf(TemplateError);
          expect((e as TemplateError).status).toBe(400);
          continue;
        }
        rendered++;
        const [prefix, suffix] = wrap('\u0000').split('\u0000') as [string, string];
        expect(out.startsWith(prefix) && out.endsWith(suffix), out).toBe(true);
        const value = out.slice(prefix.length, out.length - suffix.length);
        assertInert(out);
        c.check(value, x);
      }
      expect(rendered).toBeGreaterThan(10); // the fuzz reached the happy path too
    });
  }

  it('a value inside quotes the author wrote is always refused', () => {
    const r = mulberry32(99);
    for (let n = 0; n < RUNS; n++) {
      expect(() => renderTemplate("%\nSELECT '{{String(x, 'a')}}'", { x: hostileString(r) })).toThrow(TemplateError);
    }
  });

  it('hostile template text from a request cannot become template code', () => {
    const out = renderTemplate('%\nSELECT {{String(x)}}', { x: "{{ error('pwned') }}{% if 1 %}" });
    expect(unquote(out.trim().slice(7), 0).value).toBe(read("{{ error('pwned') }}{% if 1 %}"));
  });
});

describe('fuzz: round trip through chDB', () => {
  it('SELECT <rendered String(x)> returns exactly x, every % as \\% (as on Tinybird)', () => {
    const r = mulberry32(4242);
    const inputs: string[] = [];
    const literals: string[] = [];
    while (inputs.length < 400) {
      const x = hostileString(r);
      try {
        literals.push(renderTemplate('%{{String(x)}}', { x }));
        inputs.push(x);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError); // lone surrogates: not representable in UTF-8
      }
    }
    for (let i = 0; i < inputs.length; i += 100) {
      const batch = literals.slice(i, i + 100);
      const sql = `SELECT ${batch.map((l, j) => `${l} AS v${j}`).join(', ')}`;
      const row = JSON.parse(query(sql, 'JSONEachRow')) as Record<string, string>;
      batch.forEach((_, j) => expect(row[`v${j}`]).toBe(read(inputs[i + j]!)));
    }
  });

  it("SELECT <rendered Array(x, 'String')> returns exactly the comma-separated parts", () => {
    const r = mulberry32(777);
    for (let n = 0; n < 100; n++) {
      const x = hostileString(r);
      let lit: string;
      try {
        lit = renderTemplate("%{{Array(x, 'String')}}", { x });
      } catch {
        continue;
      }
      const row = JSON.parse(query(`SELECT ${lit} AS v`, 'JSONEachRow')) as { v: string[] };
      expect(row.v).toEqual(x.split(',').map(read));
    }
  });

  it('typed values are valid ClickHouse of the right type', () => {
    const sql = renderTemplate(
      '%SELECT {{Int64(a)}} AS a, {{Float64(b)}} AS b, parseDateTimeBestEffort({{DateTime(c)}}) AS c, ' +
        "{{Array(d, 'Int32')}} AS d, {{Boolean(e)}} AS e, {{UInt256(f)}} AS f, toDate({{Date(g)}}) AS g, " +
        'parseDateTime64BestEffort({{DateTime64(h)}}, 3) AS h, {{Float32(i)}} AS i, ' +
        '{{split_to_array(j)}} AS j, {{Int(k)}} AS k',
      {
        a: '-9223372036854775808',
        b: '1e21',
        c: '2024-02-29T23:59:59Z',
        d: ['1', '-2'],
        e: 'true',
        f: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
        g: '2024-01-31',
        h: '2024-01-02T03:04:05.678+01:00',
        i: '-1.5',
        j: "a,'b",
        k: '-3',
      },
    );
    const row = JSON.parse(query(`${sql} SETTINGS output_format_json_quote_64bit_integers = 1`, 'JSONEachRow'));
    expect(row).toEqual({
      a: '-9223372036854775808',
      b: 1e21,
      c: '2024-02-29 23:59:59',
      d: [1, -2],
      e: 1,
      f: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
      g: '2024-01-31',
      h: '2024-01-02 02:04:05.678',
      i: -1.5,
      j: ['a', "'b"],
      k: -3,
    });
  });
});
