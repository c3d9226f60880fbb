// What every route family of the local server shares: the engine, the token rules, the workspace and the project.
import type { Engine } from '../engine/engine';
import type { Project } from '../project/datafiles';
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
}

/** The Hono environment of the routes: the authenticated caller, set by the auth middleware. */
export interface LocalEnv {
  Variables: { principal: Principal };
}
