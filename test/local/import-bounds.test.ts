// Imports are bounded: a Parquet file whose footer declares 2^40 rows is refused (400) before anything is decoded,
// instead of ClickHouse producing rows until memory runs out; a file ClickHouse cannot decode is a 400 naming the
// format, without the server's temporary path; a large append lands whole, and the server answers others meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

let project: DevProject;
beforeAll(async () => {
  project = await devProject({
    'hits.datasource': `SCHEMA >
    \`page\` String \`json:$.page\`,
    \`n\` UInt32 \`json:$.n\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "page"
`,
    'hits_mv.pipe': `NODE totals
SQL >
    SELECT page, count() AS hits, sum(n) AS n FROM hits GROUP BY page
TYPE materialized
DATASOURCE hits_by_page
ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "page"
`,
  });
}, 60_000);
afterAll(() => project?.close());

const upload = (format: string, bytes: Uint8Array | string) => {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), `hits.${format}`);
  return project.call(`/v0/datasources?name=hits&mode=append&format=${format}`, { method: 'POST', body: form });
};

const parquet = async (rows: number) => {
  const q = `SELECT '/p' AS page, toUInt32(1) AS n FROM numbers(${rows}) FORMAT Parquet`;
  const res = await fetch(`${project.dev.url}/v0/sql?q=${encodeURIComponent(q)}`, {
    headers: { Authorization: `Bearer ${project.dev.adminToken}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

/** Thrift compact i64 field header (delta 1) and zigzag varint, as a Parquet footer writes a row count. */
const rowCount = (rows: bigint) => {
  const out = [0x16];
  for (let n = rows << 1n; ; n >>= 7n) {
    if (n < 128n) {
      out.push(Number(n));
      break;
    }
    out.push(Number(n & 127n) | 128);
  }
  return Buffer.from(out);
};

/** The file with every row count of its footer (file, row group, column chunk) replaced by `rows`. */
function forge(file: Buffer, from: number, rows: bigint): Buffer {
  const length = file.readUInt32LE(file.length - 8);
  const start = file.length - 8 - length;
  const footer = file.subarray(start, file.length - 8);
  const [old, forged] = [rowCount(BigInt(from)), rowCount(rows)];
  const parts: Buffer[] = [];
  let last = 0;
  for (let at = footer.indexOf(old); at !== -1; at = footer.indexOf(old, at + 1)) {
    parts.push(footer.subarray(last, at), forged);
    last = at + old.length;
  }
  parts.push(footer.subarray(last));
  const body = Buffer.concat(parts);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(body.length, 0);
  tail.write('PAR1', 4);
  return Buffer.concat([file.subarray(0, start), body, tail]);
}

describe('imports are bounded', { timeout: 120_000 }, () => {
  it('refuses a Parquet file whose footer declares 2^40 rows, and keeps serving', async () => {
    const forged = forge(await parquet(3), 3, 2n ** 40n);
    expect(forged.length).toBeLessThan(4096);
    const res = await upload('parquet', forged);
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect((res.json as { error: string }).error).toMatch(/more than 10,000,000 rows/);
    expect(await project.sql('SELECT count() AS n FROM hits')).toEqual([{ n: 0 }]);
    expect((await project.call('/v0/health')).status).toBe(200);
  });

  it('a file ClickHouse cannot decode is a 400 that names the format, not the server temporary file', async () => {
    const res = await upload('parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]));
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toMatch(/^The Parquet file could not be read/);
    const csv = await upload('csv', '"a""b,"c\n');
    expect(csv.status).toBe(400);
    expect((csv.json as { error: string }).error).toMatch(/^The CSV file could not be read/);
    expect((csv.json as { error: string }).error).not.toMatch(/react-tinybird-/);
  });

  it('a large append lands whole (one insert for its materialized view), in slices', async () => {
    const rows = 25_000;
    const csv = Array.from({ length: rows }, (_, i) => `/p${i % 7},${i}`).join('\n');
    const res = await upload('csv', csv);
    expect(res.json).toMatchObject({ quarantine_rows: 0, error: false });
    const genuine = await upload('parquet', await parquet(rows));
    expect(genuine.json).toMatchObject({ quarantine_rows: 0, error: false });
    expect(await project.sql('SELECT count() AS c, sum(n) AS total FROM hits')).toEqual([
      { c: 2 * rows, total: (rows * (rows - 1)) / 2 + rows },
    ]);
    // The view saw every row once.
    expect(await project.sql('SELECT sum(hits) AS hits FROM hits_by_page')).toEqual([{ hits: 2 * rows }]);
  });
});
