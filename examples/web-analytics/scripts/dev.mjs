// `npm run dev`: a local Tinybird (react-tinybird's server on embedded ClickHouse) serving the web analytics starter
// kit's own project with its fixtures, and `next dev` pointed at it. The kit is read where you cloned it:
// WEB_ANALYTICS_KIT, else ./web-analytics-starter-kit/tinybird (git-ignored).
// With TINYBIRD_ADMIN_TOKEN (and TINYBIRD_URL) set, it runs only `next dev`, against that workspace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
let local;
if (!process.env.TINYBIRD_ADMIN_TOKEN) {
  const { startLocalServer } = await import('react-tinybird/local');
  const project = resolve(process.env.WEB_ANALYTICS_KIT ?? 'web-analytics-starter-kit/tinybird');
  local = await startLocalServer({
    project,
    port: Number(process.env.TINYBIRD_LOCAL_PORT ?? 7181),
    dataDir: '.tinybird', // holds the local admin token: keep it out of git
    fixtures: true,
  });
  process.env.TINYBIRD_URL = local.url;
  process.env.TINYBIRD_ADMIN_TOKEN = local.adminToken;
  // The kit's fixtures end on 2025-07-17: show them as if it were the next day, as one of the kit's tenants.
  process.env.ANALYTICS_NOW ??= '2025-07-18T00:00:00Z';
  process.env.TENANT_ID ??= 'tenant_1';
  console.log(`Local Tinybird on ${local.url} (${project}, data in .tinybird/)`);
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
