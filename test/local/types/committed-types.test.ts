// The generated types the repository commits (the demo project's, and each example's) must be what the generator
// writes from their projects today: else run `npm run types`. Each project is fully typed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { GENERATED_FILES } from '../../../scripts/lib/generated-types';
import { openProject } from '../../../src/local/types-gen/adapter';
import { generateTypes } from '../../../src/local/types-gen/generate';

// One project open at a time (chDB opens one data directory at a time in a process): the tests run in turn.
it.each(GENERATED_FILES)('$out is what its project generates (else run npm run types)', async (file) => {
  // The web analytics starter kit is read where it lies: ../shared/tinybird-projects, else WEB_ANALYTICS_KIT.
  expect(existsSync(file.project), `${file.project} is missing: clone it there or set WEB_ANALYTICS_KIT`).toBe(true);
  const project = await openProject(file.project);
  try {
    const shown = file.shown ?? relative(dirname(resolve(file.out)), file.project);
    const { source, problems, fullyTyped, endpoints } = await generateTypes(project, shown);
    expect(problems).toEqual([]);
    expect(fullyTyped).toBe(endpoints);
    expect(source).toBe(await readFile(file.out, 'utf8'));
  } finally {
    await project.close();
  }
});
