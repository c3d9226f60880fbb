// The README's Next.js code is the example app's own files (examples/nextjs), so the two cannot drift: every ts/tsx
// block whose first line names a file of the example (`// app/...`, `// lib/...`) must equal that file.
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = (path: string) => new URL(`../../examples/nextjs/${path}`, import.meta.url);

const blocks = [...readme.matchAll(/^```tsx?\n(\/\/ ((?:app|lib)\/[\w/.[\]-]+\.tsx?)[^\n]*\n[\s\S]*?)^```$/gm)].map(
  ([, code, path]) => ({ code: code!, path: path! }),
);

it('shows the example’s token route, dashboard and server-rendered page', () => {
  expect(blocks.map((block) => block.path)).toEqual(
    expect.arrayContaining([
      'app/api/tinybird-token/route.ts',
      'app/dashboard/dashboard.tsx',
      'app/server-rendered/page.tsx',
      'app/providers.tsx',
    ]),
  );
});

it.each(blocks)('the README block $path is the example’s file', ({ code, path }) => {
  expect(existsSync(example(path)), path).toBe(true);
  expect(code).toBe(readFileSync(example(path), 'utf8'));
});
