// A local server in its own process for close.test.ts (chDB allows one data directory per process): prints
// `{url, adminToken}` once listening; on SIGTERM calls close(), prints "closing" and, once it resolved, "closed".
// Usage: node --import tsx test/local/close-child.ts <dataDir> [closeTimeout ms]
import { startLocalServer } from '../../src/local/index';

const [dataDir, closeTimeout] = process.argv.slice(2);
const server = await startLocalServer({
  project: 'examples/tinybird',
  port: 0,
  dataDir: dataDir ?? '.tinybird',
  ...(closeTimeout !== undefined && { closeTimeout: Number(closeTimeout) }),
  // Internal errors would land here: the test reads stderr for them.
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`${JSON.stringify({ url: server.url, adminToken: server.adminToken })}\n`);

process.once('SIGTERM', () => {
  const closing = server.close();
  // close() stops listening before its first await: from here on, new connections are refused.
  process.stdout.write('closing\n');
  void closing.then(() => {
    process.stdout.write('closed\n');
    process.exit(0);
  });
});
