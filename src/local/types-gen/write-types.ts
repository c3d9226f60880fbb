// `react-tinybird types`: a project's datafiles -> one TypeScript file, written only when its text changes (editors
// and bundlers watching it do not rebuild for nothing).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { openProject, type SourceProject } from './adapter';
import { openRemoteProject } from './remote';
import { generateTypes, type GeneratedTypes } from './generate';

export interface WriteTypesResult extends GeneratedTypes {
  /** False when the file already had this text. */
  written: boolean;
}

/** A folder of datafiles, or a running Tinybird read through its HTTP API. */
export type TypesSource = string | { url: string; token: string };

/**
 * Generates the types of `project` (a folder of datafiles, or `{ url, token }` of a running Tinybird) into `out`.
 * The header names the project by `shown`, else by its folder relative to `out` (or its URL).
 *
 * @example
 * ```ts
 * const { endpoints, fullyTyped, problems } = await writeTypes('examples/tinybird', 'src/tinybird-types.ts');
 * await writeTypes({ url: 'https://api.tinybird.co', token: adminToken }, 'src/tinybird-types.ts');
 * ```
 */
export async function writeTypes(project: TypesSource, out: string, shown?: string): Promise<WriteTypesResult> {
  const source: SourceProject =
    typeof project === 'string'
      ? await openProject(resolve(project))
      : await openRemoteProject(project.url, project.token);
  // Named in the file's header: the folder relative to the file (the same on every machine), or the URL.
  const named =
    shown ?? (typeof project === 'string' ? relative(dirname(resolve(out)), resolve(project)) || '.' : project.url);
  let generated: GeneratedTypes;
  try {
    generated = await generateTypes(source, named);
  } finally {
    await source.close();
  }
  const before = await readFile(out, 'utf8').catch(() => undefined);
  if (before === generated.source) return { ...generated, written: false };
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, generated.source);
  return { ...generated, written: true };
}
