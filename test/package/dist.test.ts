// Checks the built package in dist/ as users get it: directives, what each bundle may contain, and every entry's
// exports. It reads dist/ and never builds it: run `npm run build` first (.ci/run does).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist');

function read(file: string): string {
  const path = join(dist, file);
  if (!existsSync(path)) {
    throw new Error(
      `dist/${file} is missing: run \`npm run build\` before the package tests (they check the built output).`,
    );
  }
  return readFileSync(path, 'utf8');
}

// An entry and every local chunk it pulls in: tsup splits shared ESM code into chunk-*.js files.
function bundle(file: string, seen = new Set<string>()): Map<string, string> {
  const out = new Map<string, string>();
  if (seen.has(file)) return out;
  seen.add(file);
  const code = read(file);
  out.set(file, code);
  for (const [, spec] of code.matchAll(/(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = relative(dist, resolve(dirname(join(dist, file)), spec!));
    for (const [name, text] of bundle(target, seen)) out.set(name, text);
  }
  return out;
}

const CLIENT = [
  'index.js',
  'index.cjs',
  'charts/index.js',
  'charts/index.cjs',
  'devtools/index.js',
  'devtools/index.cjs',
  'dashboard/index.js',
  'dashboard/index.cjs',
];
const SERVER = ['server/index.js', 'server/index.cjs', 'local/index.js', 'local/index.cjs', 'local/cli.js'];
const BROWSER_STUB = ['server/browser.js', 'server/browser.cjs'];
// The directive prologue: the string-literal statements a file starts with. esbuild's CJS output puts "use strict"
// first; "use client" still counts as a directive as long as it is in that prologue.
const prologue = (code: string) =>
  [...(/^(?:#!.*\n)?(?:\s*(["'])[^"'\n]*\1;?)*/.exec(code)?.[0] ?? '').matchAll(/(["'])([^"'\n]*)\1/g)].map(
    (m) => m[2],
  );

describe('dist: directives', () => {
  it.each(CLIENT)("%s starts with the 'use client' directive", (file) => {
    expect(prologue(read(file))).toContain('use client');
  });

  it.each([...SERVER, ...BROWSER_STUB])("%s has no 'use client' directive", (file) => {
    expect(prologue(read(file))).not.toContain('use client');
  });
});

describe('dist: what each bundle may contain', () => {
  // Signing with the admin token, chDB and the local HTTP server never belong in code that ships to a browser.
  const FORBIDDEN_IN_CLIENT = [
    /SignJWT/,
    /\bchdb\b/,
    /react-tinybird\/server/,
    /react-tinybird\/local/,
    /createTinybirdJWT/,
    /@hono\/node-server/,
  ];

  it.each(CLIENT)('%s (with its chunks) has no signing code, chDB or server imports', (file) => {
    for (const [name, code] of bundle(file)) {
      for (const pattern of FORBIDDEN_IN_CLIENT) {
        expect({ name, pattern: String(pattern), found: pattern.test(code) }).toEqual({
          name,
          pattern: String(pattern),
          found: false,
        });
      }
    }
  });

  it.each(CLIENT)(
    '%s (with its chunks) imports nothing from jose: claims are decoded locally, signing stays on the server',
    (file) => {
      for (const [name, code] of bundle(file)) {
        expect({ name, jose: /["']jose["']|import_jose/.test(code) }).toEqual({ name, jose: false });
      }
    },
  );

  it.each(BROWSER_STUB)(
    '%s (what browsers resolve for react-tinybird/server) contains no jose and no signing code',
    (file) => {
      const files = bundle(file);
      for (const [name, code] of files)
        expect({ name, jose: /\bjose\b|SignJWT/.test(code) }).toEqual({ name, jose: false });
      expect([...files.values()].join('\n')).toContain('must not be imported from client code');
    },
  );

  it.each(['server/index.js', 'server/index.cjs'])('%s imports no React and signs through jose', (file) => {
    const code = [...bundle(file).values()].join('\n');
    expect(code).not.toMatch(/["']react(-dom)?(\/[^"']*)?["']/);
    expect(code).toMatch(/SignJWT/);
  });
});

// Each entry is loaded by name in a child Node process, through package.json `exports`, exactly as a user's
// code resolves it (the test runner's aliases point at the sources and would hide a broken build).
function exportsOf(specifier: string, mode: 'import' | 'require', conditions: string[] = []): string[] {
  const script =
    mode === 'import'
      ? `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`
      : `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const args = [
    ...conditions.map((c) => `--conditions=${c}`),
    ...(mode === 'import' ? ['--input-type=module'] : []),
    '-e',
    script,
  ];
  const stdout = execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

describe('dist: public API of every entry', () => {
  // ESM and CJS must expose the same names; the snapshot is the reviewed public surface (update it with `vitest -u`).
  const api = (specifier: string, file: string) => {
    read(file);
    const esm = exportsOf(specifier, 'import');
    expect(exportsOf(specifier, 'require')).toEqual(esm);
    return esm;
  };

  it('react-tinybird/server', () => {
    expect(api('react-tinybird/server', 'server/index.js')).toMatchInlineSnapshot(`
      [
        "TinybirdConfigError",
        "TinybirdError",
        "createTinybirdClient",
        "createTinybirdJWT",
        "createTokenHandler",
        "endpointQueryOptions",
        "readAdminToken",
        "resolveDashboardParams",
      ]
    `);
  });

  it('the browser stub of react-tinybird/server exports every runtime name the server entry does', () => {
    // The stub throws on load, so its names are read from the built ESM's export statement. A missing name would make
    // a client bundler fail with "No matching export" instead of the stub's explanation.
    const names = [...read('server/browser.js').matchAll(/export\s*\{([^}]*)\}/g)]
      .flatMap(([, list]) => list!.split(','))
      .map((entry) =>
        entry
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      )
      .filter(Boolean)
      .sort();
    expect(names).toEqual(exportsOf('react-tinybird/server', 'import'));
  });

  it('instanceof TinybirdError recognises errors thrown by either entry (each bundles its own copy)', () => {
    const script = `
      const client = await import('react-tinybird');
      const server = await import('react-tinybird/server');
      const fromServer = new server.TinybirdError('FORBIDDEN', 'from the server entry');
      const fromClient = new client.TinybirdError('FORBIDDEN', 'from the client entry');
      console.log(JSON.stringify([
        fromServer instanceof client.TinybirdError,
        fromClient instanceof server.TinybirdError,
        new Error('x') instanceof client.TinybirdError,
        { code: 'FORBIDDEN' } instanceof server.TinybirdError,
      ]));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual([true, true, false, false]);
  });

  // ESM only: the CJS builds keep a copy of core each (see tsup.config.ts), which the brand check above covers.
  it.each(['import'] as const)(
    'the client and server entries share one copy of core at run time (%s): one TinybirdError class',
    (mode) => {
      const load = (name: string) => (mode === 'import' ? `await import('${name}')` : `require('${name}')`);
      const script = `
        const client = ${load('react-tinybird')};
        const server = ${load('react-tinybird/server')};
        console.log(JSON.stringify(client.TinybirdError === server.TinybirdError));`;
      const stdout = execFileSync(
        process.execPath,
        mode === 'import' ? ['--input-type=module', '-e', script] : ['-e', script],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).toBe(true);
    },
  );

  it('react-tinybird', () => {
    expect(api('react-tinybird', 'index.js')).toMatchInlineSnapshot(`
      [
        "DashboardContext",
        "EventQueue",
        "TinybirdClient",
        "TinybirdError",
        "TinybirdProvider",
        "TokenSource",
        "createTinybirdClient",
        "encodeParams",
        "endpointQueryOptions",
        "useAppend",
        "useEndpoint",
        "useSql",
        "useTinybird",
        "useTinybirdQueryClient",
        "useTinybirdToken",
      ]
    `);
  });

  it('react-tinybird/charts', () => {
    expect(api('react-tinybird/charts', 'charts/index.js')).toMatchInlineSnapshot(`
      [
        "AreaChart",
        "BarChart",
        "BarList",
        "ChartFrame",
        "DonutChart",
        "LineChart",
        "Metric",
        "Table",
        "chartStyles",
      ]
    `);
  });

  it('react-tinybird/devtools', () => {
    expect(api('react-tinybird/devtools', 'devtools/index.js')).toMatchInlineSnapshot(`
      [
        "TinybirdDevtools",
        "TinybirdDevtoolsPanel",
        "createRequestLog",
      ]
    `);
  });

  it('react-tinybird/dashboard', () => {
    expect(api('react-tinybird/dashboard', 'dashboard/index.js')).toMatchInlineSnapshot(`
      [
        "DashboardProvider",
        "FilterChips",
        "TimeRangePicker",
        "historyAdapter",
        "useDashboard",
      ]
    `);
  });

  it('react-tinybird/local', () => {
    expect(api('react-tinybird/local', 'local/index.js')).toMatchInlineSnapshot(`
      [
        "DatafileError",
        "startLocalServer",
        "streamEvents",
      ]
    `);
  });

  it('react-tinybird/server under workerd / edge-light (whose bundlers also set `browser`) is the real entry', () => {
    read('server/index.js');
    for (const runtime of ['workerd', 'edge-light']) {
      expect(exportsOf('react-tinybird/server', 'import', [runtime, 'worker', 'browser'])).toContain(
        'createTokenHandler',
      );
    }
  });

  it('react-tinybird/server under the `browser` condition throws on load', () => {
    read('server/browser.js');
    expect(() => exportsOf('react-tinybird/server', 'import', ['browser'])).toThrow(
      /must not be imported from client code/,
    );
  });
});
