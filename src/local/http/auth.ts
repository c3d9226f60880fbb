// Who is calling and what they may do: the admin token, static tokens from TOKEN lines and the Token API, and JWTs
// signed with the admin token (HS256 only). Also the per-token rate limit (`limits.rps`, 1 s window per workspace + resource + name).
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Project } from '../project/datafiles';
import type { ReadAccess, Readable } from '../engine/engine';
import { DOC, HttpError } from '../errors';
import type { Workspace } from './workspace';
import { SCOPE_TYPES, type TinybirdScope } from '../../server/scopes';

/**
 * A scope as a JWT or a TOKEN line grants it: the server helpers' scope model, read as loosely as Tinybird reads it
 * (any object of fixed_params values, a filter on whichever scope carries one).
 */
export interface Scope {
  type: TinybirdScope['type'];
  resource: string;
  fixed_params?: Record<string, unknown>;
  filter?: string;
}

export type Principal =
  | { kind: 'admin'; name: string }
  | { kind: 'static'; name: string; scopes: Scope[] }
  | { kind: 'jwt'; name: string; scopes: Scope[]; rps?: number };

const INVALID = 'invalid authentication token';
/** JWTs whose signature was checked, remembered so a dashboard's repeated token costs one HMAC, not one per request. */
const VERIFIED_MAX = 4096;
const denied = (detail?: string) => new HttpError(403, detail ? `${INVALID}. ${detail}` : INVALID, DOC.auth);

export class Auth {
  private readonly statics = new Map<string, { name: string; scopes: Scope[] }>();
  private readonly secret: Uint8Array;
  private readonly windows = new Map<string, { second: number; count: number }>();
  /**
   * Tokens jose verified, with their `exp` and `nbf` (epoch seconds). Verifying through WebCrypto took ~0.5 ms of the
   * event loop per request (a third of the server's own time on a pipe call): a token seen before is checked against
   * its times only, and one outside them goes through jose again, which gives the error.
   */
  private readonly verified = new Map<string, { exp: number; nbf?: number }>();

  constructor(
    private readonly workspace: Workspace,
    project: Project,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = new TextEncoder().encode(workspace.adminToken);
    const add = (name: string, scope: Scope) => {
      const token = workspace.tokens[name];
      if (token === undefined) return;
      const entry = this.statics.get(token) ?? { name, scopes: [] };
      entry.scopes.push(scope);
      this.statics.set(token, entry);
    };
    for (const ds of project.datasources.values()) {
      for (const t of ds.tokens)
        add(t.name, { type: t.permission === 'READ' ? 'DATASOURCES:READ' : 'DATASOURCES:APPEND', resource: ds.name });
    }
    for (const pipe of project.pipes.values())
      for (const t of pipe.tokens) add(t.name, { type: 'PIPES:READ', resource: pipe.name });
    for (const [name, { token, scopes }] of Object.entries(workspace.apiTokens ?? {})) {
      if (!this.statics.has(token)) this.statics.set(token, { name, scopes: scopes.map(parseScopeText) });
    }
  }

  /** The static tokens (TOKEN lines and Token API) with their scopes, for listings. */
  staticTokens(): Array<{ name: string; description: string; token: string; scopes: Scope[] }> {
    return [...this.statics].map(([token, { name, scopes }]) => ({
      name,
      description: this.workspace.apiTokens?.[name]?.description ?? '',
      token,
      scopes,
    }));
  }

  /** The static token named `key`, or whose value is `key`. */
  findStatic(key: string): { name: string; description: string; token: string; scopes: Scope[] } | undefined {
    return this.staticTokens().find((t) => t.name === key || t.token === key);
  }

  /** Starts accepting a token created through the Token API (the caller saves the workspace). */
  addApiToken(name: string, token: string, scopes: string[], description: string): void {
    (this.workspace.apiTokens ??= {})[name] = { token, scopes, description };
    this.statics.set(token, { name, scopes: scopes.map(parseScopeText) });
  }

  /** Stops accepting a token created through the Token API; false when `name` is not one. */
  removeApiToken(name: string): boolean {
    const entry = this.workspace.apiTokens?.[name];
    if (!entry) return false;
    delete this.workspace.apiTokens![name];
    this.statics.delete(entry.token);
    return true;
  }

