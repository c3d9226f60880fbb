// Recursive-descent parser for template expressions, with Python's precedence. Nothing here runs code: the tree is
// interpreted by evaluate.ts, which only knows the functions in its table.
import { children, type Expr } from './ast';
import { TemplateError } from './errors';
import { tokenize, type Token } from './lexer';

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FORBIDDEN = new Set(['lambda', 'import', 'yield', 'await', 'def', 'class', 'exec', 'eval', 'global', 'nonlocal']);

/**
 * How deep an expression may nest, counting both the parser's own recursion (brackets, `not not`, `- -`) and the tree
 * it builds (`1+1+...+1` is a chain as deep as it is long), so neither parsing nor evaluating can overflow the stack.
 * Python's own parser stops at 200 nested brackets.
 */
export const MAX_EXPRESSION_DEPTH = 100;

export function parseExpression(src: string): Expr {
  return new Parser(src).whole();
}

/** `a, b in xs` of a for loop: the target names and the iterable. */
export function parseForHeader(src: string): { targets: string[]; iter: Expr } {
  const m = /^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+([\s\S]+)$/.exec(src);
  if (!m) throw new TemplateError(`Template Syntax Error: bad for loop "for ${src.trim()}"`);
  return { targets: m[1]!.split(',').map((s) => s.trim()), iter: parseExpression(m[2]!) };
}

