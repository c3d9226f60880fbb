// Output formats as Tinybird documents them: endpoint extensions (.csvwithnames, .parquet...), Query API FORMATs
// (Parquet, PrettyCompact...), output_format_json_quote_64bit_integers, a templated `q` (`%` first) in the Query API,
// and GET /v0/pipes/<name>.
import { describe, expect, it } from 'vitest';
import { api, jwt, q, sql } from './helpers';

describe('endpoint formats', () => {
  it('answers .csvwithnames with a header and .parquet as Parquet bytes', async () => {
    const csv = await api('/v0/pipes/top_airlines.csvwithnames?limit=2');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('"airline","bookings","passengers","revenue"');
    expect(csv.text.trim().split('\n')).toHaveLength(3);
    const res = await fetch(`${(await import('./helpers')).tb().url}/v0/pipes/top_airlines.parquet?limit=2`, {
      headers: { Authorization: `Bearer ${(await import('./helpers')).tb().adminToken}` },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
    expect((await api('/v0/pipes/top_airlines.xml')).status).toBe(400);
  });

  it('quotes 64-bit integers when output_format_json_quote_64bit_integers=1, and only then', async () => {
    const plain = await api('/v0/pipes/top_airlines.json?limit=1');
    expect(typeof plain.json.data[0].bookings).toBe('number');
    const quoted = await api('/v0/pipes/top_airlines.json?limit=1&output_format_json_quote_64bit_integers=1');
    expect(quoted.json.data[0].bookings).toBe(String(plain.json.data[0].bookings));
    const viaSql = await api(
      `/v0/sql?q=${q('SELECT count() AS n FROM events')}&output_format_json_quote_64bit_integers=1`,
    );
    expect(typeof viaSql.json.data[0].n).toBe('string');
    expect((await api('/v0/pipes/top_airlines.json?output_format_json_quote_64bit_integers=2')).status).toBe(400);
  });
});

describe('Query API formats and templates', () => {
  it('answers FORMAT Parquet, PrettyCompact, TSVWithNames and CSV', async () => {
    const { tb } = await import('./helpers');
    const res = await fetch(`${tb().url}/v0/sql?q=${q('SELECT 1 AS x FORMAT Parquet')}`, {
      headers: { Authorization: `Bearer ${tb().adminToken}` },
    });
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');
    const pretty = await api(`/v0/sql?q=${q('SELECT 1 AS x FORMAT PrettyCompact')}`);
    expect(pretty.status, pretty.text).toBe(200);
    expect(pretty.text).toMatch(/x/);
    expect((await api(`/v0/sql?q=${q('SELECT 1 AS x FORMAT CSV')}`)).text).toBe('1\n');
  });

  it('renders a templated q with the request parameters, quoting them, and keeps a token filter', async () => {
    const query = "% SELECT count() AS n FROM events WHERE user_id = {{ String(user, 'u_1') }}";
    const [u2] = await sql("SELECT count() AS n FROM events WHERE user_id = 'u_2'");
    const [u1] = await sql("SELECT count() AS n FROM events WHERE user_id = 'u_1'");
    expect((await api(`/v0/sql?q=${q(query)}&user=u_2`)).json.data).toEqual([u2]);
    expect((await api(`/v0/sql?q=${q(query)}`)).json.data).toEqual([u1]);
    const post = await api('/v0/sql', {
      method: 'POST',
      body: JSON.stringify({ q: query, user: 'u_2' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(post.json.data).toEqual([u2]);
    const injected = await api(`/v0/sql?q=${q(query)}&user=${q("' OR 1=1 --")}`);
    expect(injected.json.data).toEqual([{ n: 0 }]);
    const token = await jwt({ scopes: [{ type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_1'" }] });
    const filtered = await api(`/v0/sql?q=${q(query)}&user=u_2`, { token });
    expect(filtered.json.data).toEqual([{ n: 0 }]);
    const broken = await api(`/v0/sql?q=${q('% SELECT {{ Int32(x) }}')}`);
    expect(broken.status).toBe(400);
  });
});

describe('GET /v0/pipes/<name>', () => {
  it('describes a pipe: its nodes, their SQL and params, which node is the endpoint', async () => {
    const res = await api('/v0/pipes/top_airlines');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      name: 'top_airlines',
      type: 'endpoint',
      endpoint: 'endpoint',
      nodes: [{ name: 'bookings_in_range' }, { name: 'endpoint', node_type: 'endpoint' }],
    });
    expect(res.json.nodes[1].sql).toMatch(/count\(\) AS bookings/);
    expect(res.json.nodes[1].params.map((p: { name: string }) => p.name)).toContain('limit');
    expect((await api('/v0/pipes/nope')).status).toBe(404);
    expect((await api('/v0/pipes/top_airlines', { token: await jwt() })).status).toBe(403);
  });
});
