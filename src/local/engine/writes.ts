// Writes, each one writer step (so no other write lands in its middle): Events API rows, file imports, copy pipes,
// deletes and truncates. Replacing a table's rows goes through replaceViaScratch.
import type { Session } from 'chdb';
import { DOC, HttpError } from '../errors';
import type { DataSource, Pipe, ProjectSnapshot } from '../project/datafiles';
import { quoteTable } from './ddl';
import type { FileFormat } from './file-rows';
import { importRows } from './import-rows';
import { ingestRows, type AppendResult } from './ingest';
import { insertByName, materializedInOrder, outputSelect } from './materialize';
import { queryError } from './query-error';
import { replaceViaScratch } from './replace-via-scratch';
import type { Sessions } from './sessions';
import { cleanMessage } from './sql-guard';
import { sessionWriter } from './writer';

/**
 * Characters of NDJSON past which an Events API request is written slice by slice, as a file import is: a 100 KB gzip
 * body inflates to 50 MB of small rows, millions of objects that, held at once, took the process's memory.
 */
const SLICED_APPEND = 1024 * 1024;

/** Events API: NDJSON rows into `ds`; rows that do not fit go to `<name>_quarantine`. */
export function appendRows(sessions: Sessions, ds: DataSource, ndjson: string): Promise<AppendResult> {
  return sessions.serialize((writer) =>
    ndjson.length > SLICED_APPEND
      ? importRows(writer, ds, 'ndjson', Buffer.from(ndjson, 'utf8'))
      : ingestRows(writer, ds, ndjson),
  );
}

/**
 * Data Sources API: a file's rows into `ds`. `append` adds them; `replace` fills a copy of the table and swaps it in,
 * so a failure leaves the old rows, and so does a file without one good row.
 */
export function importFile(
  sessions: Sessions,
  project: ProjectSnapshot,
  ds: DataSource,
  format: FileFormat,
  bytes: Uint8Array,
  mode: 'append' | 'replace',
): Promise<AppendResult> {
  return sessions.serialize(async (writer) => {
    if (mode === 'append') return importRows(writer, ds, format, bytes);
    const result = await replaceViaScratch(
      writer,
      ds.name,
      (scratch) => importRows(writer, ds, format, bytes, scratch),
      (written) => written.successful_rows > 0,
    );
    if (result.successful_rows > 0) await repopulateFrom(writer, project, ds.name);
    return result;
  });
}

/**
 * Runs a copy pipe once: the result of its nodes (templates rendered with `params`) goes into its target data source.
 * `append` adds it; `replace` fills a copy of the table and swaps it in, so a failing query leaves the old rows.
 * Returns the rows written.
 */
export function copyPipe(
  sessions: Sessions,
  project: ProjectSnapshot,
  pipe: Pipe,
  params: Record<string, unknown>,
  mode = pipe.copy!.mode,
): Promise<number> {
  const { node, datasource } = pipe.copy!;
  const select = outputSelect(project, pipe, node, params);
  return sessions.serialize(async (writer) => {
    const run = (sql: string) => writer.queryAsync(sql, { format: 'JSONEachRow' });
    const count = async (table: string) =>
      (JSON.parse((await run(`SELECT count() AS n FROM ${quoteTable(table)}`)).text()) as { n: number }).n;
    const insert = async (table: string, before: number) => {
      try {
        await run(`INSERT INTO ${quoteTable(table)} ${select}`);
      } catch (error) {
        throw new HttpError(400, `The copy pipe ${pipe.name} failed: ${cleanMessage(error)}`, DOC.pipes);
      }
      return (await count(table)) - before;
    };
    if (mode === 'replace') return replaceViaScratch(writer, datasource, (scratch) => insert(scratch, 0));
    return insert(datasource, await count(datasource));
  });
}

/** Data Sources API: deletes the rows of `ds` where `condition` (canonical text from checkedCondition) holds. */
export function deleteRows(sessions: Sessions, ds: DataSource, condition: string): Promise<void> {
  return sessions.serialize(async (writer) => {
    try {
      await writer.queryAsync(
        `ALTER TABLE ${quoteTable(ds.name)} DELETE WHERE (${condition}) SETTINGS mutations_sync = 1`,
      );
    } catch (error) {
      throw queryError(error, DOC.datasources);
    }
  });
}

/** Empties a table: a data source or its quarantine. */
export async function truncateTable(sessions: Sessions, table: string): Promise<void> {
  await sessions.exec(`TRUNCATE TABLE ${quoteTable(table)}`);
}

/**
 * After a replace of `changed`, the targets of the materialized pipes that read it (and of those that read them) are
 * computed again from the new rows, as Tinybird's replace cascades: each is emptied, then refilled by every pipe
 * that writes into it. Upstream first, so a chain ends with what its sources now hold.
 */
async function repopulateFrom(writer: Session, project: ProjectSnapshot, changed: string): Promise<void> {
  const views = materializedInOrder(project, () => undefined);
  const stale = new Set([changed]);
  const targets: string[] = [];
  for (const { pipe, reads } of views) {
    const target = pipe.materialized!.datasource;
    if (reads.some((table) => stale.has(table)) && !stale.has(target)) {
      stale.add(target);
      targets.push(target);
    }
  }
  const statements = sessionWriter(writer);
  for (const target of targets) {
    await writer.queryAsync(`TRUNCATE TABLE ${quoteTable(target)}`);
    for (const { pipe, select } of views)
      if (pipe.materialized!.datasource === target)
        await writer.queryAsync(await insertByName(statements, target, select));
  }
}
