// Parses the text of a `.pipe` file: its nodes, which one is the output (endpoint, materialized or copy) and its
// TOKEN lines. Text in, data out: no file system here.
import { basename } from 'node:path';
import { parseCron } from './cron';
import { DatafileError, type Parsed, type Pipe, type PipeNode, type TokenLine } from './datafiles';
import { DEPLOY_ONLY, directives, IDENTIFIER, tokenLine, unquote } from './directives';

function nameOf(file: string, kind: string): string {
  const name = basename(file).replace(/\.(datasource|pipe)$/, '');
  if (!IDENTIFIER.test(name)) {
    throw new DatafileError(
      file,
      1,
      `the file name makes the ${kind} name "${name}": use letters, digits and _ only, not starting with a digit`,
    );
  }
  return name;
}

const PIPE_IGNORED = new Set(['TAGS', 'CACHE']);
const NODE_TYPES = new Set(['endpoint', 'materialized', 'copy', 'sink', 'standard']);
const COPY_SETTINGS: Record<string, 'target' | 'schedule' | 'mode'> = {
  TARGET_DATASOURCE: 'target',
  COPY_SCHEDULE: 'schedule',
  COPY_MODE: 'mode',
};

/** A node and a pipe while the file is read: the parser fills them, the snapshot gets them read-only. */
type NodeDraft = { -readonly [K in keyof PipeNode]: PipeNode[K] } & {
  engine?: Record<string, string>;
  copy?: { target?: string; schedule?: string; mode?: string; line: number };
};
type PipeDraft = { -readonly [K in keyof Pipe]: Pipe[K] } & {
  nodes: NodeDraft[];
  tokens: TokenLine[];
  materialized?: { node: number; datasource: string };
};

