// The part of YAML that Tinybird test files use: a list of mappings whose values are plain, quoted or block (`|`, `>`)
// scalars, or nested mappings of those. Anything else is reported, not guessed.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  no: number;
}

export function parseYaml(source: string): YamlValue {
  const lines: Line[] = source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((raw, i) => ({ indent: /^ */.exec(raw)![0].length, text: raw.trimEnd(), no: i + 1 }));
  const reader = { lines, at: 0 };
  skipBlank(reader);
  if (reader.at >= lines.length) return null;
  return block(reader, lines[reader.at]!.indent);
}

interface Reader {
  lines: Line[];
  at: number;
}

function skipBlank(r: Reader): void {
  while (r.at < r.lines.length && /^\s*(#.*)?$/.test(r.lines[r.at]!.text)) r.at++;
}

function block(r: Reader, indent: number): YamlValue {
  const first = r.lines[r.at]!;
  return first.text.slice(indent).startsWith('- ') || first.text.slice(indent) === '-'
    ? list(r, indent)
    : mapping(r, indent);
}

function list(r: Reader, indent: number): YamlValue[] {
  const out: YamlValue[] = [];
  while (r.at < r.lines.length) {
    skipBlank(r);
    const line = r.lines[r.at];
    if (!line || line.indent !== indent || !line.text.slice(indent).startsWith('-')) break;
    const rest = line.text.slice(indent + 1).trimStart();
    if (rest === '') {
      r.at++;
      skipBlank(r);
      out.push(block(r, r.lines[r.at]!.indent));
    } else if (/^[^'"]*?:(\s|$)/.test(rest)) {
      // `- key: value` opens a mapping indented at the key's column.
      const column = line.text.length - line.text.slice(indent + 1).trimStart().length;
      r.lines[r.at] = { ...line, indent: column, text: ' '.repeat(column) + rest };
      out.push(mapping(r, column));
    } else {
      r.at++;
      out.push(scalar(rest));
    }
  }
  return out;
}

function mapping(r: Reader, indent: number): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = {};
  while (r.at < r.lines.length) {
    skipBlank(r);
    const line = r.lines[r.at];
    if (!line || line.indent !== indent) break;
    const match = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(line.text.slice(indent));
    if (!match) throw new Error(`line ${line.no}: expected "key: value", got "${line.text.trim()}"`);
    const key = String(scalar(match[1]!));
    let rest = (match[2] ?? '').trim();
    r.at++;
    // A quoted scalar may go on over more indented lines, folded with spaces.
    const open = /^["']/.exec(rest)?.[0];
    while (open && !new RegExp(`.${open}\\s*$`).test(rest) && (r.lines[r.at]?.indent ?? 0) > indent) {
      // In double quotes a line ending in \ goes on without a space.
      const escaped = open === '"' && rest.endsWith('\\');
      rest = escaped ? rest.slice(0, -1) + r.lines[r.at++]!.text.trim() : `${rest} ${r.lines[r.at++]!.text.trim()}`;
    }
    if (rest === '|' || rest === '|-' || rest === '>' || rest === '>-' || rest === '|+') {
      out[key] = blockScalar(r, indent, rest);
    } else if (rest === '') {
      skipBlank(r);
      const next = r.lines[r.at];
      out[key] = next && next.indent > indent ? block(r, next.indent) : null;
    } else {
      out[key] = scalar(rest);
    }
  }
  return out;
}

function blockScalar(r: Reader, parent: number, style: string): string {
  const body: string[] = [];
  let indent = -1;
  while (r.at < r.lines.length) {
    const line = r.lines[r.at]!;
    if (line.text.trim() !== '') {
      if (line.indent <= parent) break;
      if (indent === -1) indent = line.indent;
      if (line.indent < indent) break;
    }
    body.push(line.text.slice(Math.max(indent, 0)));
    r.at++;
  }
  while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
  const text = style.startsWith('>') ? body.join(' ').replace(/ {2,}/g, ' ') : body.join('\n');
  return style.endsWith('-') ? text : `${text}\n`;
}

function scalar(text: string): YamlValue {
  const t = text.replace(/\s+#.*$/, '').trim();
  // YAML's double-quoted escapes are JSON's plus `\ ` (a space).
  if (/^".*"$/s.test(t)) return JSON.parse(t.replace(/\\ /g, ' ')) as string;
  if (/^'.*'$/s.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (t === 'null' || t === '~' || t === '') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}
