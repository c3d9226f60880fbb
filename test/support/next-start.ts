// What both Next.js examples' end-to-end tests need around `next start`: a free port to serve on, and a wait until the
// app answers (or a clear error with its output when it exits or never does).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on now, on the loopback address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers below 500; rejects with `server`'s output if it exits, or after 60 s. */
export async function waitUntilServing(server: ChildProcess, url: string): Promise<void> {
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (server.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      if ((await fetch(url, { redirect: 'manual' })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not answer within 60 s:\n${output}`);
}

/**
 * `next start` of the built app in `cwd` on a free loopback port, once it answers: its address and its process (kill
 * it when done).
 */
export async function nextStart(
  nextBin: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ base: string; server: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitUntilServing(server, base);
  return { base, server };
}
