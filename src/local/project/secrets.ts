// The secrets a project's templates read with tb_secret()/tb_var(). On Tinybird they are the workspace's; for local
// development `tb dev` and `tb build` load them from the project's `.env.local` and `.env`, and so does the local
// server. The environment comes first (a variable already set is never overridden, as dotenv does), then `.env.local`,
// then `.env`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;

/**
 * The `NAME=value` lines of a .env file: `#` comments, `export NAME=value`, values in single quotes (as written) or
 * double quotes (`\n` is a newline), and unquoted values up to a ` #` comment.
 *
 * @example
 * parseEnvFile('# keys\nKEY=abc\nexport QUOTED="a # b"\n') // [['KEY', 'abc'], ['QUOTED', 'a # b']]
 */
export function parseEnvFile(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    out.push([m[1]!, envValue(m[2]!)]);
  }
  return out;
}

function envValue(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length > 1) {
    const end = raw.indexOf(quote, 1);
    if (end > 0) {
      const inner = raw.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
    }
  }
  return raw.replace(/\s+#.*$/, '');
}
