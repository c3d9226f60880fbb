// The body of a successful `POST /v1/build`: what the build made, changed and dropped, named as Tinybird names it
// (the SDK prints these lists and validates the pipes it finds created or changed).
import { randomUUID } from 'node:crypto';
import type { Connection, DatafileProblem, ProjectSnapshot } from '../../project';

export interface BuildReport {
  result: 'success' | 'no_changes';
  /** What of the build does not run here (connectors); the SDK ignores it, the server log has it too. */
  warnings?: string[];
  build: {
    id: string;
    datasources: Array<{ name: string; type: 'datasource' }>;
    pipes: Array<{ name: string; type: 'pipe' }>;
    connections: Array<{ name: string; type: 'connection'; service: string }>;
    new_datasource_names: string[];
    changed_datasource_names: string[];
    deleted_datasource_names: string[];
    new_pipe_names: string[];
    changed_pipe_names: string[];
    deleted_pipe_names: string[];
  };
}

/**
 * Compares the resources of two snapshots (their parsed definitions, wherever their files were), and lists the
 * build's connections, each with the warning that its connector does not run on the local server.
 */
export function buildReport(
  before: ProjectSnapshot,
  after: ProjectSnapshot,
  connections: readonly Connection[] = [],
): BuildReport {
  const ds = changes(before.datasources, after.datasources);
  const pipes = changes(before.pipes, after.pipes);
  const changed = [ds, pipes].some((c) => c.created.length + c.changed.length + c.deleted.length > 0);
  return {
    result: changed ? 'success' : 'no_changes',
    ...(connections.length > 0 && { warnings: connections.map(connectionWarning) }),
    build: {
      id: randomUUID(),
      datasources: [...after.datasources.keys()].map((name) => ({ name, type: 'datasource' })),
      pipes: [...after.pipes.keys()].map((name) => ({ name, type: 'pipe' })),
      connections: connections.map(({ name, service }) => ({ name, type: 'connection', service })),
      new_datasource_names: ds.created,
      changed_datasource_names: ds.changed,
      deleted_datasource_names: ds.deleted,
      new_pipe_names: pipes.created,
      changed_pipe_names: pipes.changed,
      deleted_pipe_names: pipes.deleted,
    },
  };
}

/** What a connection does locally: nothing, as in Tinybird's build without --with-connections. */
export const connectionWarning = ({ name, service }: Connection) =>
  `${name}.connection (${service}): accepted, but connectors do not run on the local server; its data sources are plain tables that take rows through the Events API or the Data Sources API`;

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
