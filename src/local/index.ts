// react-tinybird/local: a Tinybird-compatible API server on embedded ClickHouse (chDB), for local development,
// the playground and tests. Node only; chDB is an optional peer dependency.
export { startLocalServer } from './server';
export type { LocalServer, LocalServerOptions } from './server';
export type { QueryLimits } from './engine/engine';
export type { LoadedFixture } from './dev/fixtures';
export { streamEvents } from './dev/seed';
export type { SeedOptions, StreamEventsOptions } from './dev/seed';
export { DatafileError } from './project/datafiles';
