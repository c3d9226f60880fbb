// Conformance of the local server on real Tinybird projects: for every project found under the folders given, start
// the server on it, ingest its fixtures, call each endpoint with default params, run its tests, and print a table.
//   npm run conformance -- <folder>... [--json] [--details] [--keep-ttl]
// Each project runs in its own process (chDB: one data directory per process), one after another.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjects, readProject } from './discover';
import { details, LEGEND, table, type ProjectResult } from './result';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT_TIMEOUT = 10 * 60_000;

const USAGE = `usage: npm run conformance -- <project folder>... [--json] [--details] [--keep-ttl]
  Finds the Tinybird projects under each folder and runs each one on the local server.
  --json      print the results as JSON instead of the table
  --details   print every refused datafile, failing endpoint and failing test after the table
  --keep-ttl  keep ENGINE_TTL (by default it is stripped from a copy: fixtures are often older than the TTL)`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const folders = args.filter((a) => !a.startsWith('--')).map((a) => resolve(a));
  const unknown = [...flags].filter((f) => !['--json', '--details', '--keep-ttl'].includes(f));
  if (folders.length === 0 || unknown.length > 0 || flags.has('--help')) {
    console.error(USAGE);
    process.exit(2);
  }
  const keepTtl = flags.has('--keep-ttl');
  const projects: Array<{ root: string; base: string }> = [];
  for (const folder of folders) {
    const roots = await findProjects(folder);
    if (roots.length === 0) console.error(`No .datasource or .pipe files under ${folder}`);
    // Name each project by its path in the folder given (e.g. tinynest/tinybird), or from the folder's own name when
    // it holds one project (my-app/tinybird).
    for (const root of roots) projects.push({ root, base: roots.length === 1 ? dirname(folder) : folder });
  }
  const results: ProjectResult[] = [];
  const work = await mkdtemp(join(tmpdir(), 'tb-conformance-results-'));
  try {
    for (const [i, project] of projects.entries()) {
      if (!flags.has('--json')) console.error(`[${i + 1}/${projects.length}] ${relative(project.base, project.root)}`);
      results.push(await runOne(project.root, join(work, `${i}.json`), keepTtl));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const name = (root: string) => {
    const project = projects.find((p) => p.root === root);
    return project ? relative(project.base, root) : basename(root);
  };
  if (flags.has('--json')) {
    console.log(JSON.stringify({ date: new Date().toISOString(), ttlStripped: !keepTtl, projects: results }, null, 2));
    return;
  }
  console.log(
    `Local server conformance, ${new Date().toISOString().slice(0, 10)} (ENGINE_TTL ${keepTtl ? 'kept' : 'stripped'})\n`,
  );
  console.log(table(results, name));
  console.log(`\n${LEGEND}`);
  if (flags.has('--details')) for (const r of results) console.log(`\n${details(r, name(r.root))}`);
}

/** Runs one project in a child process; a crash or a hang is a result too, not the end of the run. */
async function runOne(root: string, out: string, keepTtl: boolean): Promise<ProjectResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'run-project.ts'), root, out, ...(keepTtl ? ['--keep-ttl'] : [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), PROJECT_TIMEOUT);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearTimeout(timer);
  try {
    return JSON.parse(await readFile(out, 'utf8')) as ProjectResult;
  } catch {
    const files = await readProject(root);
    return {
      root,
      started: false,
      startError: `the run ended (exit ${code ?? 'killed'}) without a result: ${stderr.trim().slice(-1000)}`,
      datafiles: { total: files.datafiles.length, loaded: 0, refused: [] },
      endpoints: { total: files.endpoints.length, ok: 0, asksForParams: 0, failures: [] },
      tests: { total: 0, matched: 0, failures: [] },
      fixtures: { files: 0, rows: 0, errors: [] },
      warnings: [],
    };
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