/** Parses the text of a `.pipe` file. */
export function parsePipe(text: string, file: string): Parsed<Pipe> {
  const pipe: PipeDraft = { kind: 'pipe', name: nameOf(file, 'pipe'), file, nodes: [], tokens: [] };
  const warnings: string[] = [];
  let node: NodeDraft | undefined;
  for (const d of directives(text, file)) {
    if (d.keyword === 'NODE') {
      const name = unquote(d.args);
      if (!IDENTIFIER.test(name))
        throw new DatafileError(file, d.line, `NODE needs a name of letters, digits and _, got "${d.args}"`);
      if (pipe.nodes.some((n) => n.name === name))
        throw new DatafileError(file, d.line, `node "${name}" is defined twice`);
      node = { name, sql: '', line: d.line };
      pipe.nodes.push(node);
    } else if (d.keyword === 'DESCRIPTION') {
      const text = d.block ?? unquote(d.args);
      if (node) node.description = text;
      else pipe.description = text;
    } else if (d.keyword === 'TOKEN') {
      const token = tokenLine(d, file, ['READ'], warnings);
      if (token) pipe.tokens.push(token);
    } else if ((d.keyword === 'ENGINE' || d.keyword.startsWith('ENGINE_')) && node) {
      // The classic CLI's materialized pipes repeat their target's engine: the .datasource file is what counts here.
      node.engine ??= {};
      node.engine[d.keyword === 'ENGINE' ? 'engine' : d.keyword.slice('ENGINE_'.length).toLowerCase()] = unquote(
        d.block ?? d.args,
      );
    } else if (d.keyword === 'SQL') {
      if (!node) throw new DatafileError(file, d.line, 'SQL > outside a node: start the node with NODE <name>');
      if (!d.block) throw new DatafileError(file, d.line, 'SQL must be followed by `>` and an indented query');
      if (node.sql !== '') throw new DatafileError(file, d.line, `node "${node.name}" has two SQL blocks`);
      node.sql = d.block.trim().replace(/;\s*$/, '');
    } else if (d.keyword === 'TYPE') {
      if (!node) throw new DatafileError(file, d.line, "TYPE outside a node: put it after the node's SQL");
      const type = unquote(d.args).toLowerCase();
      if (!NODE_TYPES.has(type))
        throw new DatafileError(
          file,
          d.line,
          `unknown node TYPE "${d.args}" (expected endpoint, materialized, copy or sink)`,
        );
      node.type = type;
      if (type === 'endpoint' || type === 'materialized' || type === 'copy') {
        if (pipe.endpoint !== undefined || pipe.materialized !== undefined || pipe.copy !== undefined) {
          throw new DatafileError(
            file,
            d.line,
            `a pipe has one output node (endpoint, materialized or copy); this TYPE ${type} is the second`,
          );
        }
        const index = pipe.nodes.length - 1;
        if (type === 'endpoint') pipe.endpoint = index;
        else if (type === 'materialized') pipe.materialized = { node: index, datasource: '' };
        else pipe.copy = { node: index, datasource: '', schedule: '@on-demand', mode: 'append' };
      } else if (type !== 'standard') {
        warnings.push(`${file}:${d.line}: TYPE ${type} is not run by the local server; the pipe is not published`);
      }
    } else if (d.keyword === 'DATASOURCE' && node) {
      node.datasource = unquote(d.args);
    } else if (d.keyword in COPY_SETTINGS) {
      if (!node)
        throw new DatafileError(file, d.line, `${d.keyword} outside a node: put it after the copy node's TYPE COPY`);
      node.copy ??= { line: d.line };
      node.copy[COPY_SETTINGS[d.keyword]!] = unquote(d.args);
    } else if (d.keyword === 'VERSION') {
      // The pipe's name in the workspace (see versions.ts).
    } else if (PIPE_IGNORED.has(d.keyword) || d.keyword === 'DATASOURCE' || DEPLOY_ONLY.test(d.keyword)) {
      warnings.push(`${file}:${d.line}: ${d.keyword} is ignored by the local server`);
    } else {
      warnings.push(
        `${file}:${d.line}: unknown keyword ${d.keyword} in a .pipe file is ignored (expected DESCRIPTION, TOKEN, NODE, SQL, TYPE)`,
      );
    }
  }
  if (pipe.nodes.length === 0) throw new DatafileError(file, 1, 'a pipe needs at least one `NODE <name>` with `SQL >`');
  // The classic CLI publishes a pipe with no TYPE line at all: its last node is the endpoint.
  if (pipe.nodes.every((n) => n.type === undefined)) pipe.endpoint = pipe.nodes.length - 1;
  for (const n of pipe.nodes)
    if (n.sql === '') throw new DatafileError(file, n.line, `node "${n.name}" has no \`SQL >\` block`);
  for (const n of pipe.nodes) {
    if (n.datasource !== undefined && n.type !== 'materialized')
      warnings.push(`${file}:${n.line}: DATASOURCE is ignored by the local server outside a TYPE materialized node`);
    if (n.copy !== undefined && n.type !== 'copy')
      warnings.push(
        `${file}:${n.copy.line}: TARGET_DATASOURCE, COPY_SCHEDULE and COPY_MODE are ignored outside a TYPE copy node`,
      );
  }
  if (pipe.copy) {
    const n = pipe.nodes[pipe.copy.node]!;
    const { target, schedule = '@on-demand', mode = 'append', line = n.line } = n.copy ?? {};
    if (!target)
      throw new DatafileError(
        file,
        n.line,
        `node "${n.name}" is TYPE copy: name its target with TARGET_DATASOURCE <data source>`,
      );
    if (mode !== 'append' && mode !== 'replace')
      throw new DatafileError(file, line, `COPY_MODE is append or replace, got "${mode}"`);
    if (schedule.toLowerCase() !== '@on-demand') {
      try {
        parseCron(schedule);
      } catch (error) {
        throw new DatafileError(file, line, `COPY_SCHEDULE: ${(error as Error).message}`);
      }
    }
    pipe.copy = { node: pipe.copy.node, datasource: target, schedule, mode };
  }
  if (pipe.materialized) {
    const n = pipe.nodes[pipe.materialized.node]!;
    if (!n.datasource)
      throw new DatafileError(
        file,
        n.line,
        `node "${n.name}" is TYPE materialized: name its target with DATASOURCE <data source>`,
      );
    pipe.materialized.datasource = n.datasource;
  }
  return { value: pipe, warnings };
}
