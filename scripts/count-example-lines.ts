// `npm run example:lines`: the non-blank TS/TSX lines of examples/web-analytics' app code (app/ and lib/: tests,
// scripts and config left out), per file and in total, against the goal of at most 700 lines: a fifth of the 3,474 the
// web analytics starter kit's dashboard writes by hand.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOAL = 700;
const root = fileURLToPath(new URL('../examples/web-analytics/', import.meta.url));

const files: string[] = [];
for (const dir of ['app', 'lib']) {
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.tsx?$/.test(entry.name)) files.push(join(entry.parentPath, entry.name));
  }
}
let total = 0;
for (const file of files.sort()) {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '').length;
  total += lines;
  console.log(`${String(lines).padStart(5)}  ${relative(root, file)}`);
}
console.log(`${String(total).padStart(5)}  total (goal: at most ${GOAL})`);
if (total > GOAL) process.exitCode = 1;
