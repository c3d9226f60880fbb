// globalSetup of the `browser` project: starts the stories' own data server (frozen-data-server.ts) in a child
// process and provides its URL and admin token as inject('storyData'). Stories never see the run's shared server,
// which other tests append to while they run.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    storyData: { url: string; adminToken: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const script = fileURLToPath(new URL('./frozen-data-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the stories' data server exited with ${code}`)));
  });
  project.provide('storyData', JSON.parse(line) as { url: string; adminToken: string });
  return async () => {
    child.stdin!.end();
    await exited;
  };
}
