// A small ClickHouse lexer that follows the rendered SQL as it is written, so every value we splice in is checked
// against where it lands: it must start in plain code (not inside the author's quotes or a block comment), contain no
// statement separator, and leave the SQL in plain code. It is a second line of defence behind the quoting functions:
// it makes `'{{String(x)}}'` (double quoting, which would otherwise let `'; DROP ...` through) an error.
import { TemplateError } from './errors';

type State =
  | { k: 'code' }
  | { k: 'squote' | 'dquote' | 'backtick' | 'line' }
  | { k: 'block'; depth: number }
  | { k: 'heredoc'; tag: string };

const CODE: State = { k: 'code' };
const QUOTES: Record<string, State['k']> = { "'": 'squote', '"': 'dquote', '`': 'backtick' };

/** One step: the state after the char at i and where the next step starts; null when it needs chars past the end. */
function step(s: string, i: number, st: State, eof: boolean): [State, number] | null {
  const c = s[i]!;
  const next = s[i + 1];
  const need = next === undefined && !eof;
  switch (st.k) {
    case 'code':
      if (c in QUOTES) return [{ k: QUOTES[c]! } as State, i + 1];
      if (c === '-' || c === '/' || c === '#') {
        if (need) return null;
        if (c === '-' && next === '-') return [{ k: 'line' }, i + 2];
        if (c === '/' && next === '*') return [{ k: 'block', depth: 1 }, i + 2];
        if (c === '#' && (next === ' ' || next === '!')) return [{ k: 'line' }, i + 2];
        return [st, i + 1];
      }
      if (c === '$') {
        const m = /^\$([A-Za-z0-9_]*)(\$)?/.exec(s.slice(i, i + 66));
        if (m?.[2] !== undefined) return [{ k: 'heredoc', tag: m[0] }, i + m[0].length];
        if (!eof && i + m![0].length >= s.length) return null;
        return [st, i + 1];
      }
      return [st, i + 1];
    case 'squote':
    case 'dquote':
    case 'backtick': {
      const q = st.k === 'squote' ? "'" : st.k === 'dquote' ? '"' : '`';
      if (c === '\\') return need ? null : [st, i + 2];
      if (c !== q) return [st, i + 1];
      if (need) return null;
      return next === q ? [st, i + 2] : [CODE, i + 1]; // a doubled quote is an escaped quote
    }
    case 'line':
      return [c === '\n' ? CODE : st, i + 1];
    case 'block':
      if ((c === '*' && next === '/') || (c === '/' && next === '*')) {
        const depth = st.depth + (c === '*' ? -1 : 1); // ClickHouse nests block comments
        return [depth === 0 ? CODE : { k: 'block', depth }, i + 2];
      }
      return need && (c === '*' || c === '/') ? null : [st, i + 1];
    case 'heredoc':
      if (s.startsWith(st.tag, i)) return [CODE, i + st.tag.length];
      if (!eof && s.length - i < st.tag.length && st.tag.startsWith(s.slice(i))) return null;
      return [st, i + 1];
  }
}

/** Builds the output SQL: author text with append(), request-influenced values with value(). */
export class SqlWriter {
  private out = '';
  private pos = 0;
  private state: State = CODE;

  /** Template text written by the pipe's author: trusted, only tracked. */
  append(text: string): void {
    this.out += text;
  }

  /** A rendered value: checked against where it lands. `src` names the expression in errors. */
  value(sql: string, src: string): void {
    // Two values side by side ({{a}}{{b}}) would read as one: '1''2' is the string 1'2. A space keeps them apart.
    if (sql !== '' && '\'"`-'.includes(sql[0]!) && this.out.endsWith(sql[0]!)) this.out += ' ';
    const start = this.out.length;
    this.out += sql;
    if (sql === '') return;
    const fail = (why: string) =>
      new TemplateError(`Template Syntax Error: the value of "${src.trim().slice(0, 40)}" ${why}`);
    this.advance(start, false);
    // A step that jumps over `start` joined the value with the text before it (`-` + `-5` = a comment).
    if (this.pos !== start) throw fail('is not a single SQL token here');
    const at = this.state.k;
    if (at === 'line' && /[\r\n]/.test(sql)) throw fail('would break out of a -- comment');
    if (at !== 'code' && at !== 'line') {
      throw fail(
        `is inside a ${at === 'block' ? 'comment' : 'quoted string or identifier'}: remove the quotes around {{ }}`,
      );
    }
    let st: State = this.state;
    for (let i = start; i < this.out.length;) {
      if (st.k === 'code' && this.out[i] === ';') throw fail('contains a statement separator');
      [st, i] = step(this.out, i, st, true)!;
    }
    if (st.k !== at) throw fail('is not a single SQL token');
  }

  /** Scans up to `limit` (or as far as the text decides); eof treats the end as the end of the SQL. */
  private advance(limit: number, eof: boolean): void {
    while (this.pos < limit) {
      const r = step(this.out, this.pos, this.state, eof);
      if (r === null) break;
      [this.state, this.pos] = r;
    }
  }

  get length(): number {
    return this.out.length;
  }

  toString(): string {
    return this.out;
  }
}
