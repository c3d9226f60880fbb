// The built .d.ts as a user's program sees them: the generated file augments 'react-tinybird', and the client and
// server entries both read that one Register (the server's .d.ts imports it rather than bundling a copy), whether the
// program resolves the ESM or the CommonJS types. Reads dist/: run `npm run build` first (.ci/run does).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let dir: string;

const USE = `import './tinybird-types';
import { useEndpoint } from 'react-tinybird';
import { createTinybirdJWT, endpointQueryOptions } from 'react-tinybird/server';
import type { TinybirdClient } from 'react-tinybird';
useEndpoint('top_airlines', { limit: 1 });
useEndpoint('nope');
endpointQueryOptions({} as TinybirdClient, 'user_bookings', { user_id: 'u' });
endpointQueryOptions({} as TinybirdClient, 'user_bookings', {});
void createTinybirdJWT({
  signingKey: 'p.x',
  name: 'n',
  scopes: [{ type: 'PIPES:READ', resource: 'top_airlines', fixed_params: { user_id: 'u' } }],
});
`;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.d.ts'))) throw new Error('dist/ is missing: run `npm run build` first.');
  dir = await mkdtemp(join(tmpdir(), 'dist-register-'));
  await mkdir(join(dir, 'node_modules'));
  // The package as installed: its exports map, its dist/; its own dependencies resolve from the repository.
  await symlink(root, join(dir, 'node_modules/react-tinybird'));
  await copyFile(join(root, 'examples/tinybird-types.ts'), join(dir, 'tinybird-types.ts'));
  await writeFile(join(dir, 'use.ts'), USE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it.each([
  ['ESM (bundler)', ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
  ['CommonJS (node16)', ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16],
])(
  '%s: every entry reads the one Register the generated file augments',
  { timeout: 60_000 },
  (_, module, moduleResolution) => {
    const file = join(dir, 'use.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module,
      moduleResolution,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? -1}: TS${d.code}`);
    // Lines (0-based) of the wrong uses: a pipe that does not exist, a missing required param (server entry), a pin
    // top_airlines does not read (server entry). Nothing else.
    expect(errors).toEqual(['5: TS2345', '7: TS2345', '11: TS2353']);
  },
);
