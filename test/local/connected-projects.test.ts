// What Tinybird projects fed by connectors and written for Tinybird's ClickHouse rely on: the columns a Kafka,
// DynamoDB or BigQuery connector adds, materialized targets no .datasource declares, Join-engine data sources read by
// joinGet, a sampling key over a LowCardinality column, joins Tinybird's ClickHouse accepts (a table function without an
// alias, USING by a SELECT alias, JSON paths as keys) and a datafile copied into two folders. Each one used to refuse a
// datafile or answer an error. One server in its own process (chDB: one data directory each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const FILES: Record<string, string> = {
  // Kafka: the partition key reads __timestamp, which only the connector adds.
  'datasources/prices.datasource': `SCHEMA >
    \`symbol\` String \`json:$.symbol\`,
    \`price\` Float32 \`json:$.price\`

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(__timestamp)"
ENGINE_SORTING_KEY "symbol"

KAFKA_CONNECTION_NAME 'cluster'
KAFKA_TOPIC 'prices'
KAFKA_STORE_HEADERS 'True'
`,
  // DynamoDB: ENGINE_VER and ENGINE_IS_DELETED name the connector's columns.
  'datasources/flights.datasource': `SCHEMA >
    \`PK\` String \`json:$.Item.PK\`,
    \`cost\` Int32 \`json:$.Item.cost\`

ENGINE "ReplacingMergeTree"
ENGINE_SORTING_KEY "PK"
ENGINE_VER "_timestamp"
ENGINE_IS_DELETED "_is_deleted"

IMPORT_SERVICE 'dynamodb'
IMPORT_TABLE_ARN 'arn:aws:dynamodb:eu-central-1:000000000000:table/flights'
`,
  // A BigQuery import: the partition and sorting keys read insertion_date, which the import adds.
  'datasources/game_stats.datasource': `SCHEMA >
    \`player\` Nullable(String),
    \`hits\` Nullable(Int64)

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYear(insertion_date)"
ENGINE_SORTING_KEY "insertion_date"

IMPORT_SERVICE 'bigquery'
IMPORT_SCHEDULE '0 0 */1 * *'
IMPORT_STRATEGY 'replace'
IMPORT_EXTERNAL_DATASOURCE 'project.baseball.game_stats'
`,
  'datasources/plays.datasource': `SCHEMA >
    \`song\` LowCardinality(String) \`json:$.song\`,
    \`at\` DateTime \`json:$.at\`,
    \`meta\` JSON \`json:$.meta\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "at, cityHash64(song)"
ENGINE_SAMPLING_KEY "cityHash64(song)"
`,
  'datasources/songs.datasource': `SCHEMA >
    \`song\` String \`json:$.song\`,
    \`title\` String \`json:$.title\`

ENGINE "Join"
ENGINE_JOIN_STRICTNESS "ANY"
ENGINE_JOIN_TYPE "LEFT"
ENGINE_KEY_COLUMNS "song"
`,
  // A column named like the quarantine's own, and an AggregatingMergeTree dimension outside the sorting key.
  'datasources/imports.datasource': `SCHEMA >
    \`id\` String \`json:$.id\`,
    \`insertion_date\` DateTime \`json:$.insertion_date\`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "id"
`,
  'datasources/per_minute.datasource': `SCHEMA >
    \`minute\` DateTime,
    \`share\` Float64,
    \`n\` AggregateFunction(count)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "minute"
`,
  // Data sources shared from other workspaces, read as <workspace>.<name>.
  'vendor/marketing/datasources/campaigns.datasource': `SCHEMA >
    \`campaign\` String \`json:$.campaign\`,
    \`budget\` Int32 \`json:$.budget\`
`,
  'datasources/Sales.orders.datasource': `SCHEMA >
    \`campaign\` String \`json:$.campaign\`,
    \`amount\` Int32 \`json:$.amount\`
`,
  'endpoints/campaign_returns.pipe': `NODE joined
SQL >
    SELECT c.campaign AS campaign, c.budget AS budget, sum(o.amount) AS sales
    FROM marketing.campaigns AS c
    LEFT JOIN Sales.orders AS o ON o.campaign = c.campaign
    GROUP BY campaign, budget
    ORDER BY campaign

TYPE endpoint
`,
  // The target, plays_per_song, has no .datasource file: made from the node (aggregate states: AggregatingMergeTree).
  'pipes/plays_per_song_mv.pipe': `NODE counted
SQL >
    SELECT song, countState() AS plays FROM plays GROUP BY song

TYPE materialized
DATASOURCE plays_per_song
`,
  'endpoints/top_songs.pipe': `NODE top
SQL >
    SELECT song, joinGet('songs', 'title', toString(song)) AS title, countMerge(plays) AS plays
    FROM plays_per_song GROUP BY song ORDER BY plays DESC, song

TYPE endpoint
`,
  // The same pipe in a second folder, spaced differently: loaded once.
  'pipes/top_songs.pipe': `NODE top
SQL >
        SELECT song, joinGet('songs', 'title', toString(song)) AS title, countMerge(plays) AS plays
        FROM plays_per_song GROUP BY song ORDER BY plays DESC, song

TYPE endpoint
`,
  'endpoints/minutes.pipe': `NODE series
SQL >
    WITH start AS (SELECT toDateTime('2026-01-01 00:00:00') AS t0)
    SELECT addMinutes(t0, number) AS minute
    FROM numbers(3)
    CROSS JOIN start
    ORDER BY minute

TYPE endpoint
`,
  'endpoints/by_alias.pipe': `NODE joined
SQL >
    SELECT toDate(at) AS day, song FROM plays
    FULL OUTER JOIN (SELECT toDate('2026-01-02') AS day) AS d USING day
    ORDER BY day, song

TYPE endpoint
`,
  // A LEFT JOIN with no ORDER BY: Tinybird answers in the left table's order.
  'endpoints/daily_series.pipe': `NODE days
SQL >
    SELECT arrayJoin([toDate('2025-12-31'), toDate('2026-01-01'), toDate('2026-01-02')]) AS day

NODE per_day
SQL >
    SELECT toDate('2026-01-10') - number AS day, number AS plays FROM numbers(100)

NODE series
SQL >
    SELECT d.day AS day, p.plays AS plays FROM days AS d LEFT JOIN per_day AS p USING day

TYPE endpoint
`,
  // tb_secret() reads the project's .env.local, as tb dev does.
  '.env.local': 'BUCKET_REGION=eu-west-1\n',
  'endpoints/region.pipe': `NODE region
SQL >
    %
    SELECT {{ tb_secret('BUCKET_REGION') }} AS region

TYPE endpoint
`,
  'endpoints/by_json_path.pipe': `NODE joined
SQL >
    SELECT p.song AS song, s.title AS title
    FROM plays AS p
    INNER JOIN (SELECT 'u1' AS user_id, 'first' AS title) AS s ON p.meta.user_id = s.user_id

TYPE endpoint
`,
};

