// `react-tinybird dev --types FILE`: the file is written at start and follows the datafiles, rewritten only when its
// text changes; a pipe that breaks is named with its file and line.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { devProject, type DevProject } from '../cli';

const PIPE = (columns: string) => `NODE endpoint
SQL >
    %
    SELECT ${columns} FROM numbers(1) LIMIT {{ Int32(limit, 10) }}
TYPE endpoint
`;

let project: DevProject | undefined;
let scratch: string | undefined;
afterAll(async () => {
  await project?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, what: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('writes the types at start and rewrites them when a datafile changes', { timeout: 90_000 }, async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dev-types-'));
  const out = join(scratch, 'tinybird-types.ts');
  project = await devProject({ 'numbers.pipe': PIPE('number AS n') }, ['--types', out]);
  const read = () => readFile(out, 'utf8').catch(() => '');
  await until(
    async () => /n: number;/.test(await read()),
    () => project!.dev.output(),
  );
  const first = (await stat(out)).mtimeMs;

  await writeFile(join(project.dir, 'numbers.pipe'), PIPE('number AS n, toString(number) AS label'));
  await until(
    async () => /label: string;/.test(await read()),
    () => project!.dev.output(),
  );
  expect(project.dev.output()).toMatch(/Types: 1 endpoints \(1 fully typed\), 0 data sources ->/);
  expect((await stat(out)).mtimeMs).toBeGreaterThan(first);

  await writeFile(
    join(project.dir, 'numbers.pipe'),
    `NODE endpoint\nSQL >\n    %\n    SELECT {% if x %} 1\nTYPE endpoint\n`,
  );
  await until(
    async () => /numbers\.pipe:\d+: .*end/i.test(project!.dev.output()),
    () => project!.dev.output(),
  );
});
