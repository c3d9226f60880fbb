// `npm run playground`: the Storybook playground on live data.
// 1. Starts the local Tinybird server (chDB) on examples/tinybird with its data in .tinybird/, seeding it when empty.
// 2. Keeps new bookings flowing through the Events API at the data's own pace (the seed's bookings per hour and daily
//    rhythm), after filling the time since the newest booking, so charts with refreshInterval move and the last hours
//    look like the ones before (scripts/lib/seed-shaped-stream.ts).
// 3. Starts Storybook dev; its middleware (.storybook/middleware.mjs) mounts the demo token route at
//    /api/tinybird-token, signing with the admin token it gets from TINYBIRD_HOST / TINYBIRD_ADMIN_TOKEN set here.
// With TINYBIRD_HOST and TINYBIRD_ADMIN_TOKEN already set, it skips 1 and 2 and points everything at that workspace
// (which needs the examples/tinybird datafiles deployed).
//
// Options (env): PLAYGROUND_PORT (Storybook, 6006), TINYBIRD_LOCAL_PORT (7181), PLAYGROUND_STREAM (0 = no new bookings).
// Extra arguments go to `storybook dev` (e.g. `npm run playground -- --no-open`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../src/local/index';
import { startSeedShapedStream } from './lib/seed-shaped-stream';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
const cleanups: (() => Promise<void> | void)[] = [];

if (env.TINYBIRD_HOST && env.TINYBIRD_ADMIN_TOKEN) {
  console.log(`[playground] using the Tinybird workspace at ${env.TINYBIRD_HOST}`);
} else {
  const server = await startLocalServer({
    project: `${root}examples/tinybird`,
    port: Number(env.TINYBIRD_LOCAL_PORT ?? 7181),
    dataDir: `${root}.tinybird`,
    seed: true, // only when the events data source is empty
    watch: true, // edit examples/tinybird/*.pipe and the stories show the new result on their next fetch
  });
  cleanups.push(() => server.close());
  env.TINYBIRD_HOST = server.url;
  env.TINYBIRD_ADMIN_TOKEN = server.adminToken;
  console.log(`[playground] local Tinybird at ${server.url} (data in .tinybird/)`);

  if (env.PLAYGROUND_STREAM !== '0') {
    const stream = await startSeedShapedStream({
      url: server.url,
      token: server.adminToken,
      onError: (e) => console.warn('[playground] stream:', String(e)),
    });
    if (stream) {
      cleanups.push(() => stream.stop());
      const perDay = stream.shape.perHour.reduce((a, b) => a + b, 0);
      console.log(
        `[playground] streaming new bookings at the data's own pace (${Math.round(perDay).toLocaleString('en')} a day); ` +
          `${stream.filled.toLocaleString('en')} filled in since the newest one`,
      );
    }
  }
}

const storybook = spawn(
  process.execPath,
  [
    `${root}node_modules/storybook/dist/bin/dispatcher.js`,
    'dev',
    '-p',
    env.PLAYGROUND_PORT ?? '6006',
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: 'inherit' },
);

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    storybook.kill('SIGTERM');
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
storybook.on('exit', (code) => void stop(code ?? 0));
