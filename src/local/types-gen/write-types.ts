// `react-tinybird types`: a project's datafiles -> one TypeScript file, written only when its text changes (editors
// and bundlers watching it do not rebuild for nothing).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { openProject } from './adapter';
import { generateTypes, type GeneratedTypes } from './generate';

export interface WriteTypesResult extends GeneratedTypes {
  /** False when the file already had this text. */
  written: boolean;
}

/**
 * Generates the types of the project in `project` into `out`.
 *
 * @example
 * ```ts
 * const { endpoints, fullyTyped, problems } = await writeTypes('examples/tinybird', 'src/tinybird-types.ts');
 * ```
 */
export async function writeTypes(project: string, out: string): Promise<WriteTypesResult> {
  const source = await openProject(resolve(project));
  let generated: GeneratedTypes;
  try {
    generated = await generateTypes(source, relative(dirname(resolve(out)), resolve(project)) || '.');
  } finally {
    await source.close();
  }
  const before = await readFile(out, 'utf8').catch(() => undefined);
  if (before === generated.source) return { ...generated, written: false };
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, generated.source);
  return { ...generated, written: true };
}
