#!/usr/bin/env bash
# The web analytics example end to end: pack the library as a user gets it, install that tarball into
# examples/web-analytics, then examples/web-analytics/test/e2e.test.ts builds the app (`next build`), serves it
# (`next start`) against a local server on the web analytics starter kit's project, and drives Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build unless dist/ is newer than every source file (CI's build step has just made it).
if [ ! -f dist/index.js ] || [ -n "$(find src package.json tsup.config.ts -newer dist/index.js -print -quit)" ]; then npm run build; fi
rm -f examples/web-analytics/react-tinybird-*.tgz
npm pack --silent --pack-destination examples/web-analytics >/dev/null

cd examples/web-analytics
# The tarball changes with every build of the library: the lockfile must not pin its hash (npm would refuse a new
# one with EINTEGRITY), and the installed copy is replaced so the test runs this build.
node -e "
  const fs = require('fs');
  const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
  const entry = lock.packages['node_modules/react-tinybird'];
  if (entry && entry.integrity) { delete entry.integrity; fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n'); }
"
rm -rf node_modules/react-tinybird
npm install --no-audit --no-fund
cd ../..

npx tsc --noEmit -p examples/web-analytics/test/tsconfig.json
npx vitest run --config vitest.web-analytics.config.ts
