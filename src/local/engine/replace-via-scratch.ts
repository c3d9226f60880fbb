// Replacing a table's rows all at once: fill an empty copy of the table, then swap it in with EXCHANGE TABLES, so a
// reader sees the old rows or the new, and a failure half-way leaves the old rows. Copy pipes in replace mode and file
// imports in replace mode both go through here.
import type { Session } from 'chdb';
import { quoteTable } from './ddl';

/**
 * Makes `<table>__replace` like `table`, lets `fill` write into it (its name is passed, unquoted), swaps it in when
 * `keep` says so (default: always), and drops what is left. Run it on the writer session inside one writer step.
 */
export async function replaceViaScratch<T>(
  writer: Session,
  table: string,
  fill: (scratch: string) => Promise<T>,
  keep: (result: T) => boolean = () => true,
): Promise<T> {
  const run = (sql: string) => writer.queryAsync(sql, { format: 'JSONEachRow' });
  const target = quoteTable(table);
  const name = `${table}__replace`;
  const scratch = quoteTable(name);
  await run(`DROP TABLE IF EXISTS ${scratch}`);
  await run(`CREATE TABLE ${scratch} AS ${target}`);
  try {
    const result = await fill(name);
    if (keep(result)) await run(`EXCHANGE TABLES ${target} AND ${scratch}`);
    return result;
  } finally {
    await run(`DROP TABLE IF EXISTS ${scratch}`).catch(() => undefined);
  }
}
