// The columns a SELECT returns, as ClickHouse plans them (`DESCRIBE TABLE (<select>)`): what a materialized pipe's
// inferred target is made of, and what a pipe's endpoint answers (for generated types).
import type { DescribedColumn } from '../project/inferred-target';
import type { Writer } from './writer';

/** `select`'s output columns, names and ClickHouse types, in order. */
export async function describeOutput(session: Writer, select: string): Promise<DescribedColumn[]> {
  const rows = await session.rows(`DESCRIBE TABLE (${select})`);
  return rows.map((row) => ({ name: String(row['name']), type: String(row['type']) }));
}
