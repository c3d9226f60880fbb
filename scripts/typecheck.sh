#!/usr/bin/env bash
# `npm run typecheck`: every TypeScript program of the repository. Generated types register globally in a program
# (`declare module 'react-tinybird'`), so each set of them gets its own:
set -euo pipefail
cd "$(dirname "$0")/.."
programs=(
  tsconfig.json                                    # the library, its tests and benchmarks: nothing registered
  test/types/registered/tsconfig.json              # type tests with the demo project's types (examples/tinybird-types.ts)
  test/types/pinned/tsconfig.json                  # the same, with the app's pinned params declared
  stories/tsconfig.json                            # the playground (stories/, .storybook/) on the demo project's types
  test/types/examples/tsconfig.nextjs.json         # examples/nextjs with its tinybird-types.ts, against src/
  test/types/examples/tsconfig.web-analytics.json  # examples/web-analytics with the starter kit's types, against src/
)
for program in "${programs[@]}"; do
  echo "tsc -p $program"
  npx tsc --noEmit -p "$program"
done
