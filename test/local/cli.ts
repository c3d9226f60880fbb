// Runs the `react-tinybird` CLI from the sources in a child process (chDB allows one data directory per process).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

export interface DevServer {
  url: string;
  adminToken: string;
  workspaceId: string;
  /** Everything it printed so far. */
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `react-tinybird dev` and reads what it prints. */
export async function startDev(args: string[]): Promise<DevServer> {
  const run = runCli(['dev', '--port', '0', ...args]);
  const deadline = Date.now() + 30_000;
  while (!/Started in/.test(run.output())) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`dev did not start:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(run.output())?.[1] ?? '';
  return {
    url: field('URL'),
    adminToken: field('Admin token'),
    workspaceId: field('Workspace id'),
    output: run.output,
    async stop() {
      run.child.kill('SIGTERM');
      await run.exited;
    },
  };
}
