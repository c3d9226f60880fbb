// The secrets tb_secret() reads locally: the environment, then the project's .env.local, then .env, as `tb dev` loads
// them. Real files in a temp folder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvFile, projectSecrets } from '../../src/local/project/secrets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tb-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('projectSecrets', () => {
  it('reads the environment first, then .env.local, then .env', async () => {
    await writeFile(join(dir, '.env'), 'A=from-env-file\nB=from-env-file\nC=from-env-file\n');
    await writeFile(join(dir, '.env.local'), 'B=from-env-local\nC=from-env-local\n');
    const secrets = await projectSecrets(dir, { C: 'from-environment' });
    expect([secrets.get('A'), secrets.get('B'), secrets.get('C')]).toEqual([
      'from-env-file',
      'from-env-local',
      'from-environment',
    ]);
  });

  it('is the environment alone in a folder with no .env files', async () => {
    const secrets = await projectSecrets(dir, { ONLY: 'x' });
    expect([...secrets]).toEqual([['ONLY', 'x']]);
  });
});

describe('parseEnvFile', () => {
  it('takes comments, export, quotes and inline comments as dotenv does', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=abc',
      'export EXPORTED = spaced ',
      'DOUBLE="a # not a comment\\nsecond line"',
      "SINGLE='kept \\n as written'",
      'INLINE=value # a comment',
      'EMPTY=',
      'not a line',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual([
      ['PLAIN', 'abc'],
      ['EXPORTED', 'spaced'],
      ['DOUBLE', 'a # not a comment\nsecond line'],
      ['SINGLE', 'kept \\n as written'],
      ['INLINE', 'value'],
      ['EMPTY', ''],
    ]);
  });
});
