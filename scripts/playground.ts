// `npm run playground`: the Storybook playground on live data.
// 1. Starts the local Tinybird server (chDB) on examples/tinybird with its data in .tinybird/, seeding it when empty.
// 2. Keeps a trickle of new bookings flowing through the Events API, so charts with refreshInterval move.
// 3. Starts Storybook dev; its middleware (.storybook/middleware.mjs) mounts the demo token route at
//    /api/tinybird-token, signing with the admin token it gets from TINYBIRD_HOST / TINYBIRD_ADMIN_TOKEN set here.
// With TINYBIRD_HOST and TINYBIRD_ADMIN_TOKEN already set, it skips 1 and 2 and points everything at that workspace
// (which needs the examples/tinybird datafiles deployed).
//
// Options (env): PLAYGROUND_PORT (Storybook, 6006), TINYBIRD_LOCAL_PORT (7181), PLAYGROUND_RATE (bookings/s, 2; 0 = off).
// Extra arguments go to `storybook dev` (e.g. `npm run playground -- --no-open`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalServer, streamEvents } from '../src/local/index';

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

  const rate = Number(env.PLAYGROUND_RATE ?? 2);
  if (rate > 0) {
    const stream = streamEvents({
      url: server.url,
      token: server.adminToken,
      rate,
      onError: (e) => console.warn('[playground] trickle:', String(e)),
    });
    cleanups.push(() => stream.stop());
    console.log(`[playground] streaming ${rate} new bookings/s`);
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
