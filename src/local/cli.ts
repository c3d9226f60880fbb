// The `react-tinybird` command: `dev` runs the local server, `token` signs a JWT for it, `types` writes TypeScript
// types for a project's endpoints and data sources.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TinybirdConfigError } from '../server/errors';
import { createTinybirdJWT, DEFAULT_EXPIRES_IN } from '../server/sign';
import { SCOPE_TYPES, type TinybirdScope } from '../server/scopes';
import { LocalServerError } from './errors';
import { streamEvents } from './dev/seed';
import { startLocalServer, type LocalServer } from './server';
import { typesCommand, TYPES_HELP } from './types-gen/types-command';
import { watchTypes } from './types-gen/watch-types';

const DEV_HELP = `Usage: react-tinybird dev [--project ./examples/tinybird, else the bundled demo] [--port 7181] [--host 127.0.0.1]
                          [--data .tinybird] [--seed] [--seed-rows 200000] [--stream <events per second>] [--no-watch]
                          [--no-fixtures]
                          [--query-timeout 30] [--query-memory 1073741824] [--queries-per-token 32]
                          [--types src/tinybird-types.ts]

Starts the server; prints its URL, admin token and workspace id. Data and tokens persist in --data.
--seed fills the demo project's events when it is empty (--seed-rows of them); --stream keeps appending new bookings.
Edited datafiles apply without a restart (--no-watch to turn that off).
fixtures/<data source>.ndjson|csv (Tinybird Forward projects) are loaded into empty data sources, as \`tb dev\` does
(--no-fixtures to skip them).
--types writes the project's TypeScript types (see \`react-tinybird types\`) and rewrites them on every change.
--query-timeout (seconds, then 408), --query-memory (bytes, then 400) and --queries-per-token (waiting or running,
then 429) limit each read query.`;

const TOKEN_HELP = `Usage: react-tinybird token --scope PIPES:READ:top_airlines [--scope DATASOURCES:READ:events ...]
                            [--fixed user_id=42] [--filter "user_id = '42'"] [--ttl 10m] [--name cli] [--rps 10]
                            [--data .tinybird | --admin-token p.xxx]

Prints a JWT signed with the admin token of --data (or --admin-token, or $TINYBIRD_ADMIN_TOKEN).
--fixed pins a pipe parameter on every PIPES:READ scope; --filter sets the SQL filter of DATASOURCES:READ scopes.`;

const HELP = `react-tinybird: a Tinybird-compatible local API server on embedded ClickHouse (chDB)

${DEV_HELP}

${TOKEN_HELP}

${TYPES_HELP}

\`react-tinybird <command> --help\` shows one command's help.`;

class UsageError extends Error {}

/** ./examples/tinybird when there is one (this repository), else the demo project shipped inside the package. */
function defaultProject(): string {
  if (existsSync('examples/tinybird')) return 'examples/tinybird';
  // dist/local/cli.js and src/local/cli.ts both sit two folders below the package root.
  return fileURLToPath(new URL('../../examples/tinybird', import.meta.url));
}

