// Reads a folder of classic Tinybird datafiles (*.datasource, *.pipe) into a ProjectSnapshot. Everything that is
// wrong with a file is reported as a DatafileError naming the file, the line and what to change; a project load keeps
// going without that file, as one refused datafile must not stop the rest from serving. The only file system access
// of project/: the parsers get text.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import {
  DatafileError,
  problemOf,
  type DataSource,
  type DatafileProblem,
  type Pipe,
  type ProjectSnapshot,
} from './datafiles';
import { parseDatasource } from './parse-datasource';
import { parsePipe } from './parse-pipe';
import { projectSecrets } from './secrets';
import { versionedName, versionedNames, versionOf, withVersionedReferences } from './versions';

const SKIP_DIRS = new Set(['node_modules', 'tests', 'fixtures']);

/**
 * Loads every `.datasource` and `.pipe` file under `dir` (recursively; `datasources/`, `pipes/` and `endpoints/`
 * layouts all work). A file with an error is left out and listed in `problems`; only an unreadable folder throws.
 */
export async function loadProject(dir: string): Promise<ProjectSnapshot> {
  let files: string[];
  try {
    files = await walk(dir);
  } catch (error) {
    throw new DatafileError(dir, 0, `cannot read the project folder (${(error as Error).message})`);
  }
  const read = files.sort().map((path) => ({
    path,
    shown: relative(process.cwd(), path) || path,
    text: async (shown: string) => withIncludes(await readFile(path, 'utf8'), path, dir, shown),
  }));
  return assemble(dir, read);
}

/** A datafile given as text: `name` ends in `.datasource` or `.pipe` (a build's multipart file). */
export interface DatafileText {
  name: string;
  text: string;
}

/**
 * The same as {@link loadProject} for datafiles held in memory (a build request's files), read as if they were in
 * `dir` (its .env files give the secrets). INCLUDE needs files beside the datafile, so here it is an error.
 */
export async function loadProjectFiles(dir: string, files: readonly DatafileText[]): Promise<ProjectSnapshot> {
  const read = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, text }) => ({
      path: join(dir, basename(name)),
      shown: basename(name),
      text: async (shown: string) => {
        const at = text.split(/\r?\n/).findIndex((line) => /^INCLUDE\b/.test(line));
        if (at >= 0) throw new DatafileError(shown, at + 1, 'INCLUDE is not supported in a build: inline the file');
        return text;
      },
    }));
  return assemble(dir, read);
}

async function assemble(
  dir: string,
  files: ReadonlyArray<{ path: string; shown: string; text: (shown: string) => Promise<string> }>,
): Promise<ProjectSnapshot> {
  const secrets = await projectSecrets(dir);
  const datasources = new Map<string, DataSource>();
  const pipes = new Map<string, Pipe>();
  const warnings: string[] = [];
  const problems: DatafileProblem[] = [];
  const sameText = new Map<string, string>();
  for (const { path, shown, text: read } of files) {
    const kind = extname(path) === '.datasource' ? 'datasource' : 'pipe';
    const name = basename(path, extname(path));
    try {
      const text = await read(shown);
      const parsed = kind === 'datasource' ? parseDatasource(text, shown) : parsePipe(text, shown);
      warnings.push(...parsed.warnings);
      // `VERSION <n>` (classic CLI): the resource is <name>__v<n>.
      parsed.value = { ...parsed.value, name: versionedName(parsed.value.name, versionOf(text, shown)) };
      const { file: other } = datasources.get(parsed.value.name) ?? pipes.get(parsed.value.name) ?? {};
      if (other !== undefined) {
        // A copy of a datafile in another folder (say `pipes/` and `endpoints/`) that differs only in spacing is the
        // same datafile: loaded once. Any other difference is a conflict Tinybird would refuse too.
        if (sameText.get(parsed.value.name) === withoutSpacing(text)) {
          warnings.push(`${shown}: the same datafile as ${other} (up to spacing); loaded once`);
          continue;
        }
        throw new DatafileError(shown, 1, `the name "${parsed.value.name}" is already used by ${other}`);
      }
      sameText.set(parsed.value.name, withoutSpacing(text));
      if (parsed.value.kind === 'datasource') datasources.set(parsed.value.name, parsed.value);
      else pipes.set(parsed.value.name, parsed.value);
    } catch (error) {
      if (!(error instanceof DatafileError)) throw error;
      problems.push(problemOf(kind, name, error));
    }
  }
  const versions = versionedNames([...datasources.keys(), ...pipes.keys()]);
  for (const pipe of [...pipes.values()]) pipes.set(pipe.name, withVersionedReferences(pipe, versions));
  for (const pipe of [...pipes.values()]) {
    try {
      checkReferences(pipe, datasources);
    } catch (error) {
      if (!(error instanceof DatafileError)) throw error;
      pipes.delete(pipe.name);
      problems.push(problemOf('pipe', pipe.name, error));
    }
  }
  return { dir, datasources, pipes, warnings, problems, secrets };
}

const withoutSpacing = (text: string) => text.replace(/\s+/g, '');

/** What a pipe names must exist: the data sources it writes into; its nodes must not shadow a data source. */
function checkReferences(pipe: Pipe, datasources: ReadonlyMap<string, DataSource>): void {
  for (const node of pipe.nodes) {
    if (datasources.has(node.name)) {
      throw new DatafileError(
        pipe.file,
        node.line,
        `node "${node.name}" has the name of a data source; rename the node`,
      );
    }
  }
  // A materialized target no .datasource file defines is made from the node when the tables exist (inferredTarget).
  if (pipe.copy && !datasources.has(pipe.copy.datasource)) {
    const node = pipe.nodes[pipe.copy.node]!;
    throw new DatafileError(
      pipe.file,
      node.line,
      `node "${node.name}" copies into "${pipe.copy.datasource}", which no .datasource file defines`,
    );
  }
}

const MAX_INCLUDE_DEPTH = 5;

/**
 * Replaces each `INCLUDE "path"` line with the text of that file (relative to the datafile, else to the project),
 * as Tinybird's CLI does; `"NAME=value"` words after the path replace `$NAME` in the included text.
 */
async function withIncludes(text: string, path: string, projectDir: string, shown: string, depth = 0): Promise<string> {
  if (!/^INCLUDE\b/m.test(text)) return text;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const match = /^INCLUDE\s+(.*?)\s*$/.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const words = [...(match[1] ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    const [target, ...assignments] = words;
    if (!target || depth >= MAX_INCLUDE_DEPTH)
      throw new DatafileError(
        shown,
        i + 1,
        target ? 'INCLUDE nests too deep' : 'INCLUDE needs a file, e.g. INCLUDE "includes/x.incl"',
      );
    const candidates = [resolve(dirname(path), target), resolve(projectDir, target)];
    let included: string | undefined;
    let found = '';
    for (const candidate of candidates) {
      included = await readFile(candidate, 'utf8').catch(() => undefined);
      found = candidate;
      if (included !== undefined) break;
    }
    if (included === undefined) throw new DatafileError(shown, i + 1, `INCLUDE: cannot read ${target}`);
    for (const assignment of assignments) {
      const eq = assignment.indexOf('=');
      if (eq > 0) included = included.split(`$${assignment.slice(0, eq)}`).join(assignment.slice(eq + 1));
    }
    out.push((await withIncludes(included, found, projectDir, shown, depth + 1)).replace(/\n$/, ''));
  }
  return out.join('\n');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await walk(path)));
    } else if (/\.(datasource|pipe)$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}
