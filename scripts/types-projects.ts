// Runs `react-tinybird types` on every Tinybird project under the folders given and checks each file it writes with
// TypeScript (one program per file: each augments the same Register). Prints a table: endpoints, how many got full
// types (params and rows), how many rows have a column typed `unknown` (a type with no JSON form: the file says why),
// data sources, and whether tsc accepts the file.
//   npm run types:projects -- ../shared/tinybird-projects
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { findProjects } from './conformance/discover';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  project: string;
  endpoints: number;
  fullyTyped: number;
  /** Endpoint rows with a column typed `unknown`, as `pipe.column`. */
  unknownColumns: string[];
  datasources: number;
  tsc: string;
  problems: string[];
}

function typecheck(file: string, old: ts.Program | undefined): { errors: string[]; program: ts.Program } {
  const program = ts.createProgram({
    rootNames: [file],
    options: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      types: [],
      baseUrl: join(ROOT, 'src'),
      paths: { 'react-tinybird': ['index.ts'] },
    },
    ...(old && { oldProgram: old }),
  });
  const errors = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { errors, program };
}

/** The columns typed `unknown` in the described rows of a generated file (`export interface XRow { ... }`). */
function unknownColumns(source: string): string[] {
  const rows = new Map<string, string>();
  for (const m of source.matchAll(/^ {6}("[^"]+"|[\w$]+): \{ params: \w+; row: (\w+) \};$/gm)) rows.set(m[2]!, m[1]!);
  const found: string[] = [];
  for (const m of source.matchAll(/^export interface (\w+) \{\n([\s\S]*?)\n\}/gm)) {
    const pipe = rows.get(m[1]!);
    if (pipe === undefined) continue;
    for (const c of m[2]!.matchAll(/^ {2}("[^"]+"|[\w$]+): (.*);$/gm))
      if (/\bunknown\b/.test(c[2]!)) found.push(`${pipe}.${c[1]}: ${c[2]}`);
  }
  return found;
}

async function main(): Promise<void> {
  const folders = process.argv.slice(2).map((a) => resolve(a));
  if (folders.length === 0) {
    console.error('usage: npm run types:projects -- <folder with Tinybird projects>...');
    process.exit(2);
  }
  const work = await mkdtemp(join(tmpdir(), 'tb-types-'));
  const rows: Row[] = [];
  let program: ts.Program | undefined;
  try {
    for (const folder of folders) {
      for (const [i, root] of (await findProjects(folder)).entries()) {
        const name = relative(folder, root) || root;
        const out = join(work, `${rows.length}-${i}.ts`);
        // A process per project: chDB opens one data directory per process.
        const run = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'src/local/cli.ts', 'types', '--project', root, '--out', out],
          {
            cwd: ROOT,
            encoding: 'utf8',
          },
        );
        const summary = /(\d+) endpoints \((\d+) fully typed\), (\d+) data sources/.exec(run.stdout);
        if (run.status !== 0 || !summary) {
          rows.push({
            project: name,
            endpoints: 0,
            fullyTyped: 0,
            unknownColumns: [],
            datasources: 0,
            tsc: 'not written',
            problems: [run.stderr.trim()],
          });
          console.error(`${name}: failed\n${run.stderr}`);
          continue;
        }
        const checked = typecheck(out, program);
        program = checked.program;
        rows.push({
          project: name,
          endpoints: Number(summary[1]),
          fullyTyped: Number(summary[2]),
          unknownColumns: unknownColumns(await readFile(out, 'utf8')),
          datasources: Number(summary[3]),
          tsc: checked.errors.length === 0 ? 'ok' : `${checked.errors.length} errors: ${checked.errors[0]}`,
          problems: run.stderr
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => l.trim()),
        });
        console.error(`${name}: ${summary[0]}, tsc ${rows.at(-1)!.tsc}`);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const sum = (key: 'endpoints' | 'fullyTyped' | 'datasources') => rows.reduce((n, r) => n + r[key], 0);
  const withUnknown = (r: Row) => new Set(r.unknownColumns.map((c) => c.split('.')[0])).size;
  console.log('| project | endpoints | fully typed | rows with `unknown` | data sources | tsc |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.project} | ${r.endpoints} | ${r.fullyTyped} | ${withUnknown(r)} | ${r.datasources} | ${r.tsc} |`,
    );
  console.log(
    `| **${rows.length} projects** | **${sum('endpoints')}** | **${sum('fullyTyped')}** | **${rows.reduce((n, r) => n + withUnknown(r), 0)}** | **${sum('datasources')}** | **${rows.filter((r) => r.tsc === 'ok').length} ok** |`,
  );
  const unknowns = rows.flatMap((r) => r.unknownColumns.map((c) => `${r.project}: ${c}`));
  if (unknowns.length > 0) console.log(`\nColumns typed unknown:\n${unknowns.map((c) => `- ${c}`).join('\n')}`);
  const problems = rows.flatMap((r) => r.problems.map((p) => `${r.project}: ${p}`));
  if (problems.length > 0)
    console.log(
      `\nReported (datafiles the loader refused, endpoints not fully typed):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
}

void main();
