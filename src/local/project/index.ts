// project/: a folder of Tinybird datafiles read into an immutable ProjectSnapshot. loadProject() is the only part that
// touches the file system; the parsers take a datafile's text and return its data.
export { loadProject, loadProjectFiles, type DatafileText } from './load-project';
export { parseDatasource } from './parse-datasource';
export { parsePipe } from './parse-pipe';
export { parseConnection, type Connection } from './parse-connection';
export { DatafileError } from './datafiles';
export type {
  Column,
  DataSource,
  DatafileProblem,
  Parsed,
  Pipe,
  PipeNode,
  Project,
  ProjectSnapshot,
  TokenLine,
} from './datafiles';
