import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/**
 * A small real HTTP server that behaves like the parts of Tinybird the client talks to: it verifies Bearer JWTs with
 * jose (HS256, secret = the admin token), serves a token route, a pipe endpoint, /v0/sql and /v0/events, records what
 * it received, and lets a test inject faults into the next N API requests.
 */

export type Fault =
  | { status: 403 | 400 | 404 | 500 | 502 | 503; message?: string }
  | { status: 429; retryAfter?: number | string }
  | { drop: 'before' } // socket destroyed before the request is processed
  | { drop: 'after' }; // request processed (rows recorded), then the socket is destroyed: the answer is lost

export type TokenMode = 'json' | 'text' | 'fail' | 'unauthorized' | 'garbage' | 'expired' | 'noexp' | 'drop';

export interface ApiRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  token: string | null;
  /** Authorization verified (signature + exp) at the time the request arrived. */
  valid: boolean;
  /** The token had expired when the request arrived. */
  expired: boolean;
  status: number;
  body: string;
}

export interface FixtureServer {
  url: string;
  tokenUrl: string;
  adminToken: string;
  /** Token route behaviour; change it between steps. */
  tokenMode: TokenMode;
  /** Lifetime of tokens from the token route, seconds. */
  tokenTtl: number;
  /** Pretend the token server's clock is this many seconds ahead of ours (iat/exp shift). */
  tokenClockOffset: number;
  /** Extra JSON fields the token route adds (e.g. baseUrl). */
  tokenExtra: Record<string, unknown>;
  counts: { token: number; pipe: number; events: number };
  requests: ApiRequest[];
  /** Rows received per data source, in arrival order (duplicates included). */
  rows: Map<string, Record<string, unknown>[]>;
  /** Fail the next `times` API requests (not the token route), or the next ones `match` selects, with `fault`. */
  inject(fault: Fault, times?: number, match?: (request: ApiRequest) => boolean): void;
  /** Make the next `times` token route requests answer 500. */
  failToken(times: number): void;
  /** Sign a JWT like a backend would. */
  sign(options?: { ttl?: number; iatOffset?: number; exp?: number | null; name?: string }): Promise<string>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  response.end(text);
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const payload = Buffer.from(JSON.stringify({ u: 'ws-fixture', id: 'admin', host: 'local' })).toString('base64url');
  const adminToken = `p.${payload}.fixture-signature`;
  // Built with this realm's Uint8Array: under jsdom, TextEncoder's output fails jose's instanceof check.
  const secret = new Uint8Array(Buffer.from(adminToken, 'utf8'));
  const faults: Array<{ fault: Fault; match?: ((request: ApiRequest) => boolean) | undefined }> = [];
  let serial = 0;
  let tokenFailures = 0;
  const sockets = new Set<Socket>();

