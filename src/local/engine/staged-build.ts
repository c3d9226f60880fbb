// A build made aside before it is served, so that nothing of a refused build is ever applied. The whole new project is
// first made in a scratch ClickHouse database (`_build_<id>`, out of every workspace's table list): every table, every
// materialized view, and every endpoint's SQL planned there. Only when ClickHouse took all of it is the served database
// changed, in one writer step: the rows of each data source whose table changed are copied into its new table, then
// the new tables are swapped in (EXCHANGE TABLES), those of data sources gone are dropped, and the views are
// made again by the schema sync. Tables that did not change are never touched, so they keep their rows.
import { randomUUID } from 'node:crypto';
import type { DatafileProblem, ProjectSnapshot } from '../project/datafiles';
import { quote } from './ddl';
import { dropTables } from './drop-tables';
import { Engine } from './engine';
import { endpointProblems } from './endpoint-problems';
import { syncSchema } from './schema-sync';
import type { Sessions } from './sessions';
import { cleanMessage } from './sql-guard';
import { sessionWriter, type Writer } from './writer';

const PREFIX = '_build_';

export class StagedBuild {
  private constructor(
    private readonly sessions: Sessions,
    private readonly scratch: Sessions,
    private readonly database: string,
    /** The project as built aside: the one given, plus the targets of materialized pipes it infers. */
    readonly snapshot: ProjectSnapshot,
    /** What ClickHouse refused in it (tables, materialized views, endpoints): when any, the build is refused. */
    readonly problems: readonly DatafileProblem[],
  ) {}

  /**
   * Makes `project` in a scratch database next to the one `sessions` serve. `tolerated`: refusals that do not stop
   * the endpoints from being checked (a reload's datafiles that were refused in the version serving too); a build
   * tolerates none. `endpoints: false` plans no endpoint (a start, which refuses none).
   */
  static async stage(
    sessions: Sessions,
    project: ProjectSnapshot,
    tolerated: (problem: DatafileProblem) => boolean = () => false,
    { endpoints = true }: { endpoints?: boolean } = {},
  ): Promise<StagedBuild> {
    const database = `${PREFIX}${randomUUID().replace(/-/g, '')}`;
    const scratch = await sessions.sibling(database);
    try {
      // The endpoints may read the service data sources exactly as where they will be served.
      scratch.serviceTables = sessions.serviceTables;
      // Tables shared from another workspace (`<workspace>.<name>`, only in a --project folder) are in a database of
      // their own, not in the scratch one: the sync of the served database keeps them, as it always did.
      const synced = await scratch.serialize((writer) =>
        syncSchema(sessionWriter(writer), project, () => {}, { sharedTables: false }),
      );
      await scratch.refreshTables();
      const problems =
        !endpoints || synced.problems.some((p) => !tolerated(p))
          ? synced.problems
          : await endpointProblems(new Engine(scratch, synced.snapshot), synced.snapshot);
      return new StagedBuild(sessions, scratch, database, synced.snapshot, problems);
    } catch (error) {
      await scratch.close(false);
      await dropDatabase(sessions, database);
      throw error;
    }
  }

