// Tokens of the template expression language (a small, safe subset of Python's).
import { TemplateError } from './errors';

/** pos/end: where the token starts and ends in the expression text. */
export type Token = { pos: number; end: number } & (
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'name'; v: string }
  | { k: 'op'; v: string }
  | { k: 'eof'; v: '' }
);

const OPS = [
  '==',
  '!=',
  '<=',
  '>=',
  '//',
  '**',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '.',
  ':',
  '{',
  '}',
];
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
};

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const bad = (why: string) => new TemplateError(`Template Syntax Error: ${why} in "${src.trim().slice(0, 60)}"`);
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && /\d/.test(c + (src[i + 1] ?? ''))) {
      const v = Number(num[0].replace(/_/g, ''));
      if (Number.isNaN(v)) throw bad(`bad number ${num[0]}`);
      out.push({ k: 'num', v, pos: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ k: 'name', v: name[0], pos: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let v = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] !== '\\') {
          v += src[j];
          continue;
        }
        const e = src[++j] ?? '';
        const hex = e === 'x' ? src.slice(j + 1, j + 3) : e === 'u' ? src.slice(j + 1, j + 5) : '';
        if (hex && /^[0-9a-fA-F]+$/.test(hex) && hex.length === (e === 'x' ? 2 : 4)) {
          v += String.fromCharCode(parseInt(hex, 16));
          j += hex.length;
        } else v += ESCAPES[e] ?? `\\${e}`; // Python keeps unknown escapes as written
      }
      if (j >= src.length) throw bad('unterminated string');
      out.push({ k: 'str', v, pos: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw bad(`unexpected character '${c}'`);
    out.push({ k: 'op', v: op, pos: i, end: i + op.length });
    i += op.length;
  }
  out.push({ k: 'eof', v: '', pos: src.length, end: src.length });
  return out;
}
