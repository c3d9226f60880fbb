// Tinybird's service data sources on the local server: pipes that read tinybird.* and organization.* answer (projects
// ship ingestion and latency endpoints over them), the server logs its own endpoint calls, failures and appends there
// with no token in them, and only the admin token reads them through the Query API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staleServiceTablesSql } from '../../src/local/engine/service-datasources';
import { eventually } from '../support/eventually';
import { devProject, type DevProject } from './cli';

const FILES: Record<string, string> = {
  'datasources/clicks.datasource': `SCHEMA >
    \`user\` String \`json:$.user\`,
    \`n\` Int32 \`json:$.n\`
`,
  'endpoints/clicks_by_user.pipe': `NODE out
SQL >
    %
    SELECT user, sum(n) AS total FROM clicks WHERE n >= {{ Int32(min_n, 0) }} GROUP BY user ORDER BY user
TYPE endpoint
`,
  'endpoints/ingestion_log.pipe': `NODE out
SQL >
    SELECT event_type, datasource_name, result, rows, rows_quarantine
    FROM tinybird.datasources_ops_log
    WHERE datasource_name = 'clicks'
    ORDER BY timestamp
TYPE endpoint
`,
  // Copy-job monitoring as projects write it: Tinybird's jobs_log has started_at and a JSON text job_metadata.
  'endpoints/copy_jobs.pipe': `NODE out
SQL >
    SELECT JSONExtractString(job_metadata, 'pipe_name') AS pipe_name, status, started_at
    FROM tinybird.jobs_log
    WHERE job_type = 'copy' AND started_at > toStartOfDay(now()) AND coalesce(error, '') = ''
    ORDER BY created_at DESC
TYPE endpoint
`,
  'endpoints/org_jobs.pipe': `NODE out
SQL >
    SELECT workspace_id, job_type, count() AS jobs FROM organization.jobs_log GROUP BY workspace_id, job_type
TYPE endpoint
`,
  'endpoints/org_storage.pipe': `NODE out
SQL >
    SELECT workspace_id, sum(bytes) AS bytes FROM organization.datasources_storage GROUP BY workspace_id
TYPE endpoint
`,
};

let project: DevProject;
let reader: string;

beforeAll(async () => {
  project = await devProject(FILES);
  const append = await project.call('/v0/events?name=clicks&wait=true', {
    method: 'POST',
    body: ['{"user":"ann","n":2}', '{"user":"bob","n":3}', '{"user":"bob","n":"three"}'].join('\n'),
  });
  expect(append.json).toMatchObject({ successful_rows: 2, quarantined_rows: 1 });
  reader = await project.jwt('dashboard reader', [{ type: 'PIPES:READ', resource: 'clicks_by_user' }]);
}, 60_000);

afterAll(() => project?.close());

const sql = (q: string) => project.sql(q);

describe('service data sources', () => {
  it('logs each append in datasources_ops_log, which a pipe reads', async () => {
    await eventually(async () => {
      const res = await project.call('/v0/pipes/ingestion_log.json');
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.data).toEqual([
        { event_type: 'append-hfi', datasource_name: 'clicks', result: 'ok', rows: 2, rows_quarantine: 1 },
      ]);
    });
  });

  it('serves the organization-level tables (empty here: one workspace, no organization)', async () => {
    const res = await project.call('/v0/pipes/org_storage.json');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual([]);
  });

  it("serves jobs_log with Tinybird's columns, here and per organization", async () => {
    for (const pipe of ['copy_jobs', 'org_jobs']) {
      const res = await project.call(`/v0/pipes/${pipe}.json`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.data).toEqual([]);
    }
  });

  it('logs endpoint calls in pipe_stats_rt with the token name, never the token', async () => {
    const ok = await project.call(`/v0/pipes/clicks_by_user.json?min_n=1&token=${reader}`, {}, 'not used');
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    await eventually(async () => {
      const rows = await sql(
        "SELECT url, token_name, status_code, error, parameters FROM tinybird.pipe_stats_rt WHERE pipe_name = 'clicks_by_user'",
      );
      expect(rows).toEqual([
        {
          url: '/v0/pipes/clicks_by_user.json?min_n=1',
          token_name: 'dashboard reader',
          status_code: 200,
          error: 0,
          parameters: { min_n: '1' },
        },
      ]);
    });
    const everything = JSON.stringify(await sql('SELECT * FROM tinybird.pipe_stats_rt'));
    expect(everything).not.toContain(reader);
    expect(everything).not.toContain(project.dev.adminToken);
  });

  it('logs a failed call in endpoint_errors with its status and message', async () => {
    const bad = await project.call('/v0/pipes/clicks_by_user.json?min_n=lots');
    expect(bad.status).toBe(400);
    await eventually(async () => {
      const rows = await sql(
        "SELECT status_code, error FROM tinybird.endpoint_errors WHERE pipe_name = 'clicks_by_user'",
      );
      expect(rows).toEqual([{ status_code: 400, error: bad.json.error }]);
    });
  });

  it('lets only the admin token read them through the Query API', async () => {
    const res = await project.call(
      `/v0/sql?q=${encodeURIComponent('SELECT count() FROM tinybird.pipe_stats_rt')}`,
      {},
      reader,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('service data sources made by an older version', () => {
  it('are dropped when their columns differ, so they are made again with the current ones', () => {
    const existing = new Map([
      ['tinybird.jobs_log', ['job_id', 'job_type', 'status', 'created_at', 'job_started_at', 'job_metadata']],
      ['tinybird.endpoint_errors', ['start_datetime', 'request_id', 'pipe_id', 'pipe_name', 'params', 'url']],
    ]);
    expect(staleServiceTablesSql(existing)).toEqual([
      'DROP TABLE IF EXISTS tinybird.endpoint_errors',
      'DROP TABLE IF EXISTS tinybird.jobs_log',
    ]);
  });

  it('are kept when they have the current columns', () => {
    const current = new Map([
      [
        'tinybird.datasources_storage',
        ['timestamp', 'datasource_id', 'datasource_name', 'bytes', 'rows', 'bytes_quarantine', 'rows_quarantine'],
      ],
    ]);
    expect(staleServiceTablesSql(current)).toEqual([]);
  });
});
