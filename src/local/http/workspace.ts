// The local workspace's identity: its id, admin token, the static tokens of the datafiles' TOKEN lines and those
// created through the Token API. Kept in <dataDir>/workspace.json so a restart keeps every token (and every JWT signed
// with the admin token) valid.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAdminToken } from '../../server/admin-token';
import { LocalServerError } from '../errors';

export interface Workspace {
  id: string;
  adminToken: string;
  /** Static tokens by name (from TOKEN lines). */
  tokens: Record<string, string>;
  /** Static tokens created with POST /v0/tokens/, by name: the token and its scopes as Tinybird writes them. */
  apiTokens?: Record<string, ApiToken>;
}

export interface ApiToken {
  token: string;
  /** `PIPES:READ:<pipe>`, `DATASOURCES:READ:<data source>[:<filter>]` or `DATASOURCES:APPEND:<data source>`. */
  scopes: string[];
  description: string;
}

const FILE = 'workspace.json';
/** The `host` claim: readAdminToken() maps it to http://localhost:7181, the default address. */
const HOST = 'local';

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** A Tinybird-shaped static token: `p.` + base64url JSON (`u` = workspace id, `host`) + `.` + random bytes. */
export function mintStaticToken(workspaceId: string, name: string): string {
  const claims = { u: workspaceId, id: randomUUID(), host: HOST, name };
  return `p.${b64url(Buffer.from(JSON.stringify(claims)))}.${b64url(randomBytes(32))}`;
}

/**
 * Reads or creates the workspace of `dataDir`. An `adminToken` passed in wins over the stored one (its `u` claim
 * gives the workspace id when it has one); static tokens are created for `tokenNames` that have none yet.
 */
export async function loadWorkspace(
  dataDir: string,
  options: { adminToken?: string; workspaceId?: string; tokenNames: Iterable<string> },
): Promise<Workspace> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  let stored: Partial<Workspace> = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as Partial<Workspace>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new LocalServerError(
        'WORKSPACE_UNREADABLE',
        `${path} is not readable JSON: delete it to start a new workspace`,
      );
  }
  let id = options.workspaceId ?? stored.id;
  if (options.adminToken !== undefined) {
    try {
      id = options.workspaceId ?? readAdminToken(options.adminToken).workspaceId;
    } catch {
      // A token without a `u` claim still works as a secret; the workspace id then comes from elsewhere.
    }
  }
  id ??= randomUUID();
  const adminToken =
    options.adminToken ?? (stored.id === id ? stored.adminToken : undefined) ?? mintStaticToken(id, 'admin token');
  const tokens: Record<string, string> = stored.id === id ? { ...stored.tokens } : {};
  for (const name of options.tokenNames) tokens[name] ??= mintStaticToken(id, name);
  const workspace: Workspace = { id, adminToken, tokens, apiTokens: stored.id === id ? { ...stored.apiTokens } : {} };
  if (
    JSON.stringify(workspace) !==
    JSON.stringify({ id: stored.id, adminToken: stored.adminToken, tokens: stored.tokens, apiTokens: stored.apiTokens })
  )
    await saveWorkspace(dataDir, workspace);
  return workspace;
}

/** Writes the workspace to <dataDir>/workspace.json (readable by its owner only), replacing the file in one step. */
export async function saveWorkspace(dataDir: string, workspace: Workspace): Promise<void> {
  const path = join(dataDir, FILE);
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(workspace, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
