// The `errors` of the pipe and data source listings: what is left out of the project served, and what of the last
// edit of the project folder was refused (the previous version of it goes on serving, which the entry says).
import type { DatafileProblem } from '../project/datafiles';

export interface ListedProblem {
  name: string;
  file: string;
  line: number;
  error: string;
  /** Only on a refused edit: the version of this datafile that is served instead. */
  serving?: 'previous version';
}

/** The problems of `kind`: those of the project served, then those of a refused edit. */
export function listedProblems(
  kind: DatafileProblem['kind'],
  problems: readonly DatafileProblem[],
  refusedEdit: (() => readonly DatafileProblem[]) | undefined,
): ListedProblem[] {
  const entry = (p: DatafileProblem) => ({ name: p.name, file: p.file, line: p.line, error: p.problem });
  return [
    ...problems.filter((p) => p.kind === kind).map(entry),
    ...(refusedEdit?.() ?? [])
      .filter((p) => p.kind === kind)
      .map((p) => ({ ...entry(p), serving: 'previous version' as const })),
  ];
}
