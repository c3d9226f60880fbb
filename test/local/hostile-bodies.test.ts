// No request body or parameter makes the server answer 5xx: malformed multipart on the Data Sources API, deeply
// nested and huge values on the Query API and pipes are the sender's mistake, a 4xx with Tinybird's error shape.
import { describe, expect, it } from 'vitest';
import { api } from './helpers';

const BOUNDARY = 'b0undary';
const DISPOSITION = 'Content-Disposition: form-data; name="csv"; filename="rows.csv"';

/** Malformed multipart bodies, each with the Content-Type it is sent with. */
const MALFORMED: Record<string, [string, string]> = {
  'no boundary': ['multipart/form-data', `--x\r\n${DISPOSITION}\r\n\r\na,b\r\n--x--\r\n`],
  'a boundary the body never uses': [
    `multipart/form-data; boundary=${BOUNDARY}`,
    `--other\r\n${DISPOSITION}\r\n\r\na,b\r\n--other--\r\n`,
  ],
  'a part with no headers': [
    `multipart/form-data; boundary=${BOUNDARY}`,
    `--${BOUNDARY}\r\ngarbage\r\n--${BOUNDARY}--\r\n`,
  ],
  'a body cut short': [`multipart/form-data; boundary=${BOUNDARY}`, `--${BOUNDARY}\r\n${DISPOSITION}\r\n\r\na,b`],
  'an empty body': [`multipart/form-data; boundary=${BOUNDARY}`, ''],
  'a part with a broken disposition': [
    `multipart/form-data; boundary=${BOUNDARY}`,
    `--${BOUNDARY}\r\nContent-Disposition: nonsense\r\n\r\na,b\r\n--${BOUNDARY}--\r\n`,
  ],
};

describe('hostile request bodies', () => {
  for (const [what, [type, body]] of Object.entries(MALFORMED)) {
    it(`POST /v0/datasources with multipart: ${what} is a 400`, async () => {
      const res = await api<{ error: string; documentation: string }>('/v0/datasources?mode=append&name=events', {
        method: 'POST',
        headers: { 'Content-Type': type },
        body,
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error).toMatch(/multipart/i);
      expect(res.json.documentation).toMatch(/^https:\/\//);
    });
  }

  it('a parameter nested 100,000 levels deep or 9 MB long is a 4xx on the Query API and on a pipe', async () => {
    const deep = `{"q":"SELECT 1","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const long = JSON.stringify({ q: '%\nSELECT {{ String(s) }} AS s', s: 'a'.repeat(9_000_000) });
    for (const body of [deep, long]) {
      const res = await api('/v0/sql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(res.status, res.text.slice(0, 300)).toBe(400);
    }
    const pipe = await api('/v0/pipes/top_airlines.json', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ limit: 'x'.repeat(9_000_000) }),
    });
    expect(pipe.status, pipe.text.slice(0, 300)).toBe(400);
  });
});
