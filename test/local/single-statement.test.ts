// Every text the local server sends to chDB is one statement: chDB would run a second one after the first.
import { describe, expect, it } from 'vitest';
import { hasSecondStatement } from '../../src/local/engine/single-statement';

describe('hasSecondStatement', () => {
  it.each([
    'SELECT 1',
    'SELECT 1;',
    'SELECT 1; -- done',
    'SELECT 1; /* done */ \n',
    "SELECT ';' AS s, 'it''s; fine', 'a\\'; b'",
    'SELECT 1 AS `a;b`, 2 AS "c;d"',
    'SELECT 1 -- a comment; with a semicolon\nFROM t',
    'SELECT 1 # a comment; with a semicolon\n',
    'SELECT 1 /* a; b */ FROM t',
    'SELECT $$ ; $$, $tag$ it; $ $tag$',
  ])('one statement: %s', (sql) => expect(hasSecondStatement(sql)).toBe(false));

  it.each([
    'CREATE TABLE t (x Int32) ENGINE = MergeTree ORDER BY (x); DROP TABLE default.events; --)',
    'SELECT 1; SELECT 2',
    "SELECT 1 -- it's\n; DROP TABLE t",
    "SELECT 1 # it's\n; DROP TABLE t",
    "SELECT 1 /* it's */; DROP TABLE t",
    "SELECT $$ it's $$; DROP TABLE t",
    'SELECT 1 /* /* */ ; DROP TABLE t */',
    'SELECT `x``; y`; DROP TABLE t',
  ])('a second statement: %s', (sql) => expect(hasSecondStatement(sql)).toBe(true));
});
