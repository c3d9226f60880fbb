import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoRoot } from './bundle';

export const scratchDir = `${repoRoot}bench/.scratch`;

/**
 * Installs a package the repo cannot depend on (e.g. @tinybirdco/charts, whose peer range stops at React 18) into the
 * git-ignored bench/.scratch, once. Only the bench calls this; `npm test` never installs anything.
 */
export function ensureScratchPackage(name: string, version: string): string {
  const dir = `${scratchDir}/node_modules/${name}`;
  if (existsSync(`${dir}/package.json`)) return dir;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [
    'install',
    '--no-save',
    '--legacy-peer-deps',
    '--no-audit',
    '--no-fund',
    '--prefix',
    scratchDir,
    `${name}@${version}`,
  ];
  const run = spawnSync(npm, args, { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(`${dir}/package.json`)) {
    throw new Error(`npm ${args.join(' ')} failed:\n${run.stderr}`);
  }
  return dir;
}
