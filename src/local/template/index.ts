/**
 * Tinybird's pipe template language for the local server: `{{ expressions }}`, `{% if %}`, `{% for %}`, `{% set %}`
 * and the type functions (Int32(x, 10), String(x), Array(x, 'Int32')...), over a parsed, safe subset of Python.
 * Every request value reaches SQL through a quoting or validating function, and a guard checks that each one lands as
 * a single token outside any quotes, because chDB runs every statement in the string it is given.
 */
import { arrayParameters, withArrays } from './arrays';
import { parseTemplate, type Node } from './blocks';
import { parameters, type TemplateParameter } from './parameters';
import { run } from './render';

import { TemplateError } from './errors';

export { TemplateError };
export { templateSettings } from './settings';
export type { TemplateParameter } from './parameters';

const LEADING = /^\s*%/;

// Pipes are rendered on every request; their SQL rarely changes. Parse each text once, keeping the texts seen last up
// to a total size: the Query API lets a caller send any number of distinct texts, each up to the inflated body limit.
interface Parsed {
  nodes: Node[];
  arrays: Map<string, string>;
}
/** Characters of template text the cache holds (the trees take a small multiple of that). */
const CACHE_CHARS = 8 * 1024 * 1024;
/** A text longer than this is parsed on every use: it would push out most of the cache. */
const CACHE_ENTRY_CHARS = 256 * 1024;
const cache = new Map<string, Parsed>();
let cachedChars = 0;

function parsed(sql: string): Parsed {
  let entry = cache.get(sql);
  if (entry) {
    // Most recently used last: eviction takes from the front.
    cache.delete(sql);
    cache.set(sql, entry);
    return entry;
  }
  const nodes = bounded(() => parseTemplate(sql.replace(LEADING, '')));
  entry = { nodes, arrays: arrayParameters(nodes) };
  if (sql.length > CACHE_ENTRY_CHARS) return entry;
  cache.set(sql, entry);
  cachedChars += sql.length;
  for (const oldest of cache.keys()) {
    if (cachedChars <= CACHE_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  return entry;
}

/** Characters of template text the parse cache holds now (bounded by CACHE_CHARS). */
export function templateCacheChars(): number {
  return cachedChars;
}

/**
 * Runs a parse or a render, turning what the explicit bounds did not foresee (a value nested deep enough to overflow
 * the stack, a string past JavaScript's maximum length) into a 400 like the rest, never a 500.
 */
function bounded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError)
      throw new TemplateError('Template Syntax Error: the template is too large or too deeply nested to render');
    throw error;
  }
}

/**
 * Whether a node's SQL is a template: it starts with `%` (after leading whitespace), as in Tinybird.
 *
 * @example
 * isTemplated('%\nSELECT {{Int32(limit, 10)}}') // true
 * isTemplated('SELECT 1') // false
 */
export function isTemplated(sql: string): boolean {
  return LEADING.test(sql);
}

/**
 * Renders a templated node's SQL (including its leading `%` line) with request parameters: query-string strings,
 * string[] for repeated parameters, or JSON values from a POST body; a missing parameter is undefined (None).
 * `secrets` are what tb_secret()/tb_var() read (the project's, see project/secrets.ts).
 * Throws {@link TemplateError} (status 400 unless error(msg, code) chose one) for a bad or missing parameter or a
 * broken template.
 *
 * @example
 * renderTemplate("%\nSELECT * FROM events WHERE airline = {{String(airline, 'AA')}} LIMIT {{Int32(limit, 10)}}", { limit: '5' })
 * // "\nSELECT * FROM events WHERE airline = 'AA' LIMIT toInt32('5')"
 */
export function renderTemplate(
  sql: string,
  params: Record<string, unknown>,
  secrets: ReadonlyMap<string, string> = new Map(),
): string {
  const { nodes, arrays } = parsed(sql);
  return bounded(() => run(nodes, withArrays(params, arrays), secrets));
}

/**
 * The parameters a templated node declares through its type-function calls (best effort: a parameter only used
 * bare, as `{{ x }}` or in `defined(x)`, is not listed). `required` is true only for `required=True`.
 *
 * @example
 * templateParameters("%\nSELECT 1 LIMIT {{Int32(limit, 10, description='rows')}}")
 * // [{ name: 'limit', type: 'Int32', default: 10, required: false, description: 'rows' }]
 */
export function templateParameters(sql: string): TemplateParameter[] {
  return parameters(parsed(sql).nodes);
}