let project: DevProject;

beforeAll(async () => {
  project = await devProject(FILES);
  const send = async (name: string, rows: object[]) => {
    const res = await project.call(`/v0/events?name=${name}&wait=true`, {
      method: 'POST',
      body: rows.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
  };
  await send('songs', [
    { song: 'a', title: 'Alpha' },
    { song: 'b', title: 'Beta' },
  ]);
  await send('plays', [
    { song: 'a', at: '2026-01-01 10:00:00', meta: { user_id: 'u1' } },
    { song: 'b', at: '2026-01-01 11:00:00', meta: { user_id: 'u2' } },
    { song: 'a', at: '2026-01-01 12:00:00', meta: { user_id: 'u3' } },
  ]);
  await send('prices', [{ symbol: 'X', price: 1.5 }]);
  await send('marketing.campaigns', [
    { campaign: 'spring', budget: 100 },
    { campaign: 'summer', budget: 50 },
  ]);
  await send('Sales.orders', [
    { campaign: 'spring', amount: 30 },
    { campaign: 'spring', amount: 12 },
  ]);
  await send('flights', [{ Item: { PK: 'f1', cost: 10 } }]);
  await send('game_stats', [{ player: 'p1', hits: 3 }]);
}, 60_000);

afterAll(() => project?.close());

const sql = (q: string) => project.sql(q);

describe('projects fed by connectors', () => {
  it('loads every datafile', async () => {
    const list = await project.call('/v0/pipes');
    expect(list.json.errors).toEqual([]);
    expect(project.dev.output()).toMatch(/top_songs\.pipe: the same datafile as .*top_songs\.pipe \(up to spacing\)/);
  });

  it("adds a Kafka connector's columns, the time of arrival in __timestamp", async () => {
    const [row] = await sql(
      'SELECT symbol, __topic, __partition, __offset, __key, __value, __headers, __timestamp > now() - 600 AS recent FROM prices',
    );
    expect(row).toEqual({
      symbol: 'X',
      __topic: '',
      __partition: 0,
      __offset: 0,
      __key: '',
      __value: '',
      __headers: {},
      recent: 1,
    });
  });

  it("adds a DynamoDB connector's columns, so ENGINE_VER and ENGINE_IS_DELETED can name them", async () => {
    const [row] = await sql(
      'SELECT PK, cost, _is_deleted, _old_record, _timestamp > now() - 600 AS recent FROM flights',
    );
    expect(row).toEqual({ PK: 'f1', cost: 10, _is_deleted: 0, _old_record: null, recent: 1 });
  });

  it('adds the insertion_date a BigQuery or Snowflake import keys its rows by', async () => {
    const [row] = await sql('SELECT player, hits, insertion_date > now() - 600 AS recent FROM game_stats');
    expect(row).toEqual({ player: 'p1', hits: 3, recent: 1 });
  });
});

describe("ClickHouse as Tinybird's accepts it", () => {
  it('keeps a column named insertion_date, and quarantines its rows', async () => {
    const res = await project.call('/v0/events?name=imports&wait=true', {
      method: 'POST',
      body: [
        { id: 'ok', insertion_date: '2026-01-01 00:00:00' },
        { id: 'bad', insertion_date: 'not a date' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    });
    expect(res.json).toMatchObject({ successful_rows: 1, quarantined_rows: 1 });
    expect(await sql('SELECT id, insertion_date FROM imports')).toEqual([
      { id: 'ok', insertion_date: '2026-01-01 00:00:00' },
    ]);
    expect(await sql('SELECT c__error_column FROM imports_quarantine')).toEqual([
      { c__error_column: ['insertion_date'] },
    ]);
  });

  it('creates an AggregatingMergeTree with a dimension outside its sorting key', async () => {
    const res = await project.call('/v0/datasources/per_minute');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
  });

  it('creates an undeclared materialized target from the node, keeps it filled, and serves joinGet on a Join table', async () => {
    const target = await project.call('/v0/datasources/plays_per_song');
    expect(target.json.engine).toMatchObject({ engine: 'AggregatingMergeTree', sorting_key: '`song`' });
    expect(target.json.columns.map((c: { name: string; type: string }) => `${c.name} ${c.type}`)).toEqual([
      'song LowCardinality(String)',
      'plays AggregateFunction(count)',
    ]);
    const res = await project.call('/v0/pipes/top_songs.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual([
      { song: 'a', title: 'Alpha', plays: 2 },
      { song: 'b', title: 'Beta', plays: 1 },
    ]);
  });

  it('joins a table function without an alias', async () => {
    const res = await project.call('/v0/pipes/minutes.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.map((r: { minute: string }) => r.minute)).toEqual([
      '2026-01-01 00:00:00',
      '2026-01-01 00:01:00',
      '2026-01-01 00:02:00',
    ]);
  });

  it("resolves USING by the SELECT's alias", async () => {
    const res = await project.call('/v0/pipes/by_alias.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // The right side's unmatched row takes the left side's defaults: a join without join_use_nulls.
    expect(res.json.data).toEqual([
      { day: '1970-01-01', song: '' },
      { day: '2026-01-01', song: 'a' },
      { day: '2026-01-01', song: 'a' },
      { day: '2026-01-01', song: 'b' },
    ]);
  });

  it("answers a LEFT JOIN without ORDER BY in the left table's order", async () => {
    const res = await project.call('/v0/pipes/daily_series.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual([
      { day: '2025-12-31', plays: 10 },
      { day: '2026-01-01', plays: 9 },
      { day: '2026-01-02', plays: 8 },
    ]);
  });

  it('joins on a JSON column path', async () => {
    const res = await project.call('/v0/pipes/by_json_path.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual([{ song: 'a', title: 'first' }]);
  });
});

describe('secrets', () => {
  it("tb_secret() reads the project's .env.local", async () => {
    const res = await project.call('/v0/pipes/region.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual([{ region: 'eu-west-1' }]);
  });

  it('a templated Query API query, written by the caller, reads no secret', async () => {
    const q = encodeURIComponent("%\nSELECT {{ tb_secret('BUCKET_REGION') }} AS region");
    const res = await project.call(`/v0/sql?q=${q}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain("Cannot access secret 'BUCKET_REGION'");
    expect(JSON.stringify(res.json)).not.toContain('eu-west-1');
  });
});

describe('data sources shared from other workspaces', () => {
  const token = (scopes: object[]) => project.jwt('reader', scopes);

  it('serves <workspace>.<name> from vendor/<workspace>/datasources and from a <workspace>.<name> file, kept on restart', async () => {
    const expected = [
      { campaign: 'spring', budget: 100, sales: 42 },
      { campaign: 'summer', budget: 50, sales: 0 },
    ];
    expect((await project.call('/v0/pipes/campaign_returns.json')).json.data).toEqual(expected);
    await project.restart();
    expect((await project.call('/v0/pipes/campaign_returns.json')).json.data).toEqual(expected);
  }, 60_000);

  it('gives the Query API a shared data source by its scope, and refuses a filter it could not apply', async () => {
    const q = `/v0/sql?q=${encodeURIComponent('SELECT sum(budget) AS b FROM marketing.campaigns')}`;
    const scoped = await token([{ type: 'DATASOURCES:READ', resource: 'marketing.campaigns' }]);
    expect((await project.call(q, {}, scoped)).json.data).toEqual([{ b: 150 }]);
    const other = await token([{ type: 'DATASOURCES:READ', resource: 'Sales.orders' }]);
    expect((await project.call(q, {}, other)).status).toBe(403);
    const filtered = await token([
      { type: 'DATASOURCES:READ', resource: 'marketing.campaigns', filter: "campaign = 'summer'" },
    ]);
    const refused = await project.call(q, {}, filtered);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatch(/filter of marketing\.campaigns/);
  });
});