  const fixture: FixtureServer = {
    url: '',
    tokenUrl: '',
    adminToken,
    tokenMode: 'json',
    tokenTtl: 600,
    tokenClockOffset: 0,
    tokenExtra: {},
    counts: { token: 0, pipe: 0, events: 0 },
    requests: [],
    rows: new Map(),
    inject(fault, times = 1, match) {
      for (let i = 0; i < times; i++) faults.push({ fault, match });
    },
    failToken(times) {
      tokenFailures += times;
    },
    async sign({ ttl = fixture.tokenTtl, iatOffset = fixture.tokenClockOffset, exp, name = 'fixture' } = {}) {
      const iat = Math.floor(Date.now() / 1000) + iatOffset;
      // A serial jti keeps tokens signed within the same second distinct, so a test can tell them apart.
      const jwt = new SignJWT({
        workspace_id: 'ws-fixture',
        name,
        scopes: [{ type: 'PIPES:READ', resource: '*' }],
        jti: String(++serial),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(iat);
      if (exp !== null) jwt.setExpirationTime(exp ?? iat + ttl);
      return jwt.sign(secret);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  async function tokenRoute(response: ServerResponse): Promise<void> {
    fixture.counts.token++;
    if (tokenFailures > 0) {
      tokenFailures--;
      return send(response, 500, 'token service down');
    }
    switch (fixture.tokenMode) {
      case 'fail':
        return send(response, 503, 'token service down');
      case 'drop':
        response.socket?.destroy();
        return;
      case 'unauthorized':
        return send(response, 401, { error: 'not signed in' });
      case 'garbage':
        return send(response, 200, 'this is not a token');
      case 'expired': {
        const now = Math.floor(Date.now() / 1000);
        return send(response, 200, { token: await fixture.sign({ exp: now - 60 }) });
      }
      case 'noexp':
        return send(response, 200, { token: await fixture.sign({ exp: null }) });
      case 'text':
        return send(response, 200, await fixture.sign());
      default: {
        const token = await fixture.sign();
        const exp = Math.floor(Date.now() / 1000) + fixture.tokenClockOffset + fixture.tokenTtl;
        return send(response, 200, { token, expiresAt: exp, ...fixture.tokenExtra });
      }
    }
  }

  async function authorize(
    header: string | undefined,
  ): Promise<{ token: string | null; valid: boolean; expired: boolean; message: string }> {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
    if (!token)
      return { token, valid: false, expired: false, message: 'invalid authentication token. Token is missing' };
    try {
      await jwtVerify(token, secret, { algorithms: ['HS256'], clockTolerance: 0 });
      return { token, valid: true, expired: false, message: '' };
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      const reason = expired ? 'Signature has expired' : 'Signature verification failed';
      return { token, valid: false, expired, message: `invalid authentication token. ${reason}` };
    }
  }

  async function api(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(request);
    const auth = await authorize(request.headers.authorization);
    const record: ApiRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      search: url.searchParams,
      token: auth.token,
      valid: auth.valid,
      expired: auth.expired,
      status: 0,
      body,
    };
    fixture.requests.push(record);
    const reply = (status: number, payload: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(response, status, payload, headers);
    };
    if (url.searchParams.has('token'))
      return reply(400, { error: 'the fixture refuses ?token=: tokens belong in the header' });

    const index = faults.findIndex((entry) => !entry.match || entry.match(record));
    const fault = index === -1 ? undefined : faults.splice(index, 1)[0]!.fault;
    if (fault && 'drop' in fault && fault.drop === 'before') {
      record.status = -1;
      request.socket.destroy();
      return;
    }
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.status === 429 && fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const message = 'message' in fault && fault.message ? fault.message : `injected ${fault.status}`;
      return reply(
        fault.status,
        { error: message, documentation: 'https://www.tinybird.co/docs/api-reference' },
        headers,
      );
    }
    if (!auth.valid) {
      return reply(403, { error: auth.message, documentation: 'https://www.tinybird.co/docs/api-reference/token-api' });
    }

    let status = 200;
    let result: unknown;
    const pipe = /^\/v0\/pipes\/([^/]+)\.json$/.exec(url.pathname);
    if (pipe) {
      fixture.counts.pipe++;
      const name = decodeURIComponent(pipe[1]!);
      if (name === 'missing') return reply(404, { error: `Pipe '${name}' not found` });
      if (name === 'bad') return reply(400, { error: "Template Syntax Error: Error validating 'abc' to type Int32" });
      const params =
        request.method === 'POST'
          ? (JSON.parse(body || '{}') as Record<string, string>)
          : Object.fromEntries(url.searchParams);
      result = {
        meta: [
          { name: 'airline', type: 'String' },
          { name: 'bookings', type: 'UInt64' },
        ],
        data: [{ airline: 'AA', bookings: 3, pipe: name, method: request.method, params }],
        rows: 1,
        rows_before_limit_at_least: 1,
        statistics: { elapsed: 0.001, rows_read: 10, bytes_read: 100 },
      };
    } else if (url.pathname === '/v0/sql') {
      const q = request.method === 'POST' ? new URLSearchParams(body).get('q') : url.searchParams.get('q');
      result = {
        meta: [{ name: 'q', type: 'String' }],
        data: [{ q }],
        rows: 1,
        statistics: { elapsed: 0, rows_read: 0, bytes_read: 0 },
      };
    } else if (url.pathname === '/v0/events' && request.method === 'POST') {
      fixture.counts.events++;
      const name = url.searchParams.get('name') ?? '';
      const lines = body.split('\n').filter((line) => line.trim() !== '');
      const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const list = fixture.rows.get(name) ?? [];
      list.push(...rows);
      fixture.rows.set(name, list);
      const quarantined = rows.filter((row) => row._quarantine === true).length;
      status = url.searchParams.get('wait') === 'true' ? 200 : 202;
      result = { successful_rows: rows.length - quarantined, quarantined_rows: quarantined };
    } else {
      return reply(404, { error: `Unknown path ${url.pathname}` });
    }
    if (fault && 'drop' in fault) {
      record.status = -1;
      request.socket.destroy();
      return;
    }
    reply(status, result);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const handle = url.pathname === '/token' ? tokenRoute(response) : api(request, response, url);
    handle.catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: String(error) });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fixture.url = `http://127.0.0.1:${port}`;
  fixture.tokenUrl = `${fixture.url}/token`;
  return fixture;
}
