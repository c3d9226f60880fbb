/**
 * How every browser test here launches Chromium: Debian's /usr/bin/chromium (never a downloaded browser), headless,
 * with the flags that keep it off the network on a machine that has none (no update, sync or background checks).
 * Pass to playwright-core's launch() or launchPersistentContext().
 */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