  /** Drops scratch databases a stopped server left behind (a build cut short by a crash). */
  static async sweep(sessions: Sessions): Promise<void> {
    const left = (await sessions.exec(`SELECT name FROM system.databases WHERE startsWith(name, '${PREFIX}')`))
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => String((JSON.parse(line) as { name: unknown }).name));
    for (const name of left) await dropDatabase(sessions, name);
  }

  /**
   * Moves the staged tables into the served database through `writer` (the served one's writer session, inside one
   * writer step, so no insert lands between a copy and its swap). `gone`: the data sources the build no longer has.
   * Returns what happened to rows (one line per changed data source). The materialized views of the served database
   * are dropped: make them again with the schema sync in the same step.
   */
  async apply(writer: Writer, gone: readonly string[]): Promise<string[]> {
    const notes: string[] = [];
    const scratch = quote(this.database);
    // Staged views would fire on the rows copied below: they were there to be checked, not to run.
    for (const { name } of await writer.rows(
      `SELECT name FROM system.tables WHERE database = '${this.database}' AND engine = 'MaterializedView'`,
    ))
      await writer.rows(`DROP VIEW ${scratch}.${quote(String(name))}`);
    const staged = await tableShapes(writer, `'${this.database}'`);
    const served = await tableShapes(writer, 'currentDatabase()');
    const moved: string[] = [];
    const swapped: string[] = [];
    for (const [name, shape] of staged) {
      const was = served.get(name);
      if (was === undefined) moved.push(name);
      else if (was !== shape) {
        swapped.push(name);
        notes.push(await copyRows(writer, name, this.database));
      }
    }
    for (const { name } of await writer.rows(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
    ))
      await writer.rows(`DROP VIEW ${quote(String(name))}`);
    for (const name of swapped) await writer.rows(`EXCHANGE TABLES ${quote(name)} AND ${scratch}.${quote(name)}`);
    // Not RENAME: chDB's `default` database (an Overlay) takes no table renamed from another database, but it does
    // exchange one: a placeholder is made in the served database and exchanged with the new table.
    for (const name of moved) {
      await writer.rows(`CREATE TABLE ${quote(name)} (\`_\` UInt8) ENGINE = Memory`);
      await writer.rows(`EXCHANGE TABLES ${quote(name)} AND ${scratch}.${quote(name)}`);
    }
    await dropTables(writer, gone);
    return notes.filter(Boolean);
  }

  /** Releases the scratch sessions and drops the scratch database (with the tables a swap put there). */
  async discard(): Promise<void> {
    await this.scratch.close(false);
    await dropDatabase(this.sessions, this.database);
  }
}

/** What makes two tables the same: their definition but for their database and name, by table name. */
async function tableShapes(writer: Writer, database: string): Promise<Map<string, string>> {
  const rows = await writer.rows(
    `SELECT name, create_table_query AS ddl FROM system.tables WHERE database = ${database} AND engine NOT IN ('MaterializedView', 'View')`,
  );
  return new Map(rows.map(({ name, ddl }) => [String(name), String(ddl).slice(String(ddl).indexOf('('))]));
}

/**
 * The rows of served `table` into its new version, the table of the same name in `database`, by column name:
 * ClickHouse converts each value to the new type, new columns take their default. When a value does not convert, the
 * new table starts empty instead.
 */
async function copyRows(writer: Writer, table: string, database: string): Promise<string> {
  const into = `${quote(database)}.${quote(table)}`;
  const insertable = (db: string) =>
    `database = ${db} AND table = '${escape(table)}' AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL')`;
  const columns = await writer.rows(
    `SELECT name FROM system.columns WHERE ${insertable('currentDatabase()')} AND name IN (SELECT name FROM system.columns WHERE ${insertable(`'${escape(database)}'`)}) ORDER BY position`,
  );
  const [{ n } = { n: 0 }] = await writer.rows(`SELECT count() AS n FROM ${quote(table)}`);
  if (columns.length === 0 || Number(n) === 0) return '';
  const list = columns.map(({ name }) => quote(String(name))).join(', ');
  try {
    await writer.rows(`INSERT INTO ${into} (${list}) SELECT ${list} FROM ${quote(table)}`);
    return `The table ${table} changed: its ${String(n)} rows were moved to the new one.`;
  } catch (error) {
    await writer.rows(`TRUNCATE TABLE ${into}`);
    return `The table ${table} changed and its rows do not fit the new one (${cleanMessage(error)}): it starts empty.`;
  }
}

const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

async function dropDatabase(sessions: Sessions, database: string): Promise<void> {
  // SYNC: the tables' files go now, not minutes later.
  await sessions.exec(`DROP DATABASE IF EXISTS ${quote(database)} SYNC`);
}
