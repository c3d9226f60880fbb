// The row useAppend sends to a data source, from its schema and json paths: `json:$.user.id` reads a nested key, so
// the event has `user: { id }`. Nullable columns and those with a DEFAULT may be left out.
import type { SourceColumn } from './adapter';
import { appendType, isNullableType, propertyKey } from './clickhouse-type';

interface Field {
  ts?: string;
  required: boolean;
  notes: string[];
  children: Map<string, Field>;
}

const newField = (): Field => ({ required: false, notes: [], children: new Map() });

function print(field: Field, indent: string): string {
  if (field.ts !== undefined && field.children.size === 0) return field.ts;
  const inner = `${indent}  `;
  const lines = [...field.children].map(([key, child]) => {
    const notes = child.notes.map((n) => `${inner}// ${n}\n`).join('');
    return `${notes}${inner}${propertyKey(key)}${child.required ? '' : '?'}: ${print(child, inner)};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * The TypeScript object type of one appended row, printed at `indent`.
 *
 * @example
 * ```ts
 * appendRow([{ name: 'uid', type: 'String', path: ['user', 'id'], hasDefault: false }], '');
 * // '{\n  user: {\n    id: string;\n  };\n}'
 * ```
 */
export function appendRow(columns: readonly SourceColumn[], indent: string): { ts: string; notes: string[] } {
  const root = newField();
  const notes: string[] = [];
  for (const column of columns) {
    const mapped = appendType(column.type);
    const optional = column.hasDefault || isNullableType(column.type);
    // `$` (the whole row into one JSON column): any object is a row.
    if (column.path.length === 0)
      return { ts: 'Record<string, unknown>', notes: [`${column.name} reads the whole row`] };
    const arrayAt = column.path.indexOf(null);
    const keys = (arrayAt === -1 ? column.path : column.path.slice(0, arrayAt)) as string[];
    if (keys.length === 0) continue;
    let field = root;
    for (const [i, key] of keys.entries()) {
      let child = field.children.get(key);
      if (!child) field.children.set(key, (child = newField()));
      if (!optional) child.required = true;
      if (i === keys.length - 1) {
        if (arrayAt !== -1) {
          // `$.items[0].id`: the array's shape is not what one column says; let any value through.
          child.ts ??= 'unknown';
          child.notes.push(`column ${column.name} reads ${column.path.map((k) => k ?? '[]').join('.')}`);
        } else if (child.ts === undefined) {
          child.ts = mapped.ts;
          child.notes.push(...mapped.notes);
        } else if (child.ts !== mapped.ts) {
          child.ts = 'unknown';
          child.notes.push(`read by several columns of different types (${column.name}: ${column.type})`);
        }
      }
      field = child;
    }
  }
  return { ts: print(root, indent), notes };
}
