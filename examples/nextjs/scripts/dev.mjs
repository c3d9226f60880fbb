// `npm run dev`: a local Tinybird (react-tinybird's server on embedded ClickHouse) serving the demo project that ships
// in the package, seeded with demo bookings, and `next dev` pointed at it. Nothing to configure.
// With TINYBIRD_ADMIN_TOKEN (and TINYBIRD_URL) set, it runs only `next dev`, against that workspace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let local;
if (!process.env.TINYBIRD_ADMIN_TOKEN) {
  const { startLocalServer } = await import('react-tinybird/local');
  local = await startLocalServer({
    project: join(dirname(require.resolve('react-tinybird/package.json')), 'examples/tinybird'),
    port: Number(process.env.TINYBIRD_LOCAL_PORT ?? 7181),
    dataDir: '.tinybird', // holds the local admin token: keep it out of git
    seed: true,
  });
  process.env.TINYBIRD_URL = local.url;
  process.env.TINYBIRD_ADMIN_TOKEN = local.adminToken;
  console.log(`Local Tinybird on ${local.url} (demo project, data in .tinybird/)`);
}

const next = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'dev', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const stop = async (code) => {
  await local?.close();
  process.exit(code);
};
next.on('exit', (code) => void stop(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => next.kill(signal));
