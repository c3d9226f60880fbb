// Runs `react-tinybird types` on every Tinybird project under the folders given and checks each file it writes with
// TypeScript (one program per file: each augments the same Register). Prints a table: endpoints, how many got full
// types (params and rows), data sources, and whether tsc accepts the file.
//   npm run types:projects -- ../shared/tinybird-projects
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
  console.log('| project | endpoints | fully typed | data sources | tsc |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.project} | ${r.endpoints} | ${r.fullyTyped} | ${r.datasources} | ${r.tsc} |`);
  console.log(
    `| **${rows.length} projects** | **${sum('endpoints')}** | **${sum('fullyTyped')}** | **${sum('datasources')}** | **${rows.filter((r) => r.tsc === 'ok').length} ok** |`,
  );
  const problems = rows.flatMap((r) => r.problems.map((p) => `${r.project}: ${p}`));
  if (problems.length > 0)
    console.log(
      `\nReported (datafiles the loader refused, endpoints not fully typed):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
}

void main();
