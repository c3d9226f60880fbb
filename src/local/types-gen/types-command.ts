// `react-tinybird types`: the command's flags, its summary and its problems, printed.
import { parseArgs } from 'node:util';
import { writeTypes } from './write-types';

export const TYPES_HELP = `Usage: react-tinybird types --project ./tinybird --out src/tinybird-types.ts

Writes TypeScript types for the project's endpoints (params and rows) and data sources (the rows useAppend sends),
registered so that useEndpoint, the charts, useAppend and the server's grants are typed with no generic.
Rows come from ClickHouse describing each endpoint's SQL (run with the defaults of its params). The file is only
rewritten when its text changes. Endpoints that cannot be fully typed are listed; they are still written.`;

/** Runs the command; `usage` makes the error for a wrong flag (exit code 2). */
export async function typesCommand(args: string[], usage: (message: string) => Error): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { project: { type: 'string' }, out: { type: 'string' } },
  });
  if (values.project === undefined || values.out === undefined)
    throw usage('give --project (the folder of datafiles) and --out (the .ts file to write)');
  const result = await writeTypes(values.project, values.out);
  for (const problem of result.problems) console.error(`  ${problem}`);
  console.log(
    `${result.endpoints} endpoints (${result.fullyTyped} fully typed), ${result.datasources} data sources -> ${values.out}${result.written ? '' : ' (unchanged)'}`,
  );
}