  /** Resolves a token or throws Tinybird's 403. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (token === undefined || token.trim() === '')
      throw denied('No token found: send it as `Authorization: Bearer <token>`');
    token = token.trim();
    if (token === this.workspace.adminToken) return { kind: 'admin', name: 'admin token' };
    const found = this.statics.get(token);
    if (found) return { kind: 'static', ...found };
    if (token.startsWith('p.')) throw denied();
    return this.verifyJwt(token);
  }

  private async verifyJwt(token: string): Promise<Principal> {
    let alg: unknown;
    let claims: Record<string, unknown>;
    try {
      alg = decodeProtectedHeader(token).alg;
      claims = decodeJwt(token);
    } catch {
      throw denied('JWT: the token is malformed');
    }
    if (alg !== 'HS256') throw denied('JWT: The specified alg value is not allowed (only HS256)');
    if (claims['workspace_id'] !== this.workspace.id) {
      throw denied(
        `JWT: Workspace with ID ${String(claims['workspace_id'] ?? '(missing workspace_id)').slice(0, 64)} not found`,
      );
    }
    await this.verifySignature(token, claims);
    if (claims['exp'] === undefined) throw denied("JWT tokens is missing the 'exp' claim");
    const name = claims['name'];
    if (typeof name !== 'string' || name === '') throw denied("JWT: the 'name' claim is missing");
    const scopes = parseScopes(claims['scopes']);
    const limits = claims['limits'];
    const rps = limits !== null && typeof limits === 'object' ? (limits as { rps?: unknown }).rps : undefined;
    return typeof rps === 'number' && rps > 0 ? { kind: 'jwt', name, scopes, rps } : { kind: 'jwt', name, scopes };
  }

  /** jose's signature and time checks, once per token while it is within its times (see `verified`). */
  private async verifySignature(token: string, claims: Record<string, unknown>): Promise<void> {
    const now = Math.floor(this.now() / 1000);
    const known = this.verified.get(token);
    if (known && known.exp > now && (known.nbf === undefined || known.nbf <= now)) return;
    try {
      await jwtVerify(token, this.secret, { algorithms: ['HS256'], currentDate: new Date(this.now()) });
    } catch (error) {
      this.verified.delete(token);
      if (error instanceof errors.JWTExpired) throw denied('JWT: Signature has expired');
      if (error instanceof errors.JWSSignatureVerificationFailed) throw denied('JWT: Signature verification failed');
      throw denied(`JWT: ${(error as Error).message}`);
    }
    const { exp, nbf } = claims;
    if (typeof exp !== 'number') return;
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, typeof nbf === 'number' ? { exp, nbf } : { exp });
  }

  /** The fixed_params a token pins on `pipe`, or a 403 when it cannot read it. */
  pipeAccess(principal: Principal, pipe: string): Record<string, unknown> {
    if (principal.kind === 'admin') return {};
    const scopes = principal.scopes.filter((s) => s.type === 'PIPES:READ' && s.resource === pipe);
    if (scopes.length === 0) throw new HttpError(403, `token has no READ scope for ${pipe}`, DOC.pipes);
    return pinnedBy(scopes);
  }

  /**
   * What the Query API may read for this token: each pipe with the parameters it pins (its row-level security, which
   * holds there as on the endpoint), each data source with its filter (several filters on one must all hold).
   */
  readAccess(principal: Principal): ReadAccess {
    if (principal.kind === 'admin') return 'all';
    const access = new Map<string, Readable>();
    for (const s of principal.scopes) {
      // One entry per name, each scope adding what it grants: a later scope never drops an earlier one's pins.
      const entry = access.get(s.resource) ?? {};
      if (s.type === 'PIPES:READ')
        access.set(s.resource, { ...entry, pipe: true, pinned: this.pipeAccess(principal, s.resource) });
      if (s.type !== 'DATASOURCES:READ') continue;
      const filter = s.filter?.trim() ? s.filter : undefined;
      const both = [entry.filter, filter].filter((f) => f !== undefined);
      const merged = both.length < 2 ? both[0] : both.map((f) => `(${f})`).join(' AND ');
      // A data source scope without a filter adds nothing to one with a filter: every scope's filter must hold.
      const { filter: _, ...rest } = entry;
      access.set(s.resource, { ...rest, datasource: true, ...(merged !== undefined && { filter: merged }) });
    }
    return access;
  }

  canAppend(principal: Principal, datasource: string): void {
    if (principal.kind === 'admin') return;
    if (!principal.scopes.some((s) => s.type === 'DATASOURCES:APPEND' && s.resource === datasource)) {
      throw new HttpError(403, `token has no APPEND scope for ${datasource}`, DOC.events);
    }
  }

  /**
   * Counts a request of `principal` on `resource` and returns the X-RateLimit headers, or throws a 429 past `limits.rps`.
   * Only JWTs with `limits.rps` are limited.
   */
  rateLimit(principal: Principal, resource: string): Record<string, string> {
    if (principal.kind !== 'jwt' || principal.rps === undefined) return {};
    return this.take(
      `${this.workspace.id}\u0000${resource}\u0000${principal.name}`,
      principal.rps,
      `the token "${principal.name}" on ${resource}`,
    );
  }

  /** A fixed 1 s window per key. */
  take(key: string, limit: number, what: string): Record<string, string> {
    const now = this.now();
    const second = Math.floor(now / 1000);
    let window = this.windows.get(key);
    if (!window || window.second !== second) {
      if (this.windows.size > 10_000) this.windows.clear();
      window = { second, count: 0 };
      this.windows.set(key, window);
    }
    const reset = '1'; // seconds until the window starts over: at most one
    if (window.count >= limit) {
      throw new HttpError(
        429,
        `Too many requests: ${what} is limited to ${limit} requests per second. Retry after 1 second.`,
        DOC.limits,
        {
          'X-RateLimit-Limit': String(limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': reset,
          'Retry-After': '1',
        },
      );
    }
    window.count++;
    return {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(limit - window.count),
      'X-RateLimit-Reset': reset,
    };
  }
}

