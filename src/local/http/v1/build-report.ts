// The body of a successful `POST /v1/build`: what the build made, changed and dropped, named as Tinybird names it
// (the SDK prints these lists and validates the pipes it finds created or changed).
import { randomUUID } from 'node:crypto';
import type { DatafileProblem, ProjectSnapshot } from '../../project';

export interface BuildReport {
  result: 'success' | 'no_changes';
  build: {
    id: string;
    datasources: Array<{ name: string; type: 'datasource' }>;
    pipes: Array<{ name: string; type: 'pipe' }>;
    new_datasource_names: string[];
    changed_datasource_names: string[];
    deleted_datasource_names: string[];
    new_pipe_names: string[];
    changed_pipe_names: string[];
    deleted_pipe_names: string[];
  };
}

/** Compares the resources of two snapshots (their parsed definitions, wherever their files were). */
export function buildReport(before: ProjectSnapshot, after: ProjectSnapshot): BuildReport {
  const ds = changes(before.datasources, after.datasources);
  const pipes = changes(before.pipes, after.pipes);
  const changed = [ds, pipes].some((c) => c.created.length + c.changed.length + c.deleted.length > 0);
  return {
    result: changed ? 'success' : 'no_changes',
    build: {
      id: randomUUID(),
      datasources: [...after.datasources.keys()].map((name) => ({ name, type: 'datasource' })),
      pipes: [...after.pipes.keys()].map((name) => ({ name, type: 'pipe' })),
      new_datasource_names: ds.created,
      changed_datasource_names: ds.changed,
      deleted_datasource_names: ds.deleted,
      new_pipe_names: pipes.created,
      changed_pipe_names: pipes.changed,
      deleted_pipe_names: pipes.deleted,
    },
  };
}

function changes(before: ReadonlyMap<string, object>, after: ReadonlyMap<string, object>) {
  const created = [...after.keys()].filter((name) => !before.has(name));
  const deleted = [...before.keys()].filter((name) => !after.has(name));
  const changed = [...after.keys()].filter(
    (name) => before.has(name) && definition(before.get(name)!) !== definition(after.get(name)!),
  );
  return { created, changed, deleted };
}

/** A resource as text, without where its file was. */
const definition = (resource: object) =>
  JSON.stringify(resource, (key, value: unknown) => (key === 'file' ? undefined : value));

/** A build refused: the datafiles with their errors (nothing of the build is served). */
export class BuildRefused extends Error {
  constructor(readonly problems: readonly DatafileProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.problem}`).join('\n'));
    this.name = 'BuildRefused';
  }

  /** Tinybird's body for a failed build: `result: failed`, the first error, and one entry per datafile. */
  body() {
    return {
      result: 'failed' as const,
      error: this.message,
      errors: this.problems.map((p) => ({ filename: p.file, type: p.kind, error: `line ${p.line}: ${p.problem}` })),
    };
  }
}
