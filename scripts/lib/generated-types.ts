// The generated types this repository commits, each read from its project: `npm run types` rewrites them, and
// test/local/types/committed-types.test.ts fails when one differs from what the generator writes now.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GeneratedFile {
  /** The folder of datafiles. */
  project: string;
  /** The file written, relative to the repository. */
  out: string;
  /** How the file's header names the project, when the folder's place differs between machines. */
  shown?: string;
}

/**
 * The web analytics starter kit's project, read where it lies (never copied here): WEB_ANALYTICS_KIT, else
 * ../shared/tinybird-projects/web-analytics-starter-kit/tinybird next to the repository (as its e2e test reads it).
 */
export const WEB_ANALYTICS_KIT =
  process.env['WEB_ANALYTICS_KIT'] || join(ROOT, '../shared/tinybird-projects/web-analytics-starter-kit/tinybird');

export const GENERATED_FILES: GeneratedFile[] = [
  // The demo project: the playground (stories/, .storybook/) and the registered type tests include it.
  { project: join(ROOT, 'examples/tinybird'), out: 'examples/tinybird-types.ts' },
  // The Next.js example's own copy, inside its program (its tsconfig includes every .ts of the app).
  { project: join(ROOT, 'examples/tinybird'), out: 'examples/nextjs/tinybird-types.ts' },
  // Where the example's README has you clone the kit, whatever folder it was read from here.
  {
    project: WEB_ANALYTICS_KIT,
    out: 'examples/web-analytics/tinybird-types.ts',
    shown: 'web-analytics-starter-kit/tinybird',
  },
];
