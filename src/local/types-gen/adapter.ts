// The one place type generation reaches into the local server: its project loader, its template parser and its
// engine. Everything else in types-gen/ works on the plain shapes below, so a new loader or engine is re-pointed here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { watchProject } from '../dev/watch-project';
import { Engine } from '../engine/engine';
import { syncSchema } from '../engine/schema-sync';
import { Sessions } from '../engine/sessions';
import { sessionWriter } from '../engine/writer';
import { loadProject, type ProjectSnapshot } from '../project';
import { parseJsonPath } from '../project/json-path';
import { walk, type Expr } from '../template/ast';
import { parseTemplate, type Node } from '../template/blocks';
import { isTemplated, templateParameters, type TemplateParameter } from '../template';

export type { TemplateParameter };
export type TemplateNode = Node;
export type TemplateExpr = Expr;
export const walkExpr = walk;
export { isTemplated, parseJsonPath, templateParameters, watchProject };

/** A templated node's syntax tree (its leading `%` line left out). Throws the template's error. */
export function templateTree(sql: string): TemplateNode[] {
  return parseTemplate(sql.replace(/^\s*%/, ''));
}

/** A data source column as generation needs it. */
export interface SourceColumn {
  name: string;
  type: string;
  /** The JSON path steps the Events API reads (`$.a.b` -> keys a, b; an array step is `null`). */
  path: Array<string | null>;
  hasDefault: boolean;
}

export interface SourceDatasource {
  name: string;
  file: string;
  description?: string;
  columns: SourceColumn[];
}

export interface SourceNode {
  name: string;
  sql: string;
  line: number;
}

export interface SourcePipe {
  name: string;
  file: string;
  description?: string;
  /** Nodes up to and including the endpoint node. */
  nodes: SourceNode[];
  /** Line of the endpoint node, for errors about the pipe as a whole. */
  line: number;
}

/** A project as type generation reads it, plus a way to ask ClickHouse for an endpoint's output columns. */
export interface SourceProject {
  dir: string;
  datasources: SourceDatasource[];
  /** Published pipes only (a `TYPE endpoint` node). */
  endpoints: SourcePipe[];
  /** Every pipe by name (a pipe can read another as a table): its nodes up to its output node. */
  pipes: Map<string, SourceNode[]>;
  /** Datafiles the loader refused: `file:line: problem`. */
  problems: string[];
  /**
   * Output columns of endpoint `name` with `params` (the rest take their defaults), as ClickHouse describes the SQL
   * the endpoint runs. Throws when the template or ClickHouse refuses.
   */
  describe(name: string, params: Record<string, unknown>): Promise<Array<{ name: string; type: string }>>;
  close(): Promise<void>;
}

function toSource(project: ProjectSnapshot): Omit<SourceProject, 'describe' | 'close'> {
  // Files named from the project folder, the same wherever the command runs.
  const shown = (file: string) => relative(project.dir, resolve(file)) || file;
  const datasources = [...project.datasources.values()].map((ds): SourceDatasource => ({
    name: ds.name,
    file: shown(ds.file),
    ...(ds.description !== undefined && { description: ds.description }),
    columns: ds.columns.map((c) => ({
      name: c.name,
      type: c.type,
      path: c.jsonPath.map((step) => ('key' in step ? step.key : null)),
      hasDefault: c.default !== undefined,
    })),
  }));
  const endpoints: SourcePipe[] = [];
  const pipes = new Map<string, SourceNode[]>();
  for (const pipe of project.pipes.values()) {
    const last = pipe.endpoint ?? pipe.nodes.length - 1;
    const nodes = pipe.nodes.slice(0, last + 1).map((n) => ({ name: n.name, sql: n.sql, line: n.line }));
    pipes.set(pipe.name, nodes);
    if (pipe.endpoint === undefined) continue;
    endpoints.push({
      name: pipe.name,
      file: shown(pipe.file),
      ...(pipe.description !== undefined && { description: pipe.description }),
      nodes,
      line: pipe.nodes[pipe.endpoint]!.line,
    });
  }
  const problems = project.problems.map((p) => `${shown(p.file)}:${p.line}: ${p.problem}`);
  return { dir: project.dir, datasources, endpoints, pipes, problems };
}

/**
 * Loads the datafiles in `dir` and opens a scratch chDB database with their tables (in a temporary folder, removed
 * by close()): enough for ClickHouse to describe what each endpoint returns, without any data.
 */
export async function openProject(dir: string): Promise<SourceProject> {
  const loaded = await loadProject(resolve(dir));
  const dataDir = await mkdtemp(join(tmpdir(), 'react-tinybird-types-'));
  let sessions: Sessions | undefined;
  let engine: Engine;
  try {
    sessions = await Sessions.open(dataDir);
    const opened = sessions;
    // The schema sync leaves out what ClickHouse refused: the project is read after it.
    const synced = await opened.serialize((writer) => syncSchema(sessionWriter(writer), loaded, () => {}));
    await opened.refreshTables();
    engine = new Engine(opened, synced.snapshot);
  } catch (error) {
    await sessions?.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const opened = sessions;
  return {
    ...toSource(engine.project),
    async describe(name, params) {
      const pipe = engine.project.pipes.get(name);
      if (pipe?.endpoint === undefined) throw new Error(`no endpoint named ${name}`);
      return engine.describe(pipe, params);
    },
    async close() {
      await opened.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
