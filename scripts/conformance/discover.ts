// Finds Tinybird projects under a folder and, in each, what the conformance run needs: its datafiles, the pipes
// Tinybird would publish, its fixtures and its tests. Read from the files themselves, never from the server under test.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';

export interface ProjectFiles {
  /** The project root (where `datasources/`, `pipes/`... or the datafiles themselves are). */
  root: string;
  datafiles: string[];
  /** Pipes Tinybird publishes: a `TYPE endpoint` node, or (classic CLI) no TYPE line at all: the last node. */
  endpoints: string[];
  /** Fixture files: `<data source>.ndjson|csv|sql`, and S3 import fixtures with the data sources they feed. */
  fixtures: Array<{ file: string; datasources: string[] }>;
  /** `tests/*.test` (+ `.result`) and `tests/*.yaml`. */
  tests: string[];
}

const SKIP = new Set(['node_modules', 'tests', 'fixtures', 's3_fixtures', 'mock', 'mocks']);

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function walk(dir: string, keep: (name: string) => boolean, skip = SKIP): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) out.push(...(await walk(path, keep, skip)));
    } else if (keep(entry.name)) out.push(path);
  }
  return out.sort();
}

const isDatafile = (name: string) => /\.(datasource|pipe)$/.test(name);

/**
 * The project roots under `dir`: the parents of their `datasources/`, `pipes/`, `endpoints/`... folders, or else the
 * folders holding the datafiles. A root inside another root belongs to it.
 */
export async function findProjects(dir: string): Promise<string[]> {
  const files = await walk(dir, isDatafile, new Set(['node_modules', 'tests', 'fixtures']));
  const roots = new Set<string>();
  for (const file of files) {
    let root = dirname(file);
    // Walk up to the nearest folder that looks like a project root. With none below the folder given, the datafiles'
    // own folder is the root: the folder given may hold many projects (a repository of examples).
    while (root !== dir && root.startsWith(dir) && !(await hasProjectMarker(root))) root = dirname(root);
    if (root === dir && !(await hasProjectMarker(dir))) root = dirname(file);
    roots.add(root);
  }
  const sorted = [...roots].sort();
  return sorted.filter((r) => !sorted.some((o) => o !== r && r.startsWith(`${o}/`)));
}

/** A folder is a root when it holds the datafile folders (`datasources/`, `pipes/`...), `tests/` or a .tinyb file. */
async function hasProjectMarker(path: string): Promise<boolean> {
  const names = new Set((await readdir(path).catch(() => [])) as string[]);
  return ['datasources', 'pipes', 'endpoints', 'materializations', 'copies', 'tests', '.tinyb', 'tinyb'].some((n) =>
    names.has(n),
  );
}

export async function readProject(root: string): Promise<ProjectFiles> {
  const datafiles = await walk(root, isDatafile);
  const endpoints: string[] = [];
  const s3Imports: Array<{ name: string; glob: string }> = [];
  // The classic CLI's `VERSION <n>` names the resource `<name>__v<n>`: that is the endpoint's and data source's name.
  const versioned = new Map<string, string>();
  for (const file of datafiles) {
    const text = await readFile(file, 'utf8');
    const version = /^VERSION\s+(\d+)\s*$/m.exec(text)?.[1];
    const name = basename(file, extname(file)) + (version === undefined ? '' : `__v${version}`);
    if (version !== undefined && file.endsWith('.datasource')) versioned.set(basename(file, extname(file)), name);
    if (file.endsWith('.pipe')) {
      const types = [...text.matchAll(/^\s*TYPE\s+["']?(\w+)/gim)].map((m) => m[1]!.toLowerCase());
      if (types.includes('endpoint') || types.length === 0) endpoints.push(name);
    } else {
      const service = /^IMPORT_SERVICE\s+["']?(\w+)/m.exec(text)?.[1]?.toLowerCase();
      const uri = /^IMPORT_BUCKET_URI\s+["']?([^"'\s]+)/m.exec(text)?.[1] ?? '';
      if (service === 's3' || service === 'gcs' || /^S3_|^IMPORT_BUCKET/m.test(text))
        s3Imports.push({ name, glob: uri });
    }
  }
  const fixtures: ProjectFiles['fixtures'] = [];
  const fixtureFile = (name: string) => /\.(ndjson|csv|sql)$/.test(name);
  for (const dir of ['fixtures', 'datasources/fixtures', 'tests/fixtures']) {
    if (!(await isDir(join(root, dir)))) continue;
    const files = await walk(join(root, dir), fixtureFile);
    for (const file of files) {
      // A `tb mock` SELECT next to the rows it made (`x.sql` and `x.ndjson`): the rows are what the tests expect.
      const base = file.slice(0, -extname(file).length);
      if (file.endsWith('.sql') && (files.includes(`${base}.ndjson`) || files.includes(`${base}.csv`))) continue;
      const name = basename(file, extname(file));
      fixtures.push({ file, datasources: [versioned.get(name) ?? name] });
    }
  }
  // S3 fixtures are what the bucket holds: they feed the data sources that import from it.
  for (const dir of ['s3_fixtures', 'fixtures/s3', 'gcs_fixtures']) {
    if (!(await isDir(join(root, dir)))) continue;
    for (const file of await walk(join(root, dir), fixtureFile)) {
      const feeds = s3Imports.filter((s) => s.glob === '' || s.glob.endsWith(extname(file)) || s.glob.endsWith('*'));
      fixtures.push({ file, datasources: feeds.map((s) => s.name) });
    }
  }
  const tests = (await isDir(join(root, 'tests')))
    ? await walk(join(root, 'tests'), (n) => /\.(test|ya?ml)$/.test(n), new Set(['node_modules', 'fixtures']))
    : [];
  return { root, datafiles, endpoints: endpoints.sort(), fixtures, tests };
}

export const shortPath = (root: string, file: string) => relative(root, file) || file;
