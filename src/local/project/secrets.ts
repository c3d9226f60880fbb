// The secrets a project's templates read with tb_secret()/tb_var(). On Tinybird they are the workspace's; for local
// development `tb dev` and `tb build` load them from the project's `.env.local` and `.env`, and so does the local
// server. The environment comes first (a variable already set is never overridden, as dotenv does), then `.env.local`,
// then `.env`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

const FILES = ['.env.local', '.env'];

/** `dir`'s secrets: the environment, then `.env.local`, then `.env` (a missing file is no secrets). */
export async function projectSecrets(
  dir: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) if (value !== undefined) secrets.set(name, value);
  for (const file of FILES) {
    let text: string;
    try {
      text = await readFile(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    for (const [name, value] of parseEnvFile(text)) if (!secrets.has(name)) secrets.set(name, value);
  }
  return secrets;
}

/**
 * The `NAME=value` lines of a .env file, in file order, read by Node's own parser (`util.parseEnv`, as `node
 * --env-file` reads them): `#` comments, `export NAME=value`, values in single quotes (as written) or double quotes
 * (`\n` is a newline, and they may span lines), unquoted values up to a ` #` comment.
 *
 * @example
 * parseEnvFile('# keys\nKEY=abc\nexport QUOTED="a # b"\n') // [['KEY', 'abc'], ['QUOTED', 'a # b']]
 */
export function parseEnvFile(text: string): Array<[string, string]> {
  const parsed = Object.entries(parseEnv(text)).filter((entry): entry is [string, string] => entry[1] !== undefined);
  // parseEnv gives the names sorted: put them back in the order the file defines them.
  const at = (name: string) =>
    text.search(new RegExp(`^[ \\t]*(?:export\\s+)?${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[ \\t]*=`, 'm'));
  return parsed.sort(([a], [b]) => at(a) - at(b));
}
