// Reads a Tinybird project's tests into cases the runner can call: the classic CLI's `tests/*.test` (a `tb pipe data`
// or `tb sql` command) with its `.result`, Tinybird Forward's `tests/<pipe>.yaml` (parameters and expected_result),
// and data-quality yaml (a SQL query per check that must return no rows).
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';

type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export type TestCase =
  | {
      kind: 'pipe';
      name: string;
      pipe: string;
      /** A query string, as Tinybird's test runner sends it. */
      params: string;
      format: 'csv' | 'json' | 'ndjson';
      expected: string;
      /** An error's status the test expects (its expected_result is then the error message). */
      status: number;
    }
  | { kind: 'sql'; name: string; sql: string; format: 'csv' | 'json'; expected: string }
  | { kind: 'quality'; name: string; sql: string; params: string }
  | { kind: 'unreadable'; name: string; why: string };

/** Splits a command line as a shell would (quotes, backslashes), enough for `tb ...` lines. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) word += line[++i];
    else if (/\s/.test(c)) {
      if (has || word) words.push(word);
      word = '';
      has = false;
    } else word += c;
  }
  if (has || word) words.push(word);
  return words;
}

function classicTest(file: string, command: string, expected: string): TestCase {
  const name = basename(file);
  const all = shellWords(command.trim());
  // `tb --token $TB_TOKEN --host ... pipe data ...`: options before the command are the CLI's own; drop them.
  let first = 1;
  while (all[first]?.startsWith('--')) first += all[first]!.includes('=') ? 1 : 2;
  const words = [all[0] ?? '', ...all.slice(first)];
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      if (eq !== -1) options.set(w.slice(2, eq), w.slice(eq + 1));
      else options.set(w.slice(2), words[++i] ?? '');
    } else positional.push(w);
  }
  const format = (options.get('format') ?? '').toLowerCase();
  options.delete('format');
  if (format !== 'csv' && format !== 'json')
    return { kind: 'unreadable', name, why: `only --format CSV or JSON results can be compared, not "${format}"` };
  if (words[0] === 'tb' && words[1] === 'sql' && positional[0])
    return { kind: 'sql', name, sql: positional[0], format, expected };
  if (words[0] === 'tb' && words[1] === 'pipe' && positional[0] === 'data' && positional[1]) {
    const params = new URLSearchParams([...options].filter(([key]) => key !== 'token' && key !== 'host'));
    return { kind: 'pipe', name, pipe: positional[1], params: params.toString(), format, expected, status: 200 };
  }
  return { kind: 'unreadable', name, why: `not a tb pipe data / tb sql command: ${command.trim()}` };
}

/**
 * The classic CLI's regression-test settings (`- pipe: <regex>` with `tests: [coverage | last | manual]`): they compare
 * a release's endpoints with the live workspace's, so there is nothing to check them against here.
 */
const isRegressionSettings = (item: YamlValue) =>
  item !== null && typeof item === 'object' && !Array.isArray(item) && 'pipe' in item && 'tests' in item;

function yamlTests(file: string, doc: YamlValue): TestCase[] {
  const items = (Array.isArray(doc) ? doc : []).filter((item) => !isRegressionSettings(item));
  const pipe = basename(file, extname(file));
  return items.map((item, i): TestCase => {
    const fallback = `${basename(file)}#${i + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return { kind: 'unreadable', name: fallback, why: 'not a mapping' };
    // Data-quality checks: `- <check name>: { sql: ..., pipe: { name, params } }`; the params fill the templates of
    // the pipe the SQL reads.
    const keys = Object.keys(item);
    const only = keys.length === 1 ? item[keys[0]!] : undefined;
    if (only && typeof only === 'object' && !Array.isArray(only) && typeof only['sql'] === 'string') {
      const pipe = only['pipe'];
      const given = pipe && typeof pipe === 'object' && !Array.isArray(pipe) ? pipe['params'] : undefined;
      const entries =
        given && typeof given === 'object' && !Array.isArray(given)
          ? Object.entries(given).map(([key, value]): [string, string] => [key, String(value)])
          : [];
      const params = new URLSearchParams(entries).toString();
      return { kind: 'quality', name: `${basename(file)}:${keys[0]}`, sql: only['sql'], params };
    }
    const name = `${basename(file)}:${typeof item['name'] === 'string' ? item['name'] : fallback}`;
    if (!('expected_result' in item)) return { kind: 'unreadable', name, why: 'no expected_result' };
    const status = typeof item['expected_http_status'] === 'number' ? item['expected_http_status'] : 200;
    const params = item['parameters'] === null || item['parameters'] === undefined ? '' : String(item['parameters']);
    const expected = item['expected_result'] === null ? '' : String(item['expected_result']);
    return { kind: 'pipe', name, pipe, params, format: 'ndjson', expected, status };
  });
}

export async function readTests(files: string[]): Promise<TestCase[]> {
  const out: TestCase[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (file.endsWith('.test')) {
      const expected = await readFile(`${file}.result`, 'utf8').catch(() => undefined);
      if (expected === undefined) out.push({ kind: 'unreadable', name: basename(file), why: 'no .result file' });
      else out.push(classicTest(file, text, expected));
      continue;
    }
    try {
      out.push(...yamlTests(file, parseYaml(text) as YamlValue));
    } catch (error) {
      out.push({ kind: 'unreadable', name: basename(file), why: `YAML: ${(error as Error).message}` });
    }
  }
  return out;
}
