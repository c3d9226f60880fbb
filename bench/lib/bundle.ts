import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The package's own entries, resolved to the sources so a size needs no prior `npm run build`. */
const selfEntries: Record<string, string> = {
  'react-tinybird': 'src/index.ts',
  'react-tinybird/charts': 'src/charts/index.ts',
  'react-tinybird/devtools': 'src/devtools/index.ts',
  'react-tinybird/dashboard': 'src/dashboard/index.ts',
};

/** Resolves the package's own entries to its sources, except those the caller keeps external. */
const selfFromSource = (external: readonly string[]): Plugin => ({
  name: 'react-tinybird-from-source',
  setup(b) {
    b.onResolve({ filter: /^react-tinybird(\/charts|\/devtools|\/dashboard)?$/ }, (args) => {
      if (external.includes(args.path)) return { path: args.path, external: true };
      const file = selfEntries[args.path]!;
      const path = `${repoRoot}${file}`;
      if (!existsSync(path)) {
        return { errors: [{ text: `${args.path} resolves to ${file}, which does not exist yet` }] };
      }
      return { path };
    });
  },
});

const standIns = (modules: Readonly<Record<string, string>>): Plugin => ({
  name: 'stand-ins',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.tsx?$/ }, (args) => {
      const contents = modules[args.path.slice(repoRoot.length)];
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
});

export interface BundleInput {
  /**
   * An ES module (JavaScript + JSX) that imports what a user would import and re-exports it, so nothing is tree-shaken
   * away. JavaScript, not TypeScript: esbuild then fails on a name the package does not export instead of assuming a type.
   */
  contents: string;
  /** Where bare imports in `contents` resolve from (a folder with node_modules above it). */
  resolveDir?: string;
  /** Package names left out of the bundle (subpaths included), e.g. react. */
  external: readonly string[];
  /** Source files (repo-relative) swapped for a stand-in module: what a part costs is the size without it. */
  standIns?: Readonly<Record<string, string>>;
}

export interface BundleSize {
  minified: number;
  gzip: number;
  /** The minified bundle itself, for checks on what it contains. */
  code: string;
}

/** Bundle like an app's production build would (esbuild, minified, browser, NODE_ENV=production) and measure it. */
export async function bundleSize(input: BundleInput): Promise<BundleSize> {
  const result = await build({
    stdin: {
      contents: input.contents,
      resolveDir: input.resolveDir ?? repoRoot,
      loader: 'jsx',
      sourcefile: 'entry.jsx',
    },
    absWorkingDir: repoRoot,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    write: false,
    outfile: 'out.js',
    external: [...input.external],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [selfFromSource(input.external), standIns(input.standIns ?? {})],
    logLevel: 'silent',
  });
  const output = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
  return {
    minified: output.contents.byteLength,
    gzip: gzipSync(output.contents, { level: 9 }).byteLength,
    code: output.text,
  };
}

export const reactExternal = ['react', 'react-dom'] as const;

/** A read-only dashboard: the provider and the query hook. */
export const readOnlyFixture = `export { TinybirdProvider, useEndpoint } from 'react-tinybird';`;

/** The client entry as the size budget defines it: provider + the two hooks every dashboard uses. */
export const clientEntryFixture = `export { TinybirdProvider, useEndpoint, useAppend } from 'react-tinybird';`;

/** The engine without React: what a script, a worker or code outside the provider imports. */
export const engineFixture = `export { createTinybirdClient } from 'react-tinybird';`;

/**
 * The gzip budgets (bytes) of those three fixtures: test/size enforces them and the bench reports against them. Why each
 * is what it is: test/size/size-budget.test.ts.
 */
export const sizeBudgets = { readOnly: 6_464, client: 9_312, engine: 7_680 } as const;

/** The dashboard layer on its own (the client entry it imports left external): what a page with a dashboard adds. */
export const dashboardFixture = `export { DashboardProvider, TimeRangePicker, FilterChips, useDashboard } from 'react-tinybird/dashboard';`;
