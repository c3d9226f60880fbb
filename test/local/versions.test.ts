// The classic CLI's `VERSION <n>`: a data source or pipe is `<name>__v<n>` in the workspace, the bare names a pipe
// reads or writes into stand for the versioned ones, and fixtures named after the datafile feed the versioned data
// source. Pipes that name `<name>__v<n>` themselves read it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteSql, versionedNames } from '../../src/local/project/versions';
import { devProject, type DevProject } from './cli';

const FILES: Record<string, string> = {
  'datasources/visits.datasource': `VERSION 2

SCHEMA >
    \`page\` String \`json:$.page\`,
    \`n\` UInt32 \`json:$.n\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "page"
`,
  'datasources/visits_by_page.datasource': `VERSION 1

SCHEMA >
    \`page\` String,
    \`hits\` UInt64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "page"
`,
  // Reads and writes the bare names.
  'pipes/visits_by_page_mv.pipe': `VERSION 1

NODE totals
SQL >
    SELECT page, toUInt64(n) AS hits FROM visits

TYPE materialized
DATASOURCE visits_by_page
`,
  'endpoints/top_pages.pipe': `VERSION 3

NODE endpoint
SQL >
    SELECT page, sum(hits) AS hits FROM visits_by_page GROUP BY page ORDER BY hits DESC, page
TYPE endpoint
`,
  // Names the versioned data source itself.
  'endpoints/all_visits.pipe': `NODE endpoint
SQL >
    SELECT page, n FROM visits__v2 ORDER BY page
TYPE endpoint
`,
  'fixtures/visits.ndjson': '{"page":"/a","n":1}\n{"page":"/b","n":4}\n{"page":"/a","n":2}\n',
};

let project: DevProject;
beforeAll(async () => {
  project = await devProject(FILES);
}, 60_000);
afterAll(() => project?.close());

describe('VERSION <n>', { timeout: 60_000 }, () => {
  it('serves the pipe as <name>__v<n>, reading and writing the versioned data sources, fixtures loaded', async () => {
    const res = await project.call('/v0/pipes/top_pages__v3.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((res.json as { data: unknown[] }).data).toEqual([
      { page: '/b', hits: 4 },
      { page: '/a', hits: 3 },
    ]);
    expect((await project.call('/v0/pipes/top_pages.json')).status).toBe(404);
    const all = await project.call('/v0/pipes/all_visits.json');
    expect((all.json as { data: unknown[] }).data).toHaveLength(3);
  });

  it('takes appends to <name>__v<n>, and the Query API reads it by either name', async () => {
    const res = await project.call('/v0/events?name=visits__v2&wait=true', {
      method: 'POST',
      body: JSON.stringify({ page: '/c', n: 9 }),
    });
    expect(res.json).toMatchObject({ successful_rows: 1 });
    expect(await project.sql('SELECT sum(hits) AS hits FROM visits_by_page__v1')).toEqual([{ hits: 16 }]);
    expect(await project.sql('SELECT count() AS c FROM visits')).toEqual([{ c: 4 }]);
  });
});

describe('versioned names', () => {
  it('stand for the bare name of the highest version, unless the bare name is a resource too', () => {
    expect(versionedNames(['a__v1', 'a__v3', 'b__v1', 'b', 'c'])).toEqual(new Map([['a', 'a__v3']]));
  });

  it('replace the bare names a query reads as tables, and nothing else', () => {
    const versions = new Map([
      ['visits', 'visits__v2'],
      ['pages', 'pages__v1'],
    ]);
    expect(rewriteSql('SELECT visits_total FROM visits JOIN (SELECT * FROM `pages`) p USING page', versions)).toBe(
      'SELECT visits_total FROM visits__v2 JOIN (SELECT * FROM `pages__v1`) p USING page',
    );
    // Not read as a table here: a column of that name stays.
    expect(rewriteSql('SELECT visits FROM other', versions)).toBe('SELECT visits FROM other');
  });
});
