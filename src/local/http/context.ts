// What every route family of the local server shares: the engine, the token rules, the workspace and the project.
import type { Engine } from '../engine/engine';
import type { DatafileProblem, Project } from '../project/datafiles';
import type { Workspace } from './workspace';
import type { Auth, Principal } from './auth';

export interface AppContext {
  engine: Engine;
  auth: Auth;
  workspace: Workspace;
  project: Project;
  /** Where workspace.json lives: tokens created through the Token API are saved there. */
  dataDir: string;
  /** Requests per second the Events API takes per data source. */
  eventsRps: number;
  log: (message: string) => void;
  /**
   * The datafiles of the last edit of the project folder, when it was refused (the previous version of each goes on
   * serving): listed beside those left out, so a tool sees why an edit did not apply.
   */
  refusedEdit?: () => readonly DatafileProblem[];
}

/** The Hono environment of the routes: the authenticated caller, set by the auth middleware. */
export interface LocalEnv {
  Variables: { principal: Principal };
}
