// The schema sync against a fake writer that records each statement: what it creates, drops and refuses, and that the
// snapshot it is given is never changed (a reload builds the next snapshot beside the one serving).
import { describe, expect, it } from 'vitest';
import { changedTables, syncSchema } from '../../src/local/engine/schema-sync';
import type { Writer } from '../../src/local/engine/writer';
import { parseDatasource, parsePipe, type ProjectSnapshot } from '../../src/local/project';

/** A project from datafile texts, as loadProject would make it (no folder needed: the parsers take text). */
function snapshotOf(files: Record<string, string>): ProjectSnapshot {
  const datasources = new Map();
  const pipes = new Map();
  for (const [file, text] of Object.entries(files)) {
    if (file.endsWith('.datasource')) {
      const { value } = parseDatasource(text, file);
      datasources.set(value.name, value);
    } else {
      const { value } = parsePipe(text, file);
      pipes.set(value.name, value);
    }
  }
  return { dir: '.', datasources, pipes, warnings: [], problems: [], secrets: new Map() };
}

/**
 * A writer with `tables` already in the database (name -> `col Type,col Type`), refusing the statements `refuse`
 * matches as ClickHouse would (an error with its code), describing any SELECT as `described`.
 */
function fakeWriter(
  options: { tables?: Record<string, string>; refuse?: RegExp; described?: Array<{ name: string; type: string }> } = {},
) {
  const statements: string[] = [];
  const writer: Writer = {
    rows(sql) {
      statements.push(sql);
      if (options.refuse?.test(sql)) return Promise.reject(new Error('Code: 36. DB::Exception: refused here'));
      if (sql.includes('FROM system.columns'))
        return Promise.resolve(Object.entries(options.tables ?? {}).map(([table, cols]) => ({ table, cols })));
      if (sql.startsWith('SELECT count()')) return Promise.resolve([{ n: 0 }]);
      if (sql.startsWith('DESCRIBE TABLE'))
        return Promise.resolve(options.described ?? [{ name: 'id', type: 'String' }]);
      return Promise.resolve([]);
    },
  };
  return { writer, statements };
}

const EVENTS = 'SCHEMA >\n  `id` String,\n  `n` UInt8\n';
const noLog = () => {};

