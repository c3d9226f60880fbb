// `react-tinybird types`: the command's flags, its summary and its problems, printed.
import { parseArgs } from 'node:util';
import { writeTypes } from './write-types';

export const TYPES_HELP = `Usage: react-tinybird types --project ./tinybird --out src/tinybird-types.ts
       react-tinybird types --url https://api.tinybird.co [--token p.xxx] --out src/tinybird-types.ts

Writes TypeScript types for the project's endpoints (params and rows) and data sources (the rows useAppend sends),
registered so that useEndpoint, the charts, useAppend and the server's grants are typed with no generic.
Rows come from ClickHouse describing each endpoint's SQL (run with the defaults of its params). The file is only
rewritten when its text changes. Endpoints that cannot be fully typed are listed; they are still written.
--url reads a running Tinybird (Cloud, Local, or \`react-tinybird dev\`) through its HTTP API instead, with the
workspace admin token (--token, else $TINYBIRD_ADMIN_TOKEN or $TINYBIRD_TOKEN).`;

/** Runs the command; `usage` makes the error for a wrong flag (exit code 2). */
export async function typesCommand(args: string[], usage: (message: string) => Error): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if ((values.project === undefined) === (values.url === undefined) || values.out === undefined)
    throw usage(
      'give --project (the folder of datafiles) or --url (a running Tinybird), and --out (the .ts file to write)',
    );
  // An empty variable counts as unset: shells and .env files leave them around.
  const token = values.token || process.env['TINYBIRD_ADMIN_TOKEN'] || process.env['TINYBIRD_TOKEN'];
  if (values.url !== undefined && !token)
    throw usage('--url needs the workspace admin token: --token, or $TINYBIRD_ADMIN_TOKEN');
  const result = await writeTypes(
    values.url !== undefined ? { url: values.url, token: token! } : values.project!,
    values.out,
  );
  for (const problem of result.problems) console.error(`  ${problem}`);
  console.log(
    `${result.endpoints} endpoints (${result.fullyTyped} fully typed), ${result.datasources} data sources -> ${values.out}${result.written ? '' : ' (unchanged)'}`,
  );
}