/** The parameters `scopes` (of one pipe) pin, merged. */
const pinnedBy = (scopes: Scope[]): Record<string, unknown> =>
  Object.assign({}, ...scopes.map((s) => s.fixed_params ?? {})) as Record<string, unknown>;

function parseScopes(value: unknown): Scope[] {
  if (!Array.isArray(value)) throw denied("JWT: the 'scopes' claim must be an array");
  return value.map((raw: unknown, i) => {
    const s = raw as Partial<Scope> | null;
    if (
      s === null ||
      typeof s !== 'object' ||
      !(SCOPE_TYPES as readonly unknown[]).includes(s.type) ||
      typeof s.resource !== 'string'
    ) {
      throw denied(
        `JWT: scopes[${i}] needs a type (PIPES:READ, DATASOURCES:READ or DATASOURCES:APPEND) and a resource`,
      );
    }
    const scope: Scope = { type: s.type as Scope['type'], resource: s.resource };
    if (s.fixed_params !== undefined) {
      if (s.fixed_params === null || typeof s.fixed_params !== 'object' || Array.isArray(s.fixed_params)) {
        throw denied(`JWT: scopes[${i}].fixed_params must be an object`);
      }
      scope.fixed_params = s.fixed_params;
    }
    if (s.filter !== undefined) {
      if (typeof s.filter !== 'string') throw denied(`JWT: scopes[${i}].filter must be a SQL condition string`);
      scope.filter = s.filter;
    }
    return scope;
  });
}

/**
 * A static token scope as Tinybird writes it: `PIPES:READ:<pipe>`, `DATASOURCES:APPEND:<data source>` or
 * `DATASOURCES:READ:<data source>[:<SQL filter>]` (the filter may hold colons). Throws a 400 for anything else.
 */
export function parseScopeText(text: string): Scope {
  const [kind = '', action = '', resource = '', ...rest] = text.split(':');
  const type = `${kind}:${action}`;
  if (!(SCOPE_TYPES as readonly string[]).includes(type))
    throw new HttpError(
      400,
      `Unknown scope ${type}: the local server takes PIPES:READ:<pipe>, DATASOURCES:READ:<data source>[:<filter>] and DATASOURCES:APPEND:<data source>`,
      DOC.tokens,
    );
  if (resource === '') throw new HttpError(400, `The scope ${type} needs a resource: ${type}:<name>`, DOC.tokens);
  const filter = rest.join(':').trim();
  if (filter !== '' && type !== 'DATASOURCES:READ')
    throw new HttpError(400, `Only DATASOURCES:READ scopes take a filter (${text})`, DOC.tokens);
  return filter === '' ? { type: type as Scope['type'], resource } : { type: 'DATASOURCES:READ', resource, filter };
}
