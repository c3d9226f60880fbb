// A project defined with @tinybirdco/sdk, as `tinybird init` writes one: test/local/sdk-flow.test.tsx copies it into a
// temp project (in place of init's lib/tinybird.ts), builds it with the real `tinybird` CLI and reads it back typed.
import { defineDatasource, defineEndpoint, engine, node, p, t } from '@tinybirdco/sdk';

export const pageViews = defineDatasource('page_views', {
  description: 'Page view tracking data',
  schema: {
    timestamp: t.dateTime(),
    session_id: t.string(),
    pathname: t.string(),
    referrer: t.string().nullable(),
  },
  engine: engine.mergeTree({ sortingKey: ['pathname', 'timestamp'] }),
});

export const topPages = defineEndpoint('top_pages', {
  description: 'Get the most visited pages',
  params: {
    start_date: p.dateTime(),
    end_date: p.dateTime(),
    limit: p.int32().optional(10),
  },
  nodes: [
    node({
      name: 'aggregated',
      sql: `
        SELECT pathname, count() AS views
        FROM page_views
        WHERE timestamp >= {{DateTime(start_date)}} AND timestamp <= {{DateTime(end_date)}}
        GROUP BY pathname
        ORDER BY views DESC, pathname
        LIMIT {{Int32(limit, 10)}}
      `,
    }),
  ],
  output: { pathname: t.string(), views: t.uint64() },
});
