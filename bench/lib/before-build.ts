// The local server as it was at an older commit, to run the same requests against it and against today's in one
// bench run: its sources (and the bench's child script) extracted with `git archive` into a temp folder that borrows
// this checkout's node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './bundle';

/** Extracts `commit`'s server once and returns the path of its child script (for startLocalProcess's childScript). */
export function beforeBuild(commit: string): string {
  const dir = join(tmpdir(), `react-tinybird-before-${commit}`);
  const script = join(dir, 'bench/lib/local-child.ts');
  if (existsSync(script)) return script;
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', commit, 'package.json', 'src', 'bench/lib/local-child.ts'], {
    cwd: repoRoot,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return script;
}