describe('syncSchema', () => {
  it('creates a new data source and its quarantine, and keeps it in the snapshot', async () => {
    const { writer, statements } = fakeWriter();
    const { snapshot, problems } = await syncSchema(writer, snapshotOf({ 'events.datasource': EVENTS }), noLog);
    expect(statements.filter((s) => s.startsWith('CREATE TABLE'))).toEqual([
      expect.stringMatching(/^CREATE TABLE `events` /),
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS `events_quarantine`/),
    ]);
    expect(problems).toEqual([]);
    expect([...snapshot.datasources.keys()]).toEqual(['events']);
  });

  it('leaves the tables of data sources shared from another workspace alone when told to (a scratch database)', async () => {
    const { writer, statements } = fakeWriter();
    const files = { 'events.datasource': EVENTS, 'marketing.campaigns.datasource': EVENTS };
    const { snapshot } = await syncSchema(writer, snapshotOf(files), noLog, { sharedTables: false });
    expect(statements.filter((s) => /^(CREATE|DROP) TABLE/.test(s))).toEqual([
      expect.stringMatching(/^CREATE TABLE `events` /),
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS `events_quarantine`/),
    ]);
    // Still served: the served database's own sync keeps its table.
    expect([...snapshot.datasources.keys()]).toEqual(['events', 'marketing.campaigns']);
  });

  it('leaves a table whose columns did not change, with its rows', async () => {
    const { writer, statements } = fakeWriter({ tables: { events: 'id String,n UInt8' } });
    await syncSchema(writer, snapshotOf({ 'events.datasource': EVENTS }), noLog);
    expect(statements.some((s) => s.startsWith('DROP TABLE'))).toBe(false);
    expect(statements.some((s) => s.startsWith('CREATE TABLE `events` '))).toBe(false);
  });

  it('recreates a table whose columns changed, and says so', async () => {
    const { writer, statements } = fakeWriter({ tables: { events: 'id String' } });
    const logged: string[] = [];
    await syncSchema(writer, snapshotOf({ 'events.datasource': EVENTS }), (m) => logged.push(m));
    const drop = statements.indexOf('DROP TABLE `events`');
    expect(drop).toBeGreaterThan(-1);
    expect(statements.findIndex((s) => s.startsWith('CREATE TABLE `events` '))).toBeGreaterThan(drop);
    expect(logged).toEqual([expect.stringContaining('The schema of events changed in events.datasource')]);
  });

  it('leaves out a data source ClickHouse refuses, in a new snapshot: the one given is unchanged', async () => {
    const given = snapshotOf({ 'events.datasource': EVENTS, 'bad.datasource': 'SCHEMA >\n  `x` Nope\n' });
    const { writer } = fakeWriter({ refuse: /^CREATE TABLE `bad` / });
    const { snapshot, problems } = await syncSchema(writer, given, noLog);
    expect(problems).toEqual([
      {
        file: 'bad.datasource',
        line: 1,
        problem: 'ClickHouse refused the table: refused here',
        name: 'bad',
        kind: 'datasource',
      },
    ]);
    expect([...snapshot.datasources.keys()]).toEqual(['events']);
    expect(snapshot.problems).toEqual(problems);
    expect([...given.datasources.keys()]).toEqual(['events', 'bad']);
    expect(given.problems).toEqual([]);
  });

  it('infers the target of a materialized pipe that no .datasource declares, in the new snapshot only', async () => {
    const given = snapshotOf({
      'events.datasource': EVENTS,
      'by_id.pipe':
        'NODE m\nSQL >\n  SELECT id, count() AS c FROM events GROUP BY id\nTYPE materialized\nDATASOURCE per_id\n',
    });
    const { writer, statements } = fakeWriter({
      described: [
        { name: 'id', type: 'String' },
        { name: 'c', type: 'UInt64' },
      ],
    });
    const { snapshot, problems } = await syncSchema(writer, given, noLog);
    expect(problems).toEqual([]);
    expect(snapshot.datasources.get('per_id')?.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'id String',
      'c UInt64',
    ]);
    expect(given.datasources.has('per_id')).toBe(false);
    expect(statements).toContainEqual(expect.stringMatching(/^CREATE MATERIALIZED VIEW `by_id` TO `per_id` AS /));
  });

  it('leaves out a materialized pipe whose view ClickHouse refuses, and drops what it made of it', async () => {
    const given = snapshotOf({
      'events.datasource': EVENTS,
      'copy_events.datasource': EVENTS,
      'mirror.pipe': 'NODE m\nSQL >\n  SELECT * FROM events\nTYPE materialized\nDATASOURCE copy_events\n',
    });
    const { writer, statements } = fakeWriter({ refuse: /^CREATE MATERIALIZED VIEW/ });
    const { snapshot, problems } = await syncSchema(writer, given, noLog);
    expect(problems.map((p) => [p.kind, p.name, p.problem])).toEqual([
      ['pipe', 'mirror', 'ClickHouse refused the materialized node "m": refused here'],
    ]);
    expect(snapshot.pipes.has('mirror')).toBe(false);
    expect(given.pipes.has('mirror')).toBe(true);
    expect(statements).toContain('DROP VIEW IF EXISTS `mirror`');
  });
});

describe('changedTables', () => {
  it('names the data sources whose stored table has other columns: new, unchanged and shared ones are not', async () => {
    const { writer, statements } = fakeWriter({
      tables: { events: 'id String,n UInt16', same: 'id String,n UInt8', 'marketing.shared': 'id Int32' },
    });
    const local = snapshotOf({ 'events.datasource': EVENTS, 'same.datasource': EVENTS, 'fresh.datasource': EVENTS });
    const shared = { ...local.datasources.get('same')!, name: 'marketing.shared' };
    const project = { ...local, datasources: new Map([...local.datasources, [shared.name, shared]]) };
    expect(await changedTables(writer, project)).toEqual(['events']);
    // It only reads.
    expect(statements.every((s) => s.startsWith('SELECT'))).toBe(true);
  });
});
