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

/** For each state, the characters that can change it: everything between them is stepped over at once. */
const SPECIAL: Record<State['k'], RegExp> = {
  code: /['"`\-/#$;]/g,
  squote: /['\\]/g,
  dquote: /["\\]/g,
  backtick: /[`\\]/g,
  line: /\n/g,
  block: /[*/]/g,
  heredoc: /\$/g,
};

/** The first index from i where the char may change state `st` (a `;` too in code): up to there, it stays. */
function skip(s: string, i: number, st: State): number {
  const re = SPECIAL[st.k];
  re.lastIndex = i;
  return re.exec(s)?.index ?? s.length;
}

/**
 * Builds the output SQL: author text with append(), request-influenced values with value(). The output is kept as a
 * list of pieces and only the short tail the lexer has not decided yet is rescanned, so writing is linear in the output:
 * indexing one growing string would flatten it again after every piece (quadratic in the number of pieces).
 */
export class SqlWriter {
  private readonly pieces: string[] = [];
  private written = 0;
  /** Output not yet scanned (a few characters the lexer needs to see past, plus what was just written). */
  private tail = '';
  private state: State = CODE;

  /** @param max the longest output allowed: past it, a 400 before anything bigger is built. */
  constructor(private readonly max = Infinity) {}

  /** Template text written by the pipe's author: trusted, only tracked. */
  append(text: string): void {
    this.push(text);
    this.advance(this.tail.length, false);
  }

  /** A rendered value: checked against where it lands. `src` names the expression in errors. */
  value(sql: string, src: string): void {
    // Two values side by side ({{a}}{{b}}) would read as one: '1''2' is the string 1'2. A space keeps them apart.
    if (sql !== '' && '\'"`-'.includes(sql[0]!) && this.last === sql[0]) this.push(' ');
    if (sql === '') return;
    const start = this.tail.length;
    this.push(sql);
    const fail = (why: string) =>
      new TemplateError(`Template Syntax Error: the value of "${src.trim().slice(0, 40)}" ${why}`);
    const pos = this.advance(start, false);
    // A step that jumps over `start` joined the value with the text before it (`-` + `-5` = a comment).
    if (pos !== start) throw fail('is not a single SQL token here');
    const at = this.state.k;
    if (at === 'line' && /[\r\n]/.test(sql)) throw fail('would break out of a -- comment');
    if (at !== 'code' && at !== 'line') {
      throw fail(
        `is inside a ${at === 'block' ? 'comment' : 'quoted string or identifier'}: remove the quotes around {{ }}`,
      );
    }
    // The scan stopped at the value, which now starts the tail: check it to its end, as if the SQL ended there.
    let st: State = this.state;
    for (let i = skip(this.tail, 0, st); i < this.tail.length; i = skip(this.tail, i, st)) {
      if (st.k === 'code' && this.tail[i] === ';') throw fail('contains a statement separator');
      [st, i] = step(this.tail, i, st, true)!;
    }
    if (st.k !== at) throw fail('is not a single SQL token');
  }

  private get last(): string | undefined {
    const piece = this.pieces[this.pieces.length - 1];
    return piece?.[piece.length - 1];
  }

  private push(text: string): void {
    if (text === '') return;
    if (this.written + text.length > this.max)
      throw new TemplateError(`Template Syntax Error: rendered SQL is too large (more than ${this.max} characters)`);
    this.pieces.push(text);
    this.written += text.length;
    this.tail += text;
  }

  /**
   * Scans the tail up to `limit` (or as far as the text decides; eof treats the end as the end of the SQL), drops
   * what it scanned and returns where it stopped, in the tail's coordinates before the drop.
   */
  private advance(limit: number, eof: boolean): number {
    let pos = 0;
    while ((pos = Math.min(skip(this.tail, pos, this.state), limit)) < limit) {
      const r = step(this.tail, pos, this.state, eof);
      if (r === null) break;
      [this.state, pos] = r;
    }
    // value() scans the value again from where it starts, so keep it: drop only what lies before `limit`.
    const drop = Math.min(pos, limit);
    this.tail = this.tail.slice(drop);
    return pos;
  }

  get length(): number {
    return this.written;
  }

  toString(): string {
    return this.pieces.join('');
  }
}
