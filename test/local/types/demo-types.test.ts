// examples/tinybird-types.ts is generated from examples/tinybird (`npm run types:demo`): it must not drift from it.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { openProject } from '../../../src/local/types-gen/adapter';
import { generateTypes } from '../../../src/local/types-gen/generate';

it('examples/tinybird-types.ts is what the demo project generates (else run npm run types:demo)', async () => {
  const project = await openProject('examples/tinybird');
  try {
    const { source, problems, fullyTyped, endpoints } = await generateTypes(project, 'tinybird');
    expect(problems).toEqual([]);
    expect(fullyTyped).toBe(endpoints);
    expect(source).toBe(await readFile('examples/tinybird-types.ts', 'utf8'));
  } finally {
    await project.close();
  }
});