class Parser {
  private toks: Token[];
  private i = 0;
  /** Recursion depth of the parser right now. */
  private nesting = 0;
  /** The height of every node built so far. */
  private readonly heights = new WeakMap<Expr, number>();

  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  whole(): Expr {
    if (this.peek().k === 'eof') throw this.error('empty expression');
    const e = this.ternary();
    if (this.peek().k !== 'eof') throw this.error(`unexpected '${this.peek().v}'`);
    return e;
  }

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return (t.k === 'op' || t.k === 'name') && t.v === v;
  }
  private eat(v: string): boolean {
    if (!this.is(v)) return false;
    this.i++;
    return true;
  }
  private expect(v: string): void {
    if (!this.eat(v)) throw this.error(`expected '${v}'`);
  }
  private error(why: string): TemplateError {
    return new TemplateError(`Template Syntax Error: ${why} in "${this.src.trim().slice(0, 60)}"`);
  }
  private node<T extends Omit<Expr, 'src'>>(start: number, n: T): Expr {
    const end = this.toks[this.i - 1]?.end ?? start;
    const e = { ...n, src: this.src.slice(start, end) } as unknown as Expr;
    let height = 1;
    for (const c of children(e)) height = Math.max(height, (this.heights.get(c) ?? 1) + 1);
    if (height > MAX_EXPRESSION_DEPTH) throw this.tooDeep();
    this.heights.set(e, height);
    return e;
  }
  private tooDeep(): TemplateError {
    return this.error(`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep`);
  }
  /** Runs one recursive step of the parser, refusing to go deeper than an expression may nest. */
  private nested(parse: () => Expr): Expr {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) throw this.tooDeep();
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }
  private pos(): number {
    return this.peek().pos;
  }

  private ternary(): Expr {
    return this.nested(() => this.conditional());
  }
  private conditional(): Expr {
    const start = this.pos();
    const then = this.or();
    if (!this.eat('if')) return then;
    const test = this.or();
    this.expect('else');
    return this.node(start, { t: 'cond', test, then, else: this.ternary() });
  }
  private or(): Expr {
    const start = this.pos();
    let left = this.and();
    while (this.eat('or')) left = this.node(start, { t: 'or', left, right: this.and() });
    return left;
  }
  private and(): Expr {
    const start = this.pos();
    let left = this.not();
    while (this.eat('and')) left = this.node(start, { t: 'and', left, right: this.not() });
    return left;
  }
  private not(): Expr {
    const start = this.pos();
    if (this.eat('not')) return this.node(start, { t: 'not', arg: this.nested(() => this.not()) });
    return this.comparison();
  }
  private comparison(): Expr {
    const start = this.pos();
    const operands = [this.sum()];
    const ops: string[] = [];
    for (;;) {
      const t = this.peek();
      let op: string | null = null;
      if (t.k === 'op' && CMP.has(t.v)) op = t.v;
      else if (this.is('in')) op = 'in';
      else if (this.is('not') && this.is('in', 1)) op = 'not in';
      else if (this.is('is')) op = this.is('not', 1) ? 'is not' : 'is';
      if (!op) break;
      this.i += op.includes(' ') ? 2 : 1;
      ops.push(op);
      operands.push(this.sum());
    }
    return ops.length ? this.node(start, { t: 'cmp', ops, operands }) : operands[0]!;
  }
  private sum(): Expr {
    const start = this.pos();
    let left = this.product();
    while (this.is('+') || this.is('-')) {
      const op = this.peek().v;
      this.i++;
      left = this.node(start, { t: 'bin', op, left, right: this.product() });
    }
    return left;
  }
  private product(): Expr {
    const start = this.pos();
    let left = this.unary();
    while (['*', '/', '//', '%'].some((o) => this.is(o))) {
      const op = this.peek().v;
      this.i++;
      left = this.node(start, { t: 'bin', op, left, right: this.unary() });
    }
    return left;
  }
  private unary(): Expr {
    const start = this.pos();
    if (this.eat('-')) return this.node(start, { t: 'neg', arg: this.nested(() => this.unary()) });
    if (this.eat('+')) return this.node(start, { t: 'pos', arg: this.nested(() => this.unary()) });
    return this.postfix();
  }
  private postfix(): Expr {
    const start = this.pos();
    let e = this.atom();
    for (;;) {
      if (this.eat('[')) {
        const index = this.ternary();
        this.expect(']');
        e = this.node(start, { t: 'index', obj: e, index });
      } else if (this.eat('.')) {
        const t = this.peek();
        if (t.k !== 'name') throw this.error('expected a method name after "."');
        this.i++;
        if (!this.is('(')) throw this.error(`attribute access '.${t.v}' is not supported`);
        const { args, kwargs } = this.args();
        if (kwargs.length) throw this.error(`keyword arguments to .${t.v}() are not supported`);
        e = this.node(start, { t: 'method', obj: e, name: t.v, args });
      } else if (this.is('(')) {
        if (e.t !== 'name') throw this.error(`'${e.src}' is not a function`);
        const { args, kwargs } = this.args();
        e = this.node(start, { t: 'call', fn: e.name, args, kwargs });
      } else return e;
    }
  }
  private args(): { args: Expr[]; kwargs: Array<[string, Expr]> } {
    this.expect('(');
    const args: Expr[] = [];
    const kwargs: Array<[string, Expr]> = [];
    while (!this.is(')')) {
      const t = this.peek();
      if (t.k === 'name' && this.is('=', 1)) {
        this.i += 2;
        kwargs.push([t.v, this.ternary()]);
      } else {
        if (kwargs.length) throw this.error('positional argument after keyword argument');
        args.push(this.ternary());
      }
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return { args, kwargs };
  }
  private atom(): Expr {
    const start = this.pos();
    const t = this.peek();
    this.i++;
    if (t.k === 'num' || t.k === 'str') return this.node(start, { t: 'lit', v: t.v });
    if (t.k === 'name') {
      if (t.v === 'True' || t.v === 'False') return this.node(start, { t: 'lit', v: t.v === 'True' });
      if (t.v === 'None') return this.node(start, { t: 'lit', v: null });
      if (FORBIDDEN.has(t.v) || t.v.startsWith('__')) throw this.error(`'${t.v}' is not allowed`);
      if (['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for'].includes(t.v)) throw this.error(`unexpected '${t.v}'`);
      return this.node(start, { t: 'name', name: t.v });
    }
    if (t.k === 'op' && (t.v === '(' || t.v === '[')) {
      const close = t.v === '(' ? ')' : ']';
      const items: Expr[] = [];
      let comma = false;
      while (!this.is(close)) {
        items.push(this.ternary());
        if (!this.eat(',')) break;
        comma = true;
      }
      this.expect(close);
      // (x) is grouping; (x,) and (a, b) are tuples, which behave like lists here.
      if (t.v === '(' && items.length === 1 && !comma) return items[0]!;
      return this.node(start, { t: 'list', items });
    }
    if (t.k === 'op' && t.v === '{') {
      // A dict literal {'error': 'x', 'code': 1}, for custom_error() bodies.
      const entries: Array<[Expr, Expr]> = [];
      while (!this.is('}')) {
        const key = this.ternary();
        this.expect(':');
        entries.push([key, this.ternary()]);
        if (!this.eat(',')) break;
      }
      this.expect('}');
      return this.node(start, { t: 'dict', entries });
    }
    this.i--;
    throw this.error(t.k === 'eof' ? 'unexpected end of expression' : `unexpected '${t.v}'`);
  }
}
