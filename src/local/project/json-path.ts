// The `json:$.path` of a data source column: the subset Tinybird's Events API documents.

/** One step of a path: an object key, an array index, or `[:]` (keep the whole array). */
export type JsonPathStep = { key: string } | { index: number } | { all: true };
export type JsonPath = JsonPathStep[];

/**
 * Parses `$.a.b`, `$.a[0]`, `$['a b']`, `$.tags[:]`, and `$`: the whole row (a JSON column). A dot before a bracket
 * (`$.['$browser']`, as some projects write keys that start with `$`) is read as the bracket alone. Throws an Error
 * saying what is wrong.
 */
export function parseJsonPath(path: string): JsonPath {
  if (!path.startsWith('$')) throw new Error(`json path "${path}" must start with $, e.g. $.user_id`);
  const steps: JsonPath = [];
  const re = /\.([A-Za-z_][\w-]*)|\.?\[(\d+)\]|\.?\[:\]|\.?\['([^']*)'\]|\.?\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m)
      throw new Error(
        `cannot read json path "${path}" at "${path.slice(at)}" (use $.key, $.key[0], $['key'] or $.key[:])`,
      );
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) steps.push({ key: m[3] ?? m[4] ?? '' });
    else steps.push({ all: true });
  }
  return steps;
}

/** The value at `path` in `row`, or undefined when any step is missing. */
export function readJsonPath(row: unknown, path: JsonPath): unknown {
  let value: unknown = row;
  for (const step of path) {
    if ('all' in step) {
      if (!Array.isArray(value)) return undefined;
      continue;
    }
    if (value === null || typeof value !== 'object') return undefined;
    if ('index' in step) {
      if (!Array.isArray(value)) return undefined;
      value = value[step.index];
    } else {
      if (Array.isArray(value) || !Object.hasOwn(value, step.key)) return undefined;
      value = (value as Record<string, unknown>)[step.key];
    }
  }
  return value;
}

/** A parsed path written back as text: `$.a[0]`, `$.tags[:]`, `$['a b']`, or `$` for the whole row. */
export function formatJsonPath(path: JsonPath): string {
  return `$${path
    .map((step) =>
      'all' in step
        ? '[:]'
        : 'index' in step
          ? `[${step.index}]`
          : /^[A-Za-z_][\w-]*$/.test(step.key)
            ? `.${step.key}`
            : `['${step.key}']`,
    )
    .join('')}`;
}
