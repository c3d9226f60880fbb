// Large and hostile file imports against a local server in a child process, with what each costs the others: how long
// it took, how it was answered, the server's peak RSS, and the longest a health check waited meanwhile.
//   npx tsx scripts/import-stress.ts [--root <checkout>] [--skip-forged]
// --root runs the server of another checkout (its src/local/cli.ts), to compare before and after.
// --skip-forged leaves out the Parquet file whose footer declares 2^40 rows (a server without a bound on it may take
// tens of GB of memory).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { root: { type: 'string', default: '.' }, 'skip-forged': { type: 'boolean', default: false } },
});
const ROOT = resolve(values.root);
const ROWS = 1_000_000;

const DATASOURCE = `SCHEMA >
    \`timestamp\` DateTime \`json:$.timestamp\`,
    \`page\` String \`json:$.page\`,
    \`n\` UInt32 \`json:$.n\`,
    \`price\` Float64 \`json:$.price\`,
    \`tag\` LowCardinality(String) \`json:$.tag\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"
`;

interface Server {
  url: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(dir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/local/cli.ts'),
      'dev',
      '--project',
      dir,
      '--data',
      join(dir, '.data'),
      '--port',
      '0',
      '--no-watch',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 600 && !/Started in/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  if (!/Started in/.test(out)) throw new Error(`the server did not start:\n${out}`);
  const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1] ?? '';
  return {
    url: field('URL'),
    token: field('Admin token'),
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Runs `work` while probing health (one request at a time) and sampling RSS. */
async function measure(
  server: Server,
  work: () => Promise<string>,
): Promise<{ seconds: number; answer: string; health: number; rss: number }> {
  let done = false;
  let health = 0;
  let rss = 0;
  const probe = (async () => {
    while (!done) {
      const t0 = performance.now();
      const ok = await fetch(`${server.url}/v0/health`).then(
        (r) => r.text().then(() => true),
        () => false,
      );
      health = Math.max(health, performance.now() - t0);
      if (!ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const sample = (async () => {
    while (!done) {
      rss = Math.max(rss, await rssMb(server.pid));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = performance.now();
  const answer = await work().catch((error: unknown) => `failed: ${(error as Error).message}`);
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await Promise.all([probe, sample]);
  return { seconds, answer, health, rss };
}

async function upload(server: Server, name: string, bytes: Uint8Array, format: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(`${server.url}/v0/datasources?name=big&mode=append&format=${format}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}` },
    body: form,
  });
  const body = (await res.json()) as { error?: unknown; quarantine_rows?: number };
  return `${res.status} ${res.status === 200 ? `quarantine ${body.quarantine_rows}` : String(body.error).slice(0, 60)}`;
}

async function sqlBytes(server: Server, q: string): Promise<Uint8Array> {
  const res = await fetch(`${server.url}/v0/sql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }),
  });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The same Parquet file with every row count in its footer (file, row group, column values) set to 2^40. */
function forge(parquet: Uint8Array, rows: number): Uint8Array {
  const b = Buffer.from(parquet);
  const length = b.readUInt32LE(b.length - 8);
  const start = b.length - 8 - length;
  const footer = b.subarray(start, b.length - 8);
  const varint = (n: bigint) => {
    const out: number[] = [];
    for (; n >= 128n; n >>= 7n) out.push(Number(n & 127n) | 128);
    out.push(Number(n));
    return Buffer.from(out);
  };
  const from = Buffer.concat([Buffer.from([0x16]), varint(BigInt(rows) << 1n)]);
  const to = Buffer.concat([Buffer.from([0x16]), varint((2n ** 40n) << 1n)]);
  const parts: Buffer[] = [];
  let last = 0;
  for (let at = footer.indexOf(from); at !== -1; at = footer.indexOf(from, at + 1)) {
    parts.push(footer.subarray(last, at), to);
    last = at + from.length;
  }
  parts.push(footer.subarray(last));
  const forged = Buffer.concat(parts);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(forged.length, 0);
  tail.write('PAR1', 4);
  return new Uint8Array(Buffer.concat([b.subarray(0, start), forged, tail]));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'react-tinybird-import-stress-'));
  await writeFile(join(dir, 'big.datasource'), DATASOURCE);
  const server = await startServer(dir);
  try {
    const select = `SELECT toDateTime('2026-01-01 00:00:00') + number AS timestamp, concat('/page/', toString(number % 1000)) AS page, toUInt32(number) AS n, number / 100 AS price, ['a','b','c'][number % 3 + 1] AS tag FROM numbers(${ROWS})`;
    const csv = await sqlBytes(server, `${select} FORMAT CSV`);
    const ndjson = await sqlBytes(server, `${select} FORMAT JSONEachRow`);
    const small = await sqlBytes(
      server,
      `SELECT toDateTime('2026-01-01 00:00:00') AS timestamp, '/p' AS page, toUInt32(1) AS n, 1.5 AS price, 'a' AS tag FROM numbers(${ROWS}) FORMAT Parquet`,
    );
    const cases: Array<[string, () => Promise<string>]> = [
      [
        `CSV append, ${(csv.length / 2 ** 20).toFixed(0)} MB, ${ROWS} rows`,
        () => upload(server, 'big.csv', csv, 'csv'),
      ],
      [
        `NDJSON append, ${(ndjson.length / 2 ** 20).toFixed(0)} MB, ${ROWS} rows`,
        () => upload(server, 'big.ndjson', ndjson, 'ndjson'),
      ],
      [
        `Parquet append, ${(small.length / 1024).toFixed(1)} KB, ${ROWS} rows`,
        () => upload(server, 'big.parquet', small, 'parquet'),
      ],
    ];
    if (!values['skip-forged']) {
      const forged = forge(small, ROWS);
      cases.push([
        `Parquet, ${(forged.length / 1024).toFixed(1)} KB, footer declares 2^40 rows`,
        () => upload(server, 'forged.parquet', forged, 'parquet'),
      ]);
    }
    console.log(`Imports against ${ROOT} (idle RSS ${(await rssMb(server.pid)).toFixed(0)} MB)\n`);
    console.log('| import | answer | seconds | peak RSS MB | longest health wait ms |');
    console.log('|---|---|---|---|---|');
    for (const [name, work] of cases) {
      const m = await measure(server, work);
      console.log(`| ${name} | ${m.answer} | ${m.seconds.toFixed(1)} | ${m.rss.toFixed(0)} | ${m.health.toFixed(0)} |`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
