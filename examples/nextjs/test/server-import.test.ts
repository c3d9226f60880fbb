// A mistake the package must explain: a client component that imports 'react-tinybird/server'. Bundlers resolve the
// entry's `browser` build, a stub that throws on load with the reason, so `next build` succeeds without bundling any
// signing code, and the page fails in the browser with that message. Built with webpack, so the example's build with
// the other bundler (e2e.test.ts uses Turbopack) is covered too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM } from '../../../test/support/chromium';

const app = fileURLToPath(new URL('..', import.meta.url));
const nextBin = createRequire(join(app, 'package.json')).resolve('next/dist/bin/next');
const MESSAGE = 'react-tinybird/server must not be imported from client code';
const SKIPPED = new Set(['node_modules', '.next', 'test', '.tinybird']);

let dir: string;
let server: ChildProcess | undefined;
let buildOutput = '';

beforeAll(async () => {
  // A copy of the example plus one wrong page; node_modules is shared through a link.
  dir = await mkdtemp(join(tmpdir(), 'nextjs-example-wrong-import-'));
  await cp(app, dir, {
    recursive: true,
    filter: (source) => !SKIPPED.has(basename(source)) && !source.endsWith('.tgz'),
  });
  await symlink(join(app, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await cp(join(app, 'test/fixtures/wrong-import'), join(dir, 'app/wrong-import'), { recursive: true });
  const build = spawnSync(process.execPath, [nextBin, 'build', '--webpack'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  buildOutput = `${build.stdout}\n${build.stderr}`;
  if (build.status !== 0) throw new Error(`next build --webpack failed:\n${buildOutput}`);
});

afterAll(async () => {
  server?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('builds with webpack without a warning about the package, and without the signing code', async () => {
  expect(buildOutput).not.toMatch(/warn.*react-tinybird|react-tinybird.*warn/i);
  const files = await readdir(join(dir, '.next/static'), { recursive: true, withFileTypes: true });
  const scripts = files.filter((file) => file.isFile() && file.name.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  let stub = 0;
  for (const file of scripts) {
    const text = await readFile(join(file.parentPath, file.name), 'utf8');
    expect(text.includes('SignJWT'), file.name).toBe(false);
    if (text.includes(MESSAGE)) stub++;
  }
  expect(stub).toBeGreaterThan(0); // the wrong page got the stub, not the entry
});

it('fails in the browser with the package’s explanation', async () => {
  const port = await freePort();
  server = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    stdio: 'ignore',
  });
  // launch() gives each run a fresh temporary profile.
  const browser = await chromium.launch(CHROMIUM);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/wrong-import`).catch(() => null))?.status, {
        timeout: 60_000,
      })
      .toBe(200);
    await page.goto(`http://127.0.0.1:${port}/wrong-import`);
    await expect.poll(() => errors.join('\n'), { timeout: 30_000 }).toContain(MESSAGE);
  } finally {
    await browser.close();
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
