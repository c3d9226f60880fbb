// A project -> one TypeScript file: for each endpoint its params and row, for each data source the row useAppend
// sends, and a `Register` augmentation of 'react-tinybird' that types the hooks, charts and grants from them.
import type { SourcePipe, SourceProject } from './adapter';
import { appendRow } from './append-row';
import { propertyKey, readType } from './clickhouse-type';
import { endpointParams, TemplateProblem } from './endpoint-params';
import type { GeneratedParam } from './param-type';

export interface GeneratedTypes {
  /** The file's text. */
  source: string;
  endpoints: number;
  /** Endpoints with both params and row typed (neither fell back to a loose type). */
  fullyTyped: number;
  datasources: number;
  /** What could not be typed, as `file:line: problem`; those endpoints are still written, loosely typed. */
  problems: string[];
}

/** `top_airlines` -> `TopAirlines`; a leading digit gets a `T`. */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Unnamed';
  return /^\d/.test(joined) ? `T${joined}` : joined;
}

/** Gives each type a name no other type has: `TopAirlinesRow`, then `TopAirlinesRow2`... */
function namer(): (base: string) => string {
  const used = new Set<string>(['Register']);
  return (base) => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    return name;
  };
}

function doc(lines: Array<string | undefined>, indent: string): string {
  const text = lines
    .filter((l): l is string => l !== undefined && l.trim() !== '')
    .flatMap((l) => l.trim().replace(/\*\//g, '*\\/').split('\n'));
  if (text.length === 0) return '';
  if (text.length === 1) return `${indent}/** ${text[0]!.trim()} */\n`;
  return `${indent}/**\n${text.map((l) => `${indent} * ${l.trim()}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

// Texts tried in turn for a text parameter the render needs (the template may compare it with a number, a date or a
// word), and for a DateTime/DateTime64 one.
const TEXTS = ['1', '2024-01-01', 'a', '2024-01-01 00:00:00'];
const DATED = ['2024-01-01', '1', 'a', '2024-01-01 00:00:00'];
const TIMES = ['2024-01-01 00:00:00', '2024-01-01 00:00:00.000'];

/**
 * The `attempt`-th value tried for a parameter, so ClickHouse can describe the query: its default, else a value the
 * template compares it with, else made up.
 */
function placeholder(p: GeneratedParam, attempt: number): unknown {
  if (p.default !== undefined && p.default !== null) return p.default;
  const first = p.ts.split(' | ')[0] ?? '';
  const literal = /^"(.*)"$|^(-?\d+(\.\d+)?)$/.exec(first);
  if (literal) return literal[1] ?? Number(literal[2]);
  if (p.compared && !p.ts.startsWith('readonly')) return p.compared[attempt % p.compared.length];
  if (p.ts.startsWith('readonly'))
    return [placeholder({ ...p, ts: p.ts.replace(/^readonly \(?|\)?\[\]$/g, '') }, attempt)];
  if (first === 'number' || first === 'boolean') return 1;
  const texts = first === 'Date' ? TIMES : /date|day/i.test(p.name) ? DATED : TEXTS;
  return texts[attempt % texts.length];
}

/**
 * The params to describe an endpoint with, in the order tried: the required ones made up (the rest at their
 * defaults), with each kind of text; then every param set, for a pipe whose template refuses to run at its defaults
 * (`{{ error('give start_date or end_date') }}`). Rows then come from the branch those values take.
 */
function paramSets(params: GeneratedParam[]): Array<Record<string, unknown>> {
  const sets = new Map<string, Record<string, unknown>>();
  for (const all of [false, true])
    for (let attempt = 0; attempt < TEXTS.length; attempt++) {
      const set = Object.fromEntries(
        params.filter((p) => all || p.required).map((p) => [p.name, placeholder(p, attempt)]),
      );
      sets.set(JSON.stringify(set), set);
    }
  return [...sets.values()];
}

// ClickHouse refusing a made-up value rather than the query: cannot parse or convert it (codes 6, 27, 38, 41, 53, 72).
const VALUE_REFUSED = /Code: (6|27|38|41|53|72)\./;

/**
 * The output columns with the first params of {@link paramSets} ClickHouse describes. Else the most telling refusal:
 * ClickHouse's about the query itself (a table that does not exist) once the template ran, else the first.
 */
async function describeEndpoint(
  project: SourceProject,
  pipe: string,
  params: GeneratedParam[],
): Promise<Array<{ name: string; type: string }>> {
  const errors: Error[] = [];
  for (const set of paramSets(params)) {
    try {
      return await project.describe(pipe, set);
    } catch (error) {
      errors.push(error as Error);
    }
  }
  throw errors.find((e) => /DB::Exception/.test(e.message) && !VALUE_REFUSED.test(e.message)) ?? errors[0];
}

function paramsType(name: string, params: GeneratedParam[], loose: boolean): string {
  if (loose) return `export type ${name} = Params;\n`;
  if (params.length === 0) return `export type ${name} = Record<string, never>;\n`;
  const fields = params.map((p) => {
    const shown = p.default === undefined ? undefined : `Default: \`${JSON.stringify(p.default)}\`.`;
    const text = p.description?.trim().replace(/([^.!?])$/, '$1.');
    const description = [text, shown].filter(Boolean).join(' ');
    const type = p.required ? p.ts : `${p.ts} | null`;
    return `${doc([description], '  ')}  ${propertyKey(p.name)}${p.required ? '' : '?'}: ${type};`;
  });
  return `export interface ${name} {\n${fields.join('\n')}\n}\n`;
}

function rowType(name: string, columns: Array<{ name: string; type: string }> | undefined): string {
  if (columns === undefined) return `export type ${name} = Record<string, unknown>;\n`;
  // Two columns of one name (`x AS p90, round(p90) AS p90`): the JSON object keeps the last.
  const last = new Map(columns.map((c) => [c.name, c]));
  const fields = [...last.values()].map((c) => {
    const { ts, notes } = readType(c.type);
    const comment = notes.map((n) => `  // ${n}\n`).join('');
    return `${comment}${doc([`\`${c.type}\``], '  ')}  ${propertyKey(c.name)}: ${ts};`;
  });
  return `export interface ${name} {\n${fields.join('\n')}\n}\n`;
}

interface Endpoint {
  pipe: SourcePipe;
  params: string;
  row: string;
}

/**
 * Writes the types of `project`'s endpoints and data sources. An endpoint whose template does not parse or that
 * ClickHouse cannot describe is still registered (its name is valid) with loose params or rows, and reported.
 *
 * @example
 * ```ts
 * const project = await openProject('examples/tinybird');
 * const { source, problems } = await generateTypes(project, 'examples/tinybird');
 * ```
 */
export async function generateTypes(project: SourceProject, shownDir: string): Promise<GeneratedTypes> {
  const name = namer();
  const problems = [...project.problems];
  const blocks: string[] = [];
  const endpoints: Endpoint[] = [];
  let fullyTyped = 0;
  for (const pipe of [...project.endpoints].sort((a, b) => a.name.localeCompare(b.name))) {
    const base = pascal(pipe.name);
    const types = { pipe, params: name(`${base}Params`), row: name(`${base}Row`) };
    let params: GeneratedParam[] | undefined;
    try {
      params = endpointParams(pipe.file, pipe.nodes, project.pipes, pipe.name);
    } catch (error) {
      if (!(error instanceof TemplateProblem)) throw error;
      problems.push(error.message);
    }
    let columns: Array<{ name: string; type: string }> | undefined;
    try {
      // A template that does not parse does not render either: reported once, above.
      if (params) columns = await describeEndpoint(project, pipe.name, params);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      problems.push(`${pipe.file}:${pipe.line}: the output columns of ${pipe.name} are unknown: ${message}`);
    }
    if (params && columns) fullyTyped++;
    blocks.push(
      `${doc([pipe.description, `Parameters of the \`${pipe.name}\` endpoint (${pipe.file}).`], '')}${paramsType(types.params, params ?? [], params === undefined)}`,
      `${doc([`A row of the \`${pipe.name}\` endpoint.`], '')}${rowType(types.row, columns)}`,
    );
    endpoints.push(types);
  }
  const datasources: Array<{ name: string; type: string }> = [];
  for (const ds of [...project.datasources].sort((a, b) => a.name.localeCompare(b.name))) {
    const type = name(`${pascal(ds.name)}AppendRow`);
    const row = appendRow(ds.columns, '');
    blocks.push(
      `${doc([ds.description, `A row \`useAppend('${ds.name}')\` sends (${ds.file}).`, ...row.notes], '')}export type ${type} = ${row.ts};\n`,
    );
    datasources.push({ name: ds.name, type });
  }
  const register = [
    "declare module 'react-tinybird' {",
    '  interface Register {',
    '    endpoints: {',
    ...endpoints.map((e) => `      ${propertyKey(e.pipe.name)}: { params: ${e.params}; row: ${e.row} };`),
    '    };',
    '    datasources: {',
    ...datasources.map((d) => `      ${propertyKey(d.name)}: { append: ${d.type} };`),
    '    };',
    '  }',
    '}',
  ].join('\n');
  const header = [
    `// Generated by \`react-tinybird types\` from ${shownDir}. Do not edit: run the command again.`,
    '// Integers, 64-bit ones included, are numbers: Tinybird sends them as JSON numbers (exact up to 2^53).',
    '// Dates and times are the text Tinybird sends, e.g. `2024-05-01 10:00:00` (UTC).',
    ...(problems.length > 0 ? ['// Not fully typed:', ...problems.map((p) => `//   ${p}`)] : []),
  ].join('\n');
  const needsParams = blocks.some((b) => / = Params;/.test(b));
  const source = [
    header,
    // Also what makes TypeScript resolve the module the block below augments, in a program that imports nothing else.
    needsParams ? "import type { Params } from 'react-tinybird';" : "import type {} from 'react-tinybird';",
    '',
    blocks.join('\n'),
    register,
    // A module, so the block above augments 'react-tinybird' rather than declaring it.
    'export {};',
    '',
  ].join('\n');
  return { source, endpoints: endpoints.length, fullyTyped, datasources: datasources.length, problems };
}
