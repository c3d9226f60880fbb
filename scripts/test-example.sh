#!/usr/bin/env bash
# A Next.js example end to end: `bash scripts/test-example.sh nextjs` (or web-analytics). Packs the library as a user
# gets it, installs that tarball into examples/<name>, then examples/<name>/test/e2e.test.ts (vitest.<name>.config.ts)
# builds the app (`next build`), serves it (`next start`) against a local server and drives Chromium.
# NEXT_BUILD_FLAGS=--webpack builds with webpack instead of Turbopack.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/test-example.sh <example folder name, e.g. nextjs>}
example=examples/$name

# Build unless dist/ is newer than every source file (CI's build step has just made it).
if [ ! -f dist/index.js ] || [ -n "$(find src package.json tsup.config.ts -newer dist/index.js -print -quit)" ]; then npm run build; fi
rm -f "$example"/react-tinybird-*.tgz
npm pack --silent --pack-destination "$example" >/dev/null

cd "$example"
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

# The app with its generated types (tinybird-types.ts) against the packed library and next's own types, then its tests.
npx tsc --noEmit --incremental false -p "$example/tsconfig.json"
npx tsc --noEmit -p "$example/test/tsconfig.json"
npx vitest run --config "vitest.$name.config.ts"
