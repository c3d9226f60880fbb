// Compares a local answer with a test's expected result, as Tinybird's test runners do: CSV as text, JSON by its
// `data` rows, NDJSON row by row (parsed, so key spacing does not matter but values and order do).
import { isDeepStrictEqual } from 'node:util';

const lines = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '');

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

/** Why `actual` differs from `expected`, or undefined when they match. */
export function compare(format: 'csv' | 'json' | 'ndjson', expected: string, actual: string): string | undefined {
  if (format === 'json') {
    const rows = (text: string) => {
      const value = parse(text) as { data?: unknown } | unknown;
      return value !== null && typeof value === 'object' && 'data' in value ? value.data : value;
    };
    return isDeepStrictEqual(rows(expected), rows(actual)) ? undefined : 'the JSON data differs';
  }
  const want = lines(expected);
  const got = lines(actual);
  const sorted = (rows: string[]) => [...rows.slice(1)].sort().join('\n');
  // Tinybird compares exactly; say so when only the order of rows (a query without ORDER BY) differs.
  if (format === 'csv' && want.join('\n') !== got.join('\n') && want[0] === got[0] && sorted(want) === sorted(got))
    return 'the same rows in another order (the query has no ORDER BY)';
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const same = format === 'csv' ? want[i] === got[i] : isDeepStrictEqual(parse(want[i] ?? ''), parse(got[i] ?? ''));
    if (!same) {
      return `line ${i + 1} of ${want.length} expected: ${want[i]?.slice(0, 160) ?? '(no line)'}; got: ${got[i]?.slice(0, 160) ?? '(no line)'}${got.length !== want.length ? ` (${got.length} lines)` : ''}`;
    }
  }
  return undefined;
}
