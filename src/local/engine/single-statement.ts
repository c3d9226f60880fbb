// chDB runs every statement of a query text, one after the other: `ORDER BY (x); DROP TABLE default.events` in a
// datafile's sorting key would drop another workspace's table. So every text sent to a session must be one statement.
// This reads the text as ClickHouse's lexer does, as far as a `;` is concerned: inside a string ('...'), a quoted
// identifier ("..." or `...`), a heredoc ($$...$$, $tag$...$tag$) or a comment (--, #, /* */), it separates nothing.
// Where the two readings could differ, this one finds a separator ClickHouse would not (a refusal), never the
// reverse: nested /* */ comments end at their first */, and an unterminated quote or comment hides nothing.

/** True when `sql` holds a `;` followed by more than white space and comments: a second statement. */
export function hasSecondStatement(sql: string): boolean {
  let i = 0;
  let ended = false; // a `;` was seen: from then on, anything but white space and comments is a second statement
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') i = lineEnd(sql, i);
    else if (c === '#') i = lineEnd(sql, i);
    else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (/\s/.test(c)) i += 1;
    else if (ended) return true;
    else if (c === ';') {
      ended = true;
      i += 1;
    } else if (c === "'" || c === '"' || c === '`') i = quotedEnd(sql, i, c);
    else if (c === '$') {
      const tag = /^\$[A-Za-z_]\w*\$|^\$\$/.exec(sql.slice(i, i + 256))?.[0];
      if (tag === undefined) i += 1;
      else {
        const close = sql.indexOf(tag, i + tag.length);
        i = close === -1 ? sql.length : close + tag.length;
      }
    } else i += 1;
  }
  return false;
}

function lineEnd(sql: string, from: number): number {
  const newline = sql.indexOf('\n', from);
  return newline === -1 ? sql.length : newline + 1;
}

/** Past the closing quote of the quoted text starting at `from` (backslash escapes, doubled quotes). */
function quotedEnd(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return sql.length;
}

/**
 * The error a text with a second statement gets: ClickHouse's syntax error (code 62), so every caller treats it as a
 * query ClickHouse refused (a 400 on a request, a refused datafile in a build).
 */
export class SecondStatementError extends Error {
  readonly clickhouseCode = 62;
  constructor() {
    super('Syntax error: Multi-statements are not allowed (a datafile or query holds a `;` followed by more SQL)');
  }
}
