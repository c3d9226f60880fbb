// A file's rows into a data source (the Data Sources API's append and replace): written slice by slice into a scratch
// copy of the table, then moved into `table` with one INSERT, so the good rows land together (a materialized view sees
// one insert) while only one slice of them is ever held in memory and other requests get their turn in between.
import type { Session } from 'chdb';
import type { DataSource } from '../project/datafiles';
import { quoteTable } from './ddl';
import { fileSlices, type FileFormat } from './file-rows';
import { writeRows, type AppendResult } from './ingest';

/** Appends the rows of a file to `table` (the data source, or the scratch table of a replace). */
export async function importRows(
  writer: Session,
  ds: DataSource,
  format: FileFormat,
  bytes: Uint8Array,
  table = ds.name,
): Promise<AppendResult> {
  const scratch = `${ds.name}__import`;
  const run = (sql: string) => writer.queryAsync(sql);
  await run(`DROP TABLE IF EXISTS ${quoteTable(scratch)}`);
  await run(`CREATE TABLE ${quoteTable(scratch)} AS ${quoteTable(ds.name)} ENGINE = MergeTree ORDER BY tuple()`);
  try {
    const total: AppendResult = { successful_rows: 0, quarantined_rows: 0 };
    for await (const slice of fileSlices(writer, ds, format, bytes)) {
      // Rows ClickHouse refuses are found and quarantined slice by slice, as an Events API request's are.
      const written = await writeRows(writer, ds, slice, scratch);
      total.successful_rows += written.successful_rows;
      total.quarantined_rows += written.quarantined_rows;
    }
    if (total.successful_rows > 0)
      await run(
        `INSERT INTO ${quoteTable(table)} SELECT * FROM ${quoteTable(scratch)} SETTINGS max_insert_block_size = 100000000, min_insert_block_size_rows = 0, min_insert_block_size_bytes = 0`,
      );
    return total;
  } finally {
    await run(`DROP TABLE IF EXISTS ${quoteTable(scratch)}`).catch(() => undefined);
  }
}
