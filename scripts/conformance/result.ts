// What one project's conformance run found, and the table that sums up several.

export interface ProjectResult {
  root: string;
  /** The server started on the project as it is (no datafile taken out). */
  started: boolean;
  startError: string | undefined;
  datafiles: { total: number; loaded: number; refused: Array<{ file: string; problem: string }> };
  endpoints: {
    total: number;
    ok: number;
    /** Answered 4xx by the pipe's own template (a required parameter, its error()): what Tinybird answers too. */
    asksForParams: number;
    failures: Array<{ name: string; status: number; error: string }>;
  };
  tests: { total: number; matched: number; failures: Array<{ name: string; why: string }> };
  fixtures: { files: number; rows: number; errors: string[] };
  /** What the server logged (first 200 messages). */
  warnings: string[];
}

const pct = (a: number, b: number) => (b === 0 ? '' : ` (${Math.round((100 * a) / b)}%)`);

/** A Markdown table: one row per project and a totals row. */
export function table(results: ProjectResult[], name: (root: string) => string): string {
  const rows = results.map((r) => [
    name(r.root),
    r.started ? 'yes' : r.datafiles.loaded > 0 ? `no (${r.datafiles.refused.length} out)` : 'no',
    `${r.datafiles.loaded}/${r.datafiles.total}`,
    `${r.endpoints.ok}/${r.endpoints.total}`,
    `${r.endpoints.ok + r.endpoints.asksForParams}/${r.endpoints.total}`,
    `${r.tests.matched}/${r.tests.total}`,
  ]);
  const sum = (f: (r: ProjectResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const [loaded, files] = [sum((r) => r.datafiles.loaded), sum((r) => r.datafiles.total)];
  const [ok, endpoints] = [sum((r) => r.endpoints.ok), sum((r) => r.endpoints.total)];
  const answered = ok + sum((r) => r.endpoints.asksForParams);
  const [matched, tests] = [sum((r) => r.tests.matched), sum((r) => r.tests.total)];
  rows.push([
    `total (${results.length} projects)`,
    `${sum((r) => (r.started ? 1 : 0))}/${results.length}`,
    `${loaded}/${files}${pct(loaded, files)}`,
    `${ok}/${endpoints}${pct(ok, endpoints)}`,
    `${answered}/${endpoints}${pct(answered, endpoints)}`,
    `${matched}/${tests}${pct(matched, tests)}`,
  ]);
  const header = ['project', 'started', 'datafiles loaded', 'endpoints 200', 'answered', 'tests matched'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** What the table's columns mean, printed under it. */
export const LEGEND = `started: the server started on the project as it is; datafiles loaded: the rest were left out (reported);
endpoints 200: with default params; answered: 200, or a 4xx from the pipe's own template (a required parameter,
its error()), as Tinybird answers; tests matched: tests/*.test + .result, tests/*.yaml expected_result, data-quality checks.`;

/** The failures, one line each, for finding what to fix. */
export function details(result: ProjectResult, name: string): string {
  const out = [`## ${name}`];
  if (result.startError) out.push(`start: ${result.startError}`);
  for (const r of result.datafiles.refused) out.push(`refused ${r.file}: ${r.problem}`);
  for (const e of result.fixtures.errors) out.push(`fixture ${e}`);
  for (const f of result.endpoints.failures) out.push(`endpoint ${f.name}: ${f.status} ${f.error}`);
  for (const f of result.tests.failures) out.push(`test ${f.name}: ${f.why}`);
  return out.join('\n');
}
