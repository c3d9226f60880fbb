import { TinybirdError } from '../errors';
import { reason } from './http';

/**
 * Serialises rows up front so a row that can never be sent (BigInt, a cycle, not an object) fails loudly at append time,
 * in the caller's stack, instead of poisoning a batch later.
 */
export function serialiseRows(rows: object | readonly object[]): string[] {
  return (Array.isArray(rows) ? rows : [rows]).map((row: unknown, index) => {
    let line: string | undefined;
    try {
      line = JSON.stringify(row);
    } catch (cause) {
      throw new TinybirdError('INVALID_ROW', `Row ${index}: ${reason(cause)}`, { cause });
    }
    // One JSON object per NDJSON line: null, numbers, arrays and Dates (which serialise as strings) are refused.
    if (!line?.startsWith('{')) throw new TinybirdError('INVALID_ROW', `Row ${index} is not an object`);
    return line;
  });
}

/** UTF-8 byte length without encoding, for the batch-size bound. JSON.stringify never leaves lone surrogates. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // 2 bytes up to U+07FF, 3 up to U+FFFF (1 UTF-16 unit each), 4 beyond (2 units).
    if (code > 0x7f) bytes += code > 0x7ff ? 2 : 1;
  }
  return bytes;
}
