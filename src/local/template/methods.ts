// Methods templates call on values: on strings and lists (x.lower() == 'asc', ','.join(xs)) and on dicts (x.get('k')).
import { TemplateError } from './errors';
import { checkList, checkString, MAX_LIST } from './limits';
import { fromParam, isRecord, Opaque, type Value } from './values';

/** Methods on strings and lists that templates commonly use (x.lower() == 'asc'). */
export function callMethod(obj: Value, name: string, args: Value[]): Value {
  if (obj instanceof Opaque && isRecord(obj.value)) return dictMethod(obj.value, name, args);
  if (obj instanceof Opaque || obj === null || !(typeof obj === 'string' || Array.isArray(obj))) {
    throw new TemplateError(`Template Syntax Error: .${name}() is not available on this value`);
  }
  const s = typeof obj === 'string' ? obj : null;
  const a0 = args[0];
  const str0 = typeof a0 === 'string' ? a0 : undefined;
  if (s !== null) {
    switch (name) {
      case 'lower':
        return s.toLowerCase();
      case 'upper':
        return s.toUpperCase();
      case 'strip':
        return s.trim();
      case 'startswith':
        return str0 !== undefined && s.startsWith(str0);
      case 'endswith':
        return str0 !== undefined && s.endsWith(str0);
      case 'split': {
        if (str0 === '') throw new TemplateError('Template Syntax Error: empty separator');
        // At most one item past the cap is split off: enough to refuse, never a list as long as the string.
        const parts =
          str0 === undefined
            ? s
                .trim()
                .split(/\s+/, MAX_LIST + 1)
                .filter(Boolean)
            : s.split(str0, MAX_LIST + 1);
        checkList(parts.length);
        return parts;
      }
      case 'replace':
        if (str0 !== undefined && typeof args[1] === 'string') {
          checkString(s.length + occurrences(s, str0) * (args[1].length - str0.length));
          return s.split(str0).join(args[1]);
        }
        break;
      case 'isdigit':
        return /^\d+$/.test(s);
      case 'join': // ','.join(items): items that are strings, as in Python
        if (Array.isArray(a0) && a0.every((x) => typeof x === 'string')) {
          checkString(a0.reduce((n, x) => n + (x as string).length + s.length, 0));
          return a0.join(s);
        }
        break;
      default:
        break;
    }
  }
  throw new TemplateError(`Template Syntax Error: .${name}() is not supported`);
}

/** How many times JavaScript's split() finds `part` in `s` (between every character when it is empty). */
function occurrences(s: string, part: string): number {
  if (part === '') return Math.max(0, s.length - 1);
  let n = 0;
  for (let at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length)) n++;
  return n;
}

/** Methods on dicts (from JSON() or a JSON body): x.get('key', default), keys(), values(), items(). */
function dictMethod(dict: Record<string, unknown>, name: string, args: Value[]): Value {
  const own = (k: string) => Object.prototype.hasOwnProperty.call(dict, k);
  const keys = Object.keys(dict);
  switch (name) {
    case 'get': {
      const key = args[0];
      return typeof key === 'string' && own(key) ? fromParam(dict[key]) : (args[1] ?? null);
    }
    case 'keys':
      return keys;
    case 'values':
      return keys.map((k) => fromParam(dict[k]));
    case 'items':
      return keys.map((k) => [k, fromParam(dict[k])]);
    default:
      throw new TemplateError(`Template Syntax Error: .${name}() is not supported on a dict`);
  }
}
