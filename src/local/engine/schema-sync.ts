// Makes the database match a project snapshot: creates the tables of new data sources, recreates those whose columns
// changed (their rows are dropped), leaves the others with their rows, infers the targets of
// materialized pipes no .datasource file declares, and makes the materialized views again. What ClickHouse refuses is
// left out of the snapshot it returns, and listed as a problem: the snapshot it was given is not changed. A reload,
// a build, and a start on a data directory whose tables changed while the server was stopped (see `changedTables`)
// first make their tables aside (StagedBuild), so there a table whose columns changed keeps its rows; what is still
// recreated here is a table ClickHouse could not make aside, or a data source shared from another workspace.
import {
  DatafileError,
  problemOf,
  type DataSource,
  type DatafileProblem,
  type ProjectSnapshot,
} from '../project/datafiles';
import { inferredTarget, refusedTarget } from '../project/inferred-target';
import { describeOutput } from './describe-output';
import { createQuarantineSql, createTableSql, quarantineName, quote, quoteTable } from './ddl';
import { insertByName, materializedInOrder, outputSelect } from './materialize';
import { DATA_DATABASES, tableName } from './sessions';
import { checkReach } from '../project/reach';
import { cleanMessage } from './sql-guard';
import type { Writer } from './writer';

export interface SchemaSync {
  /** The snapshot to serve: the one given, less what ClickHouse refused, plus inferred materialized targets. */
  snapshot: ProjectSnapshot;
  /** What this sync refused (also at the end of `snapshot.problems`). */
  problems: DatafileProblem[];
}

/**
 * Syncs the database reached through `writer` to `given`. Run it as one writer step, so no insert lands between a view
 * being dropped and made again. `sharedTables: false` leaves the tables of `<workspace>.<name>` data sources alone
 * (a scratch database: they live in a database of their own, the one served).
 */
export async function syncSchema(
  writer: Writer,
  given: ProjectSnapshot,
  log: (message: string) => void,
  { sharedTables = true }: { sharedTables?: boolean } = {},
): Promise<SchemaSync> {
  const datasources = new Map(given.datasources);
  const pipes = new Map(given.pipes);
  const problems: DatafileProblem[] = [];
  const working: ProjectSnapshot = { ...given, datasources, pipes };
  const refuse = (kind: 'datasource' | 'pipe', name: string, error: DatafileError) => {
    (kind === 'datasource' ? datasources : pipes).delete(name);
    problems.push(problemOf(kind, name, error));
  };

  const existing = await columnsByTable(writer);
  const workspaces = new Set([...datasources.keys()].filter((n) => n.includes('.')).map((n) => n.split('.')[0]!));
  for (const workspace of workspaces) await writer.rows(`CREATE DATABASE IF NOT EXISTS ${quote(workspace)}`);
  for (const ds of [...datasources.values()])
    if (sharedTables || !ds.name.includes('.'))
      await ensureTable(writer, ds, existing, log, refuse, given.confined === true);

  // The targets of materialized pipes that no .datasource file declares, made from what each node returns (see
  // inferredTarget). A node that cannot be described leaves its pipe out.
  for (const pipe of [...pipes.values()]) {
    if (!pipe.materialized || datasources.has(pipe.materialized.datasource)) continue;
    // A target whose datafile was refused stays refused: inferring it would serve what its own file could not.
    const refused = refusedTarget(pipe, [...given.problems, ...problems]);
    if (refused) {
      refuse('pipe', pipe.name, refused);
      continue;
    }
    const node = pipe.nodes[pipe.materialized.node]!;
    try {
      const select = outputSelect(working, pipe, pipe.materialized.node);
      const ds = inferredTarget(pipe, await describeOutput(writer, select));
      datasources.set(ds.name, ds);
      await ensureTable(writer, ds, existing, log, refuse, given.confined === true);
    } catch (error) {
      const problem = `node "${node.name}" materializes into "${pipe.materialized.datasource}", which no .datasource file defines, and its columns could not be read: ${cleanMessage(error)}`;
      refuse('pipe', pipe.name, new DatafileError(pipe.file, node.line, problem));
    }
  }

  await makeMaterializedViews(writer, working, log, refuse);
  return { snapshot: { ...working, problems: [...given.problems, ...problems] }, problems };
}

type Refuse = (kind: 'datasource' | 'pipe', name: string, error: DatafileError) => void;

