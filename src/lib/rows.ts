import { TinybirdError } from '../core/errors';

/**
 * Serialises rows up front so a row that can never be sent (BigInt, a cycle) fails loudly at append time, in the caller's
 * stack, instead of poisoning a batch later.
 */
export function serialiseRows(rows: object | readonly object[]): string[] {
  const list: readonly unknown[] = Array.isArray(rows) ? rows : [rows];
  return list.map((row, index) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new TinybirdError('INVALID_ROW', `Row ${index} must be a plain object, got ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}`);
    }
    try {
      return JSON.stringify(row);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TinybirdError('INVALID_ROW', `Row ${index} cannot be serialised to JSON (${reason}); convert BigInt to string or number and remove cycles`, { cause });
    }
  });
}

/** UTF-8 byte length without allocating, for the batch-size bound. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
