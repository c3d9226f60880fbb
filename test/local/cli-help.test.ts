// `react-tinybird --help` and each command's own --help print usage and exit 0; a wrong flag still exits 2.
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';

async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = runCli(args);
  const code = await cli.exited;
  return { code, output: cli.output() };
}

// Each case starts Node with tsx: seconds on a loaded machine.
describe('react-tinybird help', { timeout: 30_000 }, () => {
  it.each([
    [['dev', '--help'], /react-tinybird dev .*--host 127\.0\.0\.1.*--seed-rows 200000/s],
    [['token', '-h'], /react-tinybird token --scope/],
    [['--help'], /react-tinybird dev .*react-tinybird token/s],
  ])('%j prints usage and exits 0', async (args, usage) => {
    const { code, output } = await run(args);
    expect(output).toMatch(usage);
    expect(output).not.toMatch(/Unknown option/);
    expect(code).toBe(0);
  });

  it('still refuses an unknown flag with exit code 2', async () => {
    const { code, output } = await run(['token', '--nope']);
    expect(output).toMatch(/Unknown option '--nope'/);
    expect(code).toBe(2);
  });
});
