// A workspace built over /v1 by its own admin token writes its datafiles' SQL, which runs without the Query API's
// guard: it must still read its own data sources only. Not the default workspace's rows, not the server's databases,
// not a file, not a URL (the server's own /tokens hands out the user token), through no node, table engine, column
// default or template branch. The host is out of reach of every workspace, the default one too. The server runs in
// its own process (chDB allows one data directory per process).
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProject, type DevProject } from './cli';

const SEED = 'SCHEMA >\n    `text` String `json:$.text`\n\nENGINE "MergeTree"\n';
/** A Join data source of the default workspace, which joinGet() reads by name. */
const LOOKUP =
  'SCHEMA >\n    `id` Int32 `json:$.id`,\n    `text` String `json:$.text`\n\nENGINE "Join"\nENGINE_JOIN_STRICTNESS "ANY"\nENGINE_JOIN_TYPE "LEFT"\nENGINE_KEY_COLUMNS "id"\n';
const endpoint = (sql: string) => `NODE endpoint\nSQL >\n    ${sql}\nTYPE endpoint\n`;

let project: DevProject;
let user: string;
let token: string;
let workspaceId: string;
beforeAll(async () => {
  project = await devProject({ 'seed.datasource': SEED, 'lookup.datasource': LOOKUP });
  user = await project.userToken();
  ({ token, id: workspaceId } = await project.createWorkspace('feat_reach'));
  const appended = await project.call(
    '/v0/events?name=seed&wait=true',
    { method: 'POST', body: JSON.stringify({ text: 'secret of the default workspace' }) },
    user,
  );
  expect(appended.status).toBe(200);
  const looked = await project.call(
    '/v0/events?name=lookup&wait=true',
    { method: 'POST', body: JSON.stringify({ id: 1, text: 'secret of the default workspace' }) },
    user,
  );
  expect(looked.status).toBe(200);
}, 60_000);
afterAll(() => project?.close());

const build = (files: Record<string, string>, as = token) => project.build(files, as);
/** Nothing of another workspace, of a file or of the server's tokens in an answer. */
const leaks = (text: string) => /secret of the default workspace|root:|user_token|_ws_|INFORMATION_SCHEMA/.test(text);

describe('a workspace built over /v1 reads its own data sources only', { timeout: 60_000 }, () => {
  it.each([
    ["the default workspace's table", endpoint('SELECT text FROM default.seed')],
    ['the same, quoted and commented', endpoint('SELECT text FROM `default` /* x */ . "seed"')],
    ['a system table', endpoint('SELECT name, database FROM system.tables')],
    ['another database by a table function', endpoint("SELECT * FROM merge('default', '^seed$')")],
    ['a file', endpoint("SELECT * FROM file('/etc/passwd', 'LineAsString')")],
    ['a file, its function name quoted', endpoint("SELECT * FROM `FILE`('/etc/passwd', 'LineAsString')")],
    ["the server's /tokens", endpoint(`SELECT * FROM url('${'http://127.0.0.1'}:1/tokens', 'LineAsString')`)],
    ['a scalar subquery', endpoint('SELECT (SELECT groupArray(text) FROM default.seed) AS t')],
    [
      'a Join table by a computed name',
      endpoint("SELECT joinGet(concat('default', '.lookup'), 'text', toInt32(1)) AS t"),
    ],
    ['a copy node', `NODE c\nSQL >\n    SELECT text FROM default.seed\nTYPE copy\nTARGET_DATASOURCE own\n`],
    ['a materialized node', `NODE m\nSQL >\n    SELECT text FROM default.seed\nTYPE materialized\nDATASOURCE copied\n`],
  ])('an endpoint or view reading %s refuses the build', async (_, pipe) => {
    const res = await build({ 'own.datasource': SEED, 'steal.pipe': pipe });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(leaks(JSON.stringify(res.json))).toBe(false);
    const read = await project.call('/v0/pipes/steal.json', {}, token);
    expect(read.status).not.toBe(200);
    expect(leaks(JSON.stringify(read.json))).toBe(false);
  });

  it.each([
    [
      'a Merge table over the default workspace',
      'SCHEMA >\n    `text` String\n\nENGINE "Merge(default, \'^seed$\')"\n',
    ],
    ['a File table', 'SCHEMA >\n    `line` String\n\nENGINE "File(LineAsString, \'/etc/passwd\')"\n'],
    [
      'a Buffer into the default workspace',
      'SCHEMA >\n    `text` String\n\nENGINE "Buffer(default, seed, 1, 1, 1, 1, 1, 1, 1)"\n',
    ],
    [
      'a column default reading a file',
      'SCHEMA >\n    `line` String DEFAULT file(\'/etc/passwd\')\n\nENGINE "MergeTree"\n',
    ],
    [
      'a disk of its own',
      'SCHEMA >\n    `text` String\n\nENGINE "MergeTree"\nENGINE_SETTINGS "disk = disk(type = local, path = \'/tmp/\')"\n',
    ],
  ])('a data source made of %s refuses the build', async (_, datasource) => {
    const res = await build({ 'steal.datasource': datasource });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    const read = await project.call(`/v0/sql?q=${encodeURIComponent('SELECT * FROM steal')}`, {}, token);
    expect(read.status).not.toBe(200);
    expect(leaks(JSON.stringify(read.json))).toBe(false);
  });

  it('refuses a template branch that only a request parameter reaches, at that request', async () => {
    const sql = '%\n    {% if defined(x) %} SELECT text FROM default.seed {% else %} SELECT text FROM own {% end %}';
    const res = await build({ 'own.datasource': SEED, 'branch.pipe': endpoint(sql) });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await project.call('/v0/pipes/branch.json', {}, token)).status).toBe(200);
    const read = await project.call('/v0/pipes/branch.json?x=1', {}, token);
    expect(read.status).toBe(400);
    expect(leaks(JSON.stringify(read.json))).toBe(false);
  });
});

