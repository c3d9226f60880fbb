import { describe, expect, it } from 'vitest';
import { checkEngine } from '../../src/local/project/reach';

describe('checkEngine', () => {
  it.each([
    'MergeTree',
    'ReplacingMergeTree(version)',
    ' AggregatingMergeTree',
    '`MergeTree`',
    '"Null"',
    '“MergeTree”',
  ])('accepts one of Tinybird’s engines, bare or quoted as ClickHouse quotes a name: %s', (engine) => {
    expect(() => checkEngine(engine)).not.toThrow();
  });

  it.each(["Merge(default, '.*')", 'File(TSV)', '“File”(TSV)', "`URL`('http://127.0.0.1')", 'MergeTreeX', ''])(
    'refuses any other engine, quoted or not: %s',
    (engine) => {
      expect(() => checkEngine(engine)).toThrow(/is not supported/);
    },
  );
});
