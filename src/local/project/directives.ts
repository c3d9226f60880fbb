// The datafile tokenizer: a datafile's text into top-level directives (`KEYWORD args` or `KEYWORD >` and an indented
// block), and the small readers both parsers share. Text in, data out: no file system here.
import { DatafileError, type TokenLine } from './datafiles';

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Directive {
  keyword: string;
  /** Text after the keyword on its line (without a trailing `>`). */
  args: string;
  /** Dedented indented block after `KEYWORD >`, when there is one. */
  block?: string;
  line: number;
  /** Line of the first line of `block`. */
  blockLine: number;
}

/**
 * The keywords that end a `KEYWORD >` block when a line starts with one: any other line, indented or not, belongs to
 * the block, as in Tinybird's parser (a description's second paragraph, a `%` or SQL line written at column 0).
 */
const BLOCK_ENDS =
  /^(NODE|SQL|TYPE|DESCRIPTION|TOKEN|SCHEMA|INDEXES|ENGINE\w*|DATASOURCE|TARGET_DATASOURCE|COPY_\w+|VERSION|TAGS|INCLUDE|FORWARD_QUERY|SHARED_WITH|KAFKA_\w+|IMPORT_\w+|EXPORT_\w+|S3_\w+|GCS_\w+|CACHE|BACKFILL|DEPLOYMENT_METHOD)(\s|$)/;

/** Splits a datafile into top-level directives with their blocks. */
export function directives(text: string, file: string): Directive[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (/^\s/.test(raw)) {
      throw new DatafileError(
        file,
        i + 1,
        'unexpected indented line: only the lines of a block (after `KEYWORD >`) are indented',
      );
    }
    const match = /^([A-Z_]+)\b\s*(.*?)\s*$/.exec(raw);
    if (!match)
      throw new DatafileError(
        file,
        i + 1,
        `expected a keyword in capitals (SCHEMA, ENGINE, NODE, SQL, ...), got "${raw.trim()}"`,
      );
    const keyword = match[1] ?? '';
    let args = match[2] ?? '';
    const directive: Directive = { keyword, args, line: i + 1, blockLine: i + 2 };
    if (args === '>' || args.endsWith(' >')) {
      args = args.slice(0, -1).trim();
      const body: string[] = [];
      while (i + 1 < lines.length && !BLOCK_ENDS.test(lines[i + 1] ?? '')) {
        const line = lines[++i] ?? '';
        // A `#` at column 0 is a datafile comment, not part of the block.
        if (!line.startsWith('#')) body.push(line);
      }
      while (body.length > 0 && (body.at(-1) ?? '').trim() === '') body.pop();
      if (body.length === 0)
        throw new DatafileError(file, directive.line, `${keyword} > is followed by no indented block`);
      directive.block = dedent(body);
      directive.args = args;
    }
    out.push(directive);
  }
  return out;
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}

export const unquote = (value: string) => value.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');

/**
 * A `TOKEN <name> <PERMISSION>` line: the permissions in `enforced` give the token a scope; any other word (CREATE,
 * a pipe's APPEND...) is accepted with a warning and grants nothing, so a project written for Tinybird loads.
 */
export function tokenLine(
  d: Directive,
  file: string,
  enforced: readonly string[],
  warnings: string[],
): TokenLine | undefined {
  const match = /^("[^"]+"|'[^']+'|\S+)\s+([A-Za-z_:]+)$/.exec(d.args);
  const name = match ? unquote(match[1] ?? '').trim() : '';
  const permission = (match?.[2] ?? '').toUpperCase();
  // A control character in a token name is refused: the class names them on purpose.
  // eslint-disable-next-line no-control-regex
  if (!match || name === '' || /[\u0000-\u001f]/.test(name)) {
    throw new DatafileError(file, d.line, `expected TOKEN <name> ${enforced.join('|')}, e.g. TOKEN "dashboard" READ`);
  }
  if (!enforced.includes(permission)) {
    warnings.push(`${file}:${d.line}: TOKEN ${name} ${permission} is accepted but grants nothing on the local server`);
    return undefined;
  }
  return { name, permission: permission as TokenLine['permission'], line: d.line };
}

/** Keywords that only matter when deploying to Tinybird (connectors, sharing): accepted with a warning. */
export const DEPLOY_ONLY =
  /^(TAGS|INDEXES|FORWARD_QUERY|SHARED_WITH|BACKFILL|CACHE|DEPLOYMENT_METHOD|(KAFKA|IMPORT|EXPORT|S3|GCS)_\w+)$/;