it('no workspace reaches a file, the default one included', async () => {
  const res = await build(
    { 'seed.datasource': SEED, 'passwd.pipe': endpoint("SELECT * FROM file('/etc/passwd', 'LineAsString')") },
    user,
  );
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(leaks(JSON.stringify(res.json))).toBe(false);
  // The default workspace still reads its own rows and system.numbers, as Tinybird's pipes may.
  const own = await build(
    {
      'seed.datasource': SEED,
      'own.pipe': endpoint(
        'SELECT text, (SELECT count() FROM (SELECT number FROM system.numbers LIMIT 3)) AS n FROM seed',
      ),
    },
    user,
  );
  expect(own.status, JSON.stringify(own.json)).toBe(200);
  const read = await project.call('/v0/pipes/own.json', {}, user);
  expect(read.json).toMatchObject({ data: [{ text: 'secret of the default workspace', n: 3 }] });
});

it("a filtered JWT of a /v1 workspace reads its own data source, not the default workspace's of that name", async () => {
  expect((await build({ 'seed.datasource': SEED })).status).toBe(200);
  const own = await project.call(
    '/v0/events?name=seed&wait=true',
    { method: 'POST', body: JSON.stringify({ text: 'own row' }) },
    token,
  );
  expect(own.status).toBe(200);
  const jwt = await new SignJWT({
    workspace_id: workspaceId,
    name: 'filtered',
    exp: Math.floor(Date.now() / 1000) + 600,
    scopes: [{ type: 'DATASOURCES:READ', resource: 'seed', filter: '1 = 1' }],
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(token));
  const read = await project.call(`/v0/sql?q=${encodeURIComponent('SELECT text FROM seed FORMAT JSON')}`, {}, jwt);
  expect(read.status).toBe(200);
  expect((read.json as { data: unknown[] }).data).toEqual([{ text: 'own row' }]);
});

it("tb_secret() of a /v1 workspace reads none of the server's environment", async () => {
  const secret = endpoint("%\n    SELECT {{ tb_secret('PATH', 'unset') }} AS value");
  expect((await build({ 'secret.pipe': secret })).status).toBe(200);
  const read = await project.call('/v0/pipes/secret.json', {}, token);
  expect(read.json).toMatchObject({ data: [{ value: 'unset' }] });
  // The default workspace's project is the operator's own: it reads the environment, as `tb dev` does.
  expect((await build({ 'seed.datasource': SEED, 'secret.pipe': secret }, user)).status).toBe(200);
  const own = await project.call('/v0/pipes/secret.json', {}, user);
  expect(own.json).toMatchObject({ data: [{ value: process.env['PATH'] }] });
});
