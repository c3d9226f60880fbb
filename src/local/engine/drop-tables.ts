// What a build does to the data sources it no longer has: as Tinybird's build, their tables (and quarantines) go.
import { quarantineName, quoteTable } from './ddl';
import type { Writer } from './writer';

/** Drops the tables of `datasources` and their quarantine tables; run it after the sync dropped the views. */
export async function dropTables(writer: Writer, datasources: readonly string[]): Promise<void> {
  for (const name of datasources) {
    await writer.rows(`DROP TABLE IF EXISTS ${quoteTable(name)}`);
    await writer.rows(`DROP TABLE IF EXISTS ${quoteTable(quarantineName(name))}`);
  }
}
