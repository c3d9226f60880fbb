// The two web analytics dashboards the kit section compares, each built once into the git-ignored bench/.scratch and
// reused while its sources are unchanged: examples/web-analytics (ours, on the packed library) and the web analytics
// starter kit's own `dashboard/` (theirs, as its README says: install, `next build`, `next start`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { freePort, waitUntilServing } from '../../test/support/next-start';
import { repoRoot } from './bundle';
import { scratchDir } from './scratch';

/** The kit's Tinybird project and dashboard: WEB_ANALYTICS_KIT (its `tinybird/` folder), else next to the repository. */
export const kitProject =
  process.env.WEB_ANALYTICS_KIT ?? join(repoRoot, '../shared/tinybird-projects/web-analytics-starter-kit/tinybird');
export const kitDashboardSource = join(kitProject, '../dashboard');
export const kitDir = join(scratchDir, 'kit-dashboard');
export const oursDir = join(scratchDir, 'ours-web-analytics');

export interface BuiltApp {
  dir: string;
  /** False when the build of an earlier run was reused. */
  built: boolean;
  /** What the install printed that a reader should know (e.g. why `npm ci` could not be used). */
  notes: string[];
  /** The installed versions that matter, e.g. "next 14.2.30, react 18.3.1". */
  versions: string;
}

function versions(dir: string, names: readonly string[]): string {
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return names.map((name) => `${name} ${version(name)}`).join(', ');
}
const KIT_PACKAGES = ['next', 'react', 'swr', 'recharts'];
const OUR_PACKAGES = ['next', 'react', '@tanstack/react-query', 'recharts'];

