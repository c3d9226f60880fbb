import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { listen } from './http';
import { mulberry32 } from '../../src/local/dev/mulberry32';

export interface ProxyStats {
  requests: number;
  /** Responses the upstream gave, by status. */
  byStatus: Record<number, number>;
  /** Requests answered by the proxy itself with a failure (never forwarded). */
  injected: number;
  /** Requests forwarded and answered by the server, whose answer the proxy dropped (connection reset). */
  lostAnswers: number;
  /** Requests whose URL carried `token=`. */
  tokenInUrl: number;
  /** For each 403: ms the request's JWT still had before its `exp` when the proxy received it (negative: expired). */
  forbiddenMsLeft: number[];
}

/** A failure the proxy answers every request with while it is set (a storm, or the API unreachable). */
export type ProxyFault = '503' | '429' | 'reset';

export interface Proxy {
  url: string;
  stats: ProxyStats;
  /** Answers every request with `fault` from now on (null: forward again). */
  setFault(fault: ProxyFault | null): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  target: string;
  /** Share of requests (0..1) answered with a failure instead of being forwarded: half 503, half a reset connection. */
  failureRate?: number;
  /** Share of forwarded requests whose answer is lost after the server handled them: stored, but the client never knows. */
  lostAnswerRate?: number;
  /** Seconds the injected 429s ask the client to wait (`Retry-After`, exposed to pages by CORS); none when unset. */
  retryAfter?: number;
  seed?: number;
  /**
   * Called with every request as it arrives, before anything else, faults included: to count and time what reaches
   * the proxy, or log who asked what.
   */
  onRequest?: (req: IncomingMessage) => void;
}

/**
 * A loopback proxy in front of the local server that counts what passes and can inject failures. Failures are injected
 * before forwarding, so the server never saw a failed request: a row counted at the server was sent exactly once or
 * retried after a failure the client could see.
 */
export async function startProxy({
  target,
  failureRate = 0,
  lostAnswerRate = 0,
  retryAfter,
  seed = 42,
  onRequest,
}: ProxyOptions): Promise<Proxy> {
  const stats: ProxyStats = {
    requests: 0,
    byStatus: {},
    injected: 0,
    lostAnswers: 0,
    tokenInUrl: 0,
    forbiddenMsLeft: [],
  };
  const random = mulberry32(seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const upstream = new URL(target);
  let fault: ProxyFault | null = null;
  const server = await listen((req, res) => {
    const receivedAt = Date.now();
    onRequest?.(req);
    stats.requests += 1;
    if (/[?&]token=/.test(req.url ?? '')) stats.tokenInUrl += 1;
    // A storm is in the API's answers: CORS preflights still pass (an edge answers them), so a page sees the 503 or
    // 429 itself rather than a CORS failure. A dropped connection drops them too.
    if (fault && (fault === 'reset' || req.method !== 'OPTIONS')) {
      stats.injected += 1;
      const status = fault === '429' ? 429 : 503;
      const reset = fault === 'reset';
      req.resume();
      req.on('end', () => {
        if (reset) return void req.socket.destroy();
        res.writeHead(status, {
          'Content-Type': 'application/json',
          'Access-Control-Allow-Origin': '*',
          ...(status === 429 &&
            retryAfter !== undefined && {
              'Retry-After': String(retryAfter),
              'Access-Control-Expose-Headers': 'Retry-After',
            }),
        });
        res.end('{"error":"injected failure"}');
      });
      return;
    }
    if (failureRate > 0 && random() < failureRate) {
      stats.injected += 1;
      const reset = random() < 0.5;
      req.resume();
      req.on('end', () => {
        if (reset) {
          req.socket.destroy();
        } else {
          res.writeHead(503, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
          res.end('{"error":"injected failure"}');
        }
      });
      return;
    }
    const forward = httpRequest(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 0;
        stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
        if (lostAnswerRate > 0 && random() < lostAnswerRate) {
          stats.lostAnswers += 1;
          upstreamRes.resume();
          return void req.socket.destroy();
        }
        if (status === 403)
          stats.forbiddenMsLeft.push(jwtExpiry(req.url ?? '', req.headers.authorization) - receivedAt);
        res.writeHead(status, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return {
    url: server.url,
    stats,
    setFault: (value) => void (fault = value),
    async close() {
      await server.close();
      agent.destroy();
    },
  };
}

/** `exp` (epoch ms) of the JWT in `?token=` or the Bearer header; NaN when there is none. */
function jwtExpiry(url: string, authorization: string | undefined): number {
  const token = new URL(url, 'http://x').searchParams.get('token') ?? authorization?.replace(/^Bearer /, '');
  try {
    const payload = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: number };
    return (payload.exp ?? Number.NaN) * 1000;
  } catch {
    return Number.NaN;
  }
}