async function dev(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string', default: defaultProject() },
      port: { type: 'string', default: '7181' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: '.tinybird' },
      seed: { type: 'boolean', default: false },
      'seed-rows': { type: 'string' },
      stream: { type: 'string' },
      'no-watch': { type: 'boolean', default: false },
      'no-fixtures': { type: 'boolean', default: false },
      'query-timeout': { type: 'string' },
      'query-memory': { type: 'string' },
      'queries-per-token': { type: 'string' },
      types: { type: 'string' },
    },
  });
  const positive = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a whole number above 0, got ${value}`);
    return n;
  };
  const limits = {
    timeout: positive('query-timeout', values['query-timeout']),
    memory: positive('query-memory', values['query-memory']),
    perToken: positive('queries-per-token', values['queries-per-token']),
  };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got ${values.port}`);
  const rows = values['seed-rows'] === undefined ? undefined : Number(values['seed-rows']);
  if (rows !== undefined && !(Number.isInteger(rows) && rows >= 0))
    throw new UsageError('--seed-rows must be a whole number');
  const started = Date.now();
  const server = await startLocalServer({
    project: values.project,
    port,
    host: values.host,
    dataDir: values.data,
    seed: values.seed || rows !== undefined ? (rows === undefined ? true : { rows }) : false,
    // With --types, watchTypes() watches: it reloads the server, then writes the types from it.
    watch: !values['no-watch'] && values.types === undefined,
    fixtures: !values['no-fixtures'],
    queryLimits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  });
  const lines = [
    'react-tinybird local server',
    `  URL:          ${server.url}`,
    `  Workspace id: ${server.workspaceId}`,
    `  Admin token:  ${server.adminToken}`,
    ...Object.entries(server.tokens).map(([name, token]) => `  Token ${name}: ${token}`),
    `  Project:      ${resolve(values.project)}${values['no-watch'] ? '' : ' (watched: edits apply without a restart)'}`,
    `  Data:         ${resolve(values.data)}${server.seeded > 0 ? ` (seeded ${server.seeded.toLocaleString('en')} rows)` : ''}`,
    ...server.fixtures.map(
      (f) =>
        `  Fixture:      ${f.file} -> ${f.datasource}: ${f.rows.toLocaleString('en')} rows${f.quarantined > 0 ? `, ${f.quarantined.toLocaleString('en')} in quarantine` : ''}`,
    ),
    ...notServed(server.problems),
    `  Started in ${((Date.now() - started) / 1000).toFixed(1)} s.${await tryLine(server.url, server.adminToken)}`,
    ...(port === 7181
      ? []
      : [`  Not on 7181: give token routes baseUrl '${server.url}' (local admin tokens name no port).`]),
  ];
  console.log(lines.join('\n'));
  const stopTypes =
    values.types === undefined
      ? undefined
      : await watchTypes({
          project: values.project,
          out: values.types,
          server,
          log: (message) => console.warn(`[react-tinybird] ${message}`),
          watch: !values['no-watch'],
        });
  const stream =
    values.stream === undefined
      ? undefined
      : streamEvents({ url: server.url, token: server.adminToken, rate: Number(values.stream) || 5 });
  if (stream) console.log(`  Streaming ${Number(values.stream) || 5} bookings per second into events.`);
  const stop = async () => {
    stopTypes?.();
    await stream?.stop();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The datafiles left out, one line each, and where a tool reads them. */
function notServed(problems: LocalServer['problems']): string[] {
  if (problems.length === 0) return [];
  return [
    `  Not served:   ${problems.length} datafile${problems.length === 1 ? '' : 's'} (GET /v0/pipes and /v0/datasources list them under errors)`,
    ...problems.map((p) => `                ${p.name} (${p.file}:${p.line})`),
  ];
}

/**
 * A curl of one of the project's own endpoints (the first that needs no parameter), as the server lists them; empty
 * when it has none.
 */
async function tryLine(url: string, adminToken: string): Promise<string> {
  try {
    const res = await fetch(`${url}/v0/pipes`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const { pipes } = (await res.json()) as { pipes: Array<{ name: string; params: Array<{ required: boolean }> }> };
    const pipe = pipes.find((p) => p.params.every((param) => !param.required)) ?? pipes[0];
    if (!pipe) return '';
    return ` Try: curl -H "Authorization: Bearer $TOKEN" ${url}/v0/pipes/${pipe.name}.json`;
  } catch {
    return '';
  }
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      scope: { type: 'string', multiple: true, default: [] },
      fixed: { type: 'string', multiple: true, default: [] },
      filter: { type: 'string' },
      ttl: { type: 'string', default: DEFAULT_EXPIRES_IN },
      name: { type: 'string', default: 'react-tinybird-cli' },
      rps: { type: 'string' },
      data: { type: 'string', default: '.tinybird' },
      'admin-token': { type: 'string' },
    },
  });
  if (values.scope.length === 0)
    throw new UsageError('give at least one --scope, e.g. --scope PIPES:READ:top_airlines');
  const fixed: Record<string, string> = {};
  for (const pair of values.fixed) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--fixed takes name=value, got "${pair}"`);
    fixed[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const scopes = values.scope.map((text): TinybirdScope => {
    const at = text.lastIndexOf(':');
    const type = text.slice(0, at);
    const resource = text.slice(at + 1);
    if (!SCOPE_TYPES.includes(type as (typeof SCOPE_TYPES)[number]) || resource === '') {
      throw new UsageError(`--scope takes TYPE:resource with TYPE one of ${SCOPE_TYPES.join(', ')}, got "${text}"`);
    }
    if (type === 'PIPES:READ')
      return Object.keys(fixed).length > 0 ? { type, resource, fixed_params: fixed } : { type, resource };
    if (type === 'DATASOURCES:READ')
      return values.filter ? { type, resource, filter: values.filter } : { type, resource };
    return { type: 'DATASOURCES:APPEND', resource };
  });
  // An empty variable counts as unset: shells and .env files leave them around.
  const signingKey =
    values['admin-token'] || process.env['TINYBIRD_ADMIN_TOKEN'] || (await storedAdminToken(values.data));
  const rps = values.rps === undefined ? undefined : Number(values.rps);
  const jwt = await createTinybirdJWT({
    signingKey,
    name: values.name,
    expiresIn: /^\d+$/.test(values.ttl) ? Number(values.ttl) : values.ttl,
    scopes,
    ...(rps !== undefined && { limits: { rps } }),
  }).catch((error: unknown) => {
    // What createTinybirdJWT refuses here came from the flags (--ttl, --rps, the admin token).
    throw error instanceof TinybirdConfigError ? new UsageError(error.detail) : error;
  });
  console.log(jwt);
}

async function storedAdminToken(dataDir: string): Promise<string> {
  const path = join(resolve(dataDir), 'workspace.json');
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as { adminToken: string }).adminToken;
  } catch {
    throw new UsageError(
      `no admin token: ${path} does not exist yet. Run \`react-tinybird dev --data ${dataDir}\` once, or pass --admin-token.`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const help = rest.includes('--help') || rest.includes('-h');
  if (help && (command === 'dev' || command === 'token' || command === 'types')) {
    console.log(command === 'dev' ? DEV_HELP : command === 'token' ? TOKEN_HELP : TYPES_HELP);
    return;
  }
  if (command === 'dev') return dev(rest);
  if (command === 'token') return token(rest);
  if (command === 'types') return typesCommand(rest, (message) => new UsageError(message));
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return;
  }
  throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Every expected failure (bad flag, bad datafile, port in use, missing chdb) has a message that says what to do;
  // anything else is a bug, and its stack is what a bug report needs.
  // node:util's parseArgs reports an unknown or malformed flag with an ERR_PARSE_ARGS_* code: a usage error too.
  const usage =
    error instanceof UsageError || String((error as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');
  const expected = usage || error instanceof LocalServerError;
  const message = error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : String(error);
  console.error(`react-tinybird: ${message}`);
  process.exit(usage ? 2 : 1);
});
