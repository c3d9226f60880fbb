// What a build checks before it serves a project, as Tinybird's build does: each endpoint's SQL plans in ClickHouse
// (an unknown table or column, a syntax error or a wrong function refuses the build instead of failing every request
// later). The endpoint renders with no parameters; one that cannot (a required parameter) is not checked here. In a
// workspace built over /v1, a copy's SQL is checked for what it may reach (project/reach.ts) the same way.
import { DatafileError, problemOf, type DatafileProblem, type ProjectSnapshot } from '../project/datafiles';
import { ReachError } from '../project/reach';
import type { Engine } from './engine';
import { limitationHint } from './limitation-hint';
import { outputSelect } from './materialize';
import { cleanMessage } from './sql-guard';

/** The endpoints of `project` that ClickHouse cannot plan, as datafile problems. */
export async function endpointProblems(engine: Engine, project: ProjectSnapshot): Promise<DatafileProblem[]> {
  const problems: DatafileProblem[] = [];
  for (const pipe of project.pipes.values()) {
    if (pipe.copy && project.confined === true) {
      // A copy runs later (on a schedule or a request): in a workspace built over /v1, its SQL rendered with no
      // parameters is checked for what it may reach now, so that a build does not take what would only be refused when
      // it runs. (A --project folder's copies are refused when they run, as before: a reload is not refused for them.)
      try {
        outputSelect(project, pipe, pipe.copy.node);
      } catch (error) {
        if (error instanceof ReachError)
          problems.push(
            problemOf('pipe', pipe.name, new DatafileError(pipe.file, pipe.nodes[pipe.copy.node]!.line, error.message)),
          );
      }
    }
    if (pipe.endpoint === undefined) continue;
    try {
      await engine.describe(pipe);
    } catch (error) {
      // Only ClickHouse's own refusals (they carry its code) and SQL reaching what it may not: a template that needs
      // parameters is fine here.
      const reach = error instanceof ReachError;
      if (!reach && typeof (error as { clickhouseCode?: unknown }).clickhouseCode !== 'number') continue;
      const node = pipe.nodes[pipe.endpoint]!;
      const problem = reach
        ? (error as Error).message
        : `ClickHouse refused the endpoint node "${node.name}": ${limitationHint(cleanMessage(error))}`;
      problems.push(problemOf('pipe', pipe.name, new DatafileError(pipe.file, node.line, problem)));
    }
  }
  return problems;
}
