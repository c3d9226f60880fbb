// `npm run types`: rewrites every generated types file the repository commits (scripts/lib/generated-types.ts) from
// its project. A file is only written when its text changes. Fails when a project is not fully typed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTypes } from '../src/local/types-gen/write-types';
import { GENERATED_FILES } from './lib/generated-types';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let failed = false;
for (const { project, out, shown } of GENERATED_FILES) {
  // One project at a time: chDB opens one data directory at a time in a process.
  const result = await writeTypes(project, join(ROOT, out), shown);
  for (const problem of result.problems) console.error(`  ${problem}`);
  console.log(
    `${out}: ${result.endpoints} endpoints (${result.fullyTyped} fully typed), ${result.datasources} data sources${result.written ? ', written' : ', unchanged'}`,
  );
  if (result.problems.length > 0 || result.fullyTyped !== result.endpoints) failed = true;
}
if (failed) process.exit(1);
