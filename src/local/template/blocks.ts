// Splits a template into text, {{ expressions }}, {% statements %} and {# comments #}, and builds the block tree
// ({% if %}...{% end %}), with Tornado's error messages for unbalanced blocks.
import type { Expr } from './ast';
import { TemplateError } from './errors';
import { parseExpression, parseForHeader } from './parser';

export type Node =
  | { k: 'text'; text: string }
  | { k: 'expr'; expr: Expr; line: number }
  | { k: 'if'; branches: Array<{ test: Expr | null; body: Node[] }> }
  | { k: 'for'; targets: string[]; iter: Expr; body: Node[]; line: number }
  | { k: 'set'; name: string; expr: Expr }
  | { k: 'break' | 'continue' };

type Tag = { kind: 'text'; text: string } | { kind: 'expr' | 'stmt'; text: string; line: number };

const CLOSE: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/** Blocks inside blocks: Python refuses code indented deeper than 100 levels, and so Tornado such templates. */
export const MAX_BLOCK_DEPTH = 100;

function scan(src: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  let text = '';
  // Line numbers for messages, counted forward once (counting from the start at every tag is quadratic).
  let line = 1;
  let newline = src.indexOf('\n');
  const lineAt = (at: number): number => {
    for (; newline >= 0 && newline < at; newline = src.indexOf('\n', newline + 1)) line++;
    return line;
  };
  while (i < src.length) {
    const open = src.indexOf('{', i);
    const kind = open < 0 ? undefined : src.slice(open, open + 2);
    if (open < 0 || !kind || !(kind in CLOSE)) {
      text += src.slice(i, open < 0 ? undefined : open + 1);
      i = open < 0 ? src.length : open + 1;
      continue;
    }
    text += src.slice(i, open);
    // Tornado's escape: {{! {%! {#! print the opening literally
    if (src[open + 2] === '!') {
      text += kind;
      i = open + 3;
      continue;
    }
    const line = lineAt(open);
    const end = src.indexOf(CLOSE[kind]!, open + 2);
    if (end < 0)
      throw new TemplateError(
        `Template Syntax Error: Missing end ${kind === '{{' ? 'expression' : 'block'} ${CLOSE[kind]} (line ${line})`,
      );
    if (text) tags.push({ kind: 'text', text });
    text = '';
    if (kind !== '{#') tags.push({ kind: kind === '{{' ? 'expr' : 'stmt', text: src.slice(open + 2, end), line });
    i = end + 2;
  }
  if (text) tags.push({ kind: 'text', text });
  return tags;
}

/** Parses template text (without the leading '%') into a tree. */
export function parseTemplate(src: string): Node[] {
  const tags = scan(src);
  let i = 0;

  // Reads nodes until one of `stops` ({% else %}, {% end %}...) and returns it, or until the end when `open` is null.
  let depth = 0;
  function body(open: string | null): { nodes: Node[]; stop: string; rest: string; line: number } {
    const nodes: Node[] = [];
    if (open !== null && ++depth > MAX_BLOCK_DEPTH)
      throw new TemplateError(
        `Template Syntax Error: blocks are nested more than ${MAX_BLOCK_DEPTH} levels deep (line ${(tags[i - 1] as { line: number }).line})`,
      );
    while (i < tags.length) {
      const t = tags[i++]!;
      if (t.kind === 'text') {
        nodes.push({ k: 'text', text: t.text });
        continue;
      }
      if (t.kind === 'expr') {
        if (!t.text.trim()) throw new TemplateError(`Template Syntax Error: Empty expression (line ${t.line})`);
        nodes.push({ k: 'expr', expr: parseExpression(t.text), line: t.line });
        continue;
      }
      // trim() and an anchored word, not one regex with a lazy middle: that one is quadratic in the spaces it holds.
      const statement = t.text.trim();
      const op = /^\w*/.exec(statement)![0];
      const rest = statement.slice(op.length).trimStart();
      switch (op) {
        case 'if': {
          const branches = [{ test: parseExpression(rest) as Expr | null, body: [] as Node[] }];
          for (;;) {
            const r = body('if');
            branches[branches.length - 1]!.body = r.nodes;
            if (r.stop === 'end') break;
            if (branches[branches.length - 1]!.test === null)
              throw new TemplateError(`Template Syntax Error: ${r.stop} after else (line ${r.line})`);
            branches.push({ test: r.stop === 'elif' ? parseExpression(r.rest) : null, body: [] });
          }
          nodes.push({ k: 'if', branches });
          break;
        }
        case 'for': {
          const { targets, iter } = parseForHeader(rest);
          const r = body('for');
          if (r.stop !== 'end')
            throw new TemplateError(`Template Syntax Error: ${r.stop} outside if block (line ${r.line})`);
          nodes.push({ k: 'for', targets, iter, body: r.nodes, line: t.line });
          break;
        }
        case 'set': {
          const s = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(rest);
          if (!s)
            throw new TemplateError(`Template Syntax Error: bad set, use {% set name = expression %} (line ${t.line})`);
          nodes.push({ k: 'set', name: s[1]!, expr: parseExpression(s[2]!) });
          break;
        }
        case 'else':
        case 'elif':
        case 'end':
          if (open === null) {
            throw new TemplateError(
              op === 'end'
                ? `Template Syntax Error: Extra {% end %} block (line ${t.line})`
                : `Template Syntax Error: ${op} outside if block (line ${t.line})`,
            );
          }
          if (op !== 'end' && open !== 'if')
            throw new TemplateError(`Template Syntax Error: ${op} outside if block (line ${t.line})`);
          depth--;
          return { nodes, stop: op, rest, line: t.line };
        case 'comment':
          break;
        case 'break':
        case 'continue':
          nodes.push({ k: op });
          break;
        default:
          throw new TemplateError(
            `Template Syntax Error: unsupported template statement {% ${op || t.text.trim()} %} (line ${t.line})`,
          );
      }
    }
    if (open !== null) throw new TemplateError(`Missing {% end %} block for ${open}`);
    return { nodes, stop: '', rest: '', line: 0 };
  }

  return body(null).nodes;
}
