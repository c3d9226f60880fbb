// What the schema sync and the materialized-view helpers need of the writer session: run one statement, read its rows.
// Small on purpose, so the schema sync can be tested with a fake that records statements.
import type { Session } from 'chdb';

export interface Writer {
  /** Runs one statement and returns its rows (none for DDL and INSERT). */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

/** The writer over a chDB session. */
export function sessionWriter(session: Session): Writer {
  return {
    async rows(sql) {
      const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}
