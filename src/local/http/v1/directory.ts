// What the /v1 routes need of the server's workspaces (workspaces.ts implements it): http/ sits below the runtime, so
// the routes see this shape, not the registry.
import type { DatafileText } from '../../project';
import type { BuildReport } from './build-report';

/** A workspace as Tinybird's /v1 API lists it: its admin token is `token`. */
export interface WorkspaceEntry {
  id: string;
  name: string;
  token: string;
}

export interface WorkspaceDirectory {
  /** The default workspace (the `--project` folder): the owner of the user token. */
  readonly main: WorkspaceEntry;
  list(): WorkspaceEntry[];
  /** The workspace whose admin token is `token`. */
  byAdminToken(token: string): WorkspaceEntry | undefined;
  /** Makes a new, empty workspace named `name` (a valid, unused name: the routes check). */
  create(name: string): Promise<WorkspaceEntry>;
  /** Removes a workspace with its data (never the default one). */
  remove(id: string): Promise<void>;
  /** Replaces the resources of workspace `id` with `files`, as Tinybird's build does. */
  build(id: string, files: DatafileText[]): Promise<BuildReport>;
  /** Where the server's messages go. */
  log(message: string): void;
}