/** Runs a command, throwing with its output when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`.slice(-4000));
  }
  return `${result.stdout}\n${result.stderr}`;
}

/** Every file under `dir` (but `skip`ped folders), path and content, hashed: the key a cached build is stored under. */
function hashTree(dir: string, skip: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      if (skip.includes(name)) continue;
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function cached(dir: string, key: string): boolean {
  const stamp = join(dir, '.bench-build-key');
  return existsSync(join(dir, '.next/BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key;
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** No install script runs: nothing may download a browser or a binary. Neither app needs one to build or serve. */
const INSTALL = ['--no-audit', '--no-fund', '--ignore-scripts'];
const BUILD_ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/**
 * The kit's dashboard: copied as it is, installed from its own lockfile, built with `next build`. Two things this
 * machine needs, both said in the section's notes: `npm ci` refuses the kit's lockfile (it lacks esbuild 0.15's
 * optional platform packages that package.json's vite 3 asks for), so `npm install` keeps every locked version and
 * adds those; and next/font/google fetches Inter's CSS from fonts.googleapis.com at build time, which this machine
 * cannot reach, so Next's own NEXT_FONT_GOOGLE_MOCKED_RESPONSES answers with the Inter font the kit ships in public/.
 */
export function ensureKitBuild(log: (message: string) => void): BuiltApp {
  if (!existsSync(join(kitDashboardSource, 'package.json'))) {
    throw new Error(
      `the kit's dashboard is not at ${kitDashboardSource} (set WEB_ANALYTICS_KIT to the kit's tinybird/)`,
    );
  }
  const key = hashTree(kitDashboardSource, ['node_modules', '.next']);
  // What the install had to do is kept with the build, so a run that reuses it still says so.
  const notesFile = join(kitDir, '.bench-build-notes.json');
  if (cached(kitDir, key)) {
    const notes = existsSync(notesFile) ? (JSON.parse(readFileSync(notesFile, 'utf8')) as string[]) : [];
    return { dir: kitDir, built: false, notes, versions: versions(kitDir, KIT_PACKAGES) };
  }
  const notes: string[] = [];
  log(`building the kit's dashboard in ${kitDir} (npm install + next build: a few minutes)`);
  rmSync(kitDir, { recursive: true, force: true });
  cpSync(kitDashboardSource, kitDir, { recursive: true, filter: (path) => !/\/(node_modules|\.next)$/.test(path) });
  run('chmod', ['-R', 'u+w', kitDir], repoRoot); // the kit may lie on a read-only copy
  const ci = spawnSync(NPM, ['ci', ...INSTALL], { cwd: kitDir, encoding: 'utf8' });
  if (ci.status !== 0) {
    const missing = (ci.stderr.match(/Missing: \S+/g) ?? []).length;
    notes.push(`npm ci refused the kit's lockfile (${missing} packages missing from it): installed with npm install`);
    run(NPM, ['install', ...INSTALL], kitDir);
  }
  const engines = (JSON.parse(readFileSync(join(kitDir, 'package.json'), 'utf8')) as { engines?: { node?: string } })
    .engines?.node;
  if (engines) notes.push(`the kit asks for node ${engines}; built and served here on Node ${process.versions.node}`);
  notes.push('next/font/google answered by NEXT_FONT_GOOGLE_MOCKED_RESPONSES with the Inter font the kit ships');
  writeFileSync(notesFile, JSON.stringify(notes));
  const fonts = join(scratchDir, 'google-fonts-mock.cjs');
  writeFileSync(fonts, googleFontsMock(join(kitDir, 'public/fonts/Inter-roman-latin.var.woff2')));
  run(process.execPath, [join(kitDir, 'node_modules/next/dist/bin/next'), 'build'], kitDir, {
    ...BUILD_ENV,
    NEXT_FONT_GOOGLE_MOCKED_RESPONSES: fonts,
  });
  writeFileSync(join(kitDir, '.bench-build-key'), key);
  return { dir: kitDir, built: true, notes, versions: versions(kitDir, KIT_PACKAGES) };
}

/** Next's hook for tests without Google Fonts: a module mapping each CSS URL to its answer (here one for any URL). */
function googleFontsMock(font: string): string {
  const css = `/* latin */
@font-face {
  font-family: 'Inter';
  font-style: normal;
  font-weight: 100 900;
  font-display: swap;
  src: url(${font}) format('woff2');
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD;
}
`;
  return `module.exports = new Proxy({}, { get: () => ${JSON.stringify(css)} });\n`;
}

/**
 * examples/web-analytics as scripts/test-example.sh runs it: the library built and packed, the tarball installed into a
 * copy of the example (app code only: its test and dev script stay behind), `next build`. Rebuilt when the library's
 * sources or the example change (git's view of them, committed or not).
 */
export function ensureOursBuild(log: (message: string) => void): BuiltApp {
  const paths = ['src', 'package.json', 'tsup.config.ts', 'examples/web-analytics'];
  const tracked = run('git', ['ls-files', '-s', ...paths], repoRoot);
  const changed = run('git', ['diff', 'HEAD', '--', ...paths], repoRoot);
  const key = createHash('sha256').update(tracked).update(changed).digest('hex');
  if (cached(oursDir, key)) return { dir: oursDir, built: false, notes: [], versions: versions(oursDir, OUR_PACKAGES) };
  log(`building examples/web-analytics in ${oursDir} (library build + pack + install + next build)`);
  const stale = run(
    'find',
    ['src', 'package.json', 'tsup.config.ts', '-newer', 'dist/index.js', '-print', '-quit'],
    repoRoot,
  );
  if (!existsSync(join(repoRoot, 'dist/index.js')) || stale.trim() !== '') run(NPM, ['run', 'build'], repoRoot);
  const example = join(repoRoot, 'examples/web-analytics');
  mkdirSync(oursDir, { recursive: true });
  // A fresh copy (a file the example dropped must not linger), keeping the installed node_modules to save a download.
  for (const name of readdirSync(oursDir)) {
    if (name !== 'node_modules') rmSync(join(oursDir, name), { recursive: true, force: true });
  }
  for (const file of run('git', ['ls-files', 'examples/web-analytics'], repoRoot).split('\n')) {
    const path = file.slice('examples/web-analytics/'.length);
    if (!path || /^(test|scripts)\//.test(path)) continue;
    mkdirSync(dirname(join(oursDir, path)), { recursive: true });
    cpSync(join(example, path), join(oursDir, path));
  }
  run(NPM, ['pack', '--silent', '--pack-destination', oursDir], repoRoot);
  // As scripts/test-example.sh: the tarball changes with each build, so the lockfile must not pin its hash.
  const lockPath = join(oursDir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, { integrity?: string }> };
  delete lock.packages['node_modules/react-tinybird']?.integrity;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  rmSync(join(oursDir, 'node_modules/react-tinybird'), { recursive: true, force: true });
  run(NPM, ['install', ...INSTALL], oursDir);
  run(process.execPath, [join(oursDir, 'node_modules/next/dist/bin/next'), 'build'], oursDir, BUILD_ENV);
  writeFileSync(join(oursDir, '.bench-build-key'), key);
  return { dir: oursDir, built: true, notes: [], versions: versions(oursDir, OUR_PACKAGES) };
}

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** `next start` on a free loopback port with `env`, until it answers. */
export async function startNext(dir: string, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(
    process.execPath,
    [join(dir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitUntilServing(server, url);
  return {
    url,
    close: async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
  };
}