/** Creates the table of `ds` and its quarantine, or recreates it when its columns changed. */
async function ensureTable(
  writer: Writer,
  ds: DataSource,
  existing: ReadonlyMap<string, string>,
  log: (message: string) => void,
  refuse: Refuse,
  confined: boolean,
): Promise<void> {
  const wanted = columnsOf(ds);
  const have = existing.get(ds.name);
  const create = async (sql: string) => {
    try {
      await writer.rows(sql);
    } catch (error) {
      throw new DatafileError(ds.file, ds.line, `ClickHouse refused the table: ${cleanMessage(error)}`);
    }
  };
  try {
    // Checked before anything is dropped: a data source whose table may not be made keeps the one it had.
    let ddl: string;
    try {
      ddl = createTableSql(ds);
      checkReach(ddl, confined, 'The data source');
    } catch (error) {
      throw new DatafileError(ds.file, ds.line, (error as Error).message);
    }
    if (have !== undefined && have !== wanted) {
      log(`The schema of ${ds.name} changed in ${ds.file}: the table was recreated and its old rows dropped.`);
      await writer.rows(`DROP TABLE ${quoteTable(ds.name)}`);
      await writer.rows(`DROP TABLE IF EXISTS ${quoteTable(quarantineName(ds.name))}`);
    }
    if (have === undefined || have !== wanted) await create(ddl);
    await create(createQuarantineSql(ds));
  } catch (error) {
    if (!(error instanceof DatafileError)) throw error;
    // One refused data source leaves the rest serving; it is reported with the other problems.
    refuse('datasource', ds.name, error);
  }
}

/**
 * The data sources of `snapshot` (not those shared from another workspace) whose table in the database reached through
 * `writer` has other columns: the ones the sync would recreate, dropping their rows.
 */
export async function changedTables(writer: Writer, snapshot: ProjectSnapshot): Promise<string[]> {
  const existing = await columnsByTable(writer);
  return [...snapshot.datasources.values()]
    .filter((ds) => !ds.name.includes('.') && existing.has(ds.name) && existing.get(ds.name) !== columnsOf(ds))
    .map((ds) => ds.name);
}

/** The columns `ds` declares, as `columnsByTable` gives a table's. */
const columnsOf = (ds: DataSource) => ds.columns.map((c) => `${c.name} ${c.type}`.replace(/\s+/g, '')).join(',');

/** The columns of every data table, `name type,name type` without spaces, by table name. */
async function columnsByTable(writer: Writer): Promise<Map<string, string>> {
  const rows = await writer.rows(
    `SELECT table, arrayStringConcat(groupArray(concat(name, ' ', type)), ',') AS cols FROM (SELECT ${tableName('table')} AS table, name, type FROM system.columns WHERE ${DATA_DATABASES} ORDER BY table, position) GROUP BY table`,
  );
  return new Map(rows.map(({ table, cols }) => [String(table), String(cols).replace(/\s+/g, '')]));
}

/**
 * A materialized pipe becomes a ClickHouse materialized view named after the pipe, writing into its DATASOURCE on
 * every insert into the table it reads. The views are dropped and made again on every (re)load; a target that is
 * empty then (new, or recreated for a new schema) is filled from the rows already there, as Tinybird's populate does.
 */
async function makeMaterializedViews(
  writer: Writer,
  project: ProjectSnapshot,
  log: (message: string) => void,
  refuse: Refuse,
): Promise<void> {
  const views = await writer.rows(
    "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
  );
  for (const { name } of views) await writer.rows(`DROP VIEW ${quote(String(name))}`);
  for (const { pipe, select } of materializedInOrder(project, (pipe, error) => refuse('pipe', pipe.name, error))) {
    const { node, datasource } = pipe.materialized!;
    let n: unknown;
    try {
      // Inside the try: a target ClickHouse refused is a refused pipe, not a server that cannot start.
      [{ n } = { n: 0 }] = await writer.rows(`SELECT count() AS n FROM ${quoteTable(datasource)}`);
      await writer.rows(`CREATE MATERIALIZED VIEW ${quote(pipe.name)} TO ${quoteTable(datasource)} AS ${select}`);
      if (Number(n) === 0) await writer.rows(await insertByName(writer, datasource, select));
    } catch (error) {
      const at = pipe.nodes[node]!;
      await writer.rows(`DROP VIEW IF EXISTS ${quote(pipe.name)}`).catch(() => undefined);
      const problem = `ClickHouse refused the materialized node "${at.name}": ${cleanMessage(error)}`;
      refuse('pipe', pipe.name, new DatafileError(pipe.file, at.line, problem));
      continue;
    }
    const [{ n: filled } = { n: 0 }] =
      Number(n) === 0 ? await writer.rows(`SELECT count() AS n FROM ${quoteTable(datasource)}`) : [];
    if (Number(filled) > 0)
      log(
        `${pipe.name} materializes into ${datasource}: filled it with ${String(filled)} rows from the data already stored.`,
      );
  }
}
