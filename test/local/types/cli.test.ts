// `react-tinybird types` from the command line: writes the demo project's file, and says what is missing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli';

// Each case starts Node with tsx: seconds on a loaded machine.
describe('react-tinybird types', { timeout: 60_000 }, () => {
  it('writes the types of a project and prints what it typed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'types-cli-'));
    try {
      const out = join(dir, 'tinybird-types.ts');
      const cli = runCli(['types', '--project', 'examples/tinybird', '--out', out]);
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/4 endpoints \(4 fully typed\), 1 data sources -> .*tinybird-types\.ts\n$/);
      expect(await readFile(out, 'utf8')).toMatch(/interface Register \{/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with what to give when a flag is missing, and has its own --help', async () => {
    const missing = runCli(['types', '--project', 'examples/tinybird']);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toMatch(/give --project .* and --out/);
    const help = runCli(['types', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/Usage: react-tinybird types --project/);
  });
});
