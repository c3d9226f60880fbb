#!/usr/bin/env bash
# Runs the jsdom tests (hooks, provider, charts) against React 18.3 as well as the React 19 of the main install.
# React 18 and every package that imports React are installed into a scratch dir; vitest.react18.config.ts aliases
# them, so one React copy serves the whole run (two copies would break hooks).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${REACT18_DIR:-.cache/react18}"
# React-importing packages at the versions the main install pins, so only React itself differs.
same() { node -p "require('./package.json').devDependencies['$1']"; }
packages=(
  react@18.3.1 react-dom@18.3.1 react-is@18.3.1 @types/react@18.3.8 @types/react-dom@18.3.7
  "@tanstack/react-query@$(same @tanstack/react-query)"
  "@testing-library/react@$(same @testing-library/react)"
  "@testing-library/dom@$(same @testing-library/dom)"
  "recharts@$(same recharts)"
)
stamp="$dir/.installed"
if [ "$(cat "$stamp" 2>/dev/null)" != "${packages[*]}" ]; then
  echo "test:react18: installing ${packages[*]} into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{ "name": "react18-scratch", "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error "${packages[@]}"
  echo "${packages[*]}" > "$stamp"
fi

REACT18_DIR="$dir" node -e "const v=require('./$dir/node_modules/react/package.json').version; if(!v.startsWith('18.')) { console.error('expected React 18, got '+v); process.exit(1) }; console.log('test:react18: React '+v)"
# Types: the sources must compile against @types/react 18 too (users on React 18 compile against them).
types="$dir/node_modules/@types"
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$PWD/tsconfig.json",
  "compilerOptions": {
    "types": ["node"],
    "paths": {
      "react": ["$PWD/$types/react/index.d.ts"], "react/*": ["$PWD/$types/react/*"],
      "react-dom": ["$PWD/$types/react-dom/index.d.ts"], "react-dom/*": ["$PWD/$types/react-dom/*"],
      "react-tinybird": ["$PWD/src/index.ts"], "react-tinybird/server": ["$PWD/src/server/index.ts"],
      "react-tinybird/charts": ["$PWD/src/charts/index.ts"], "react-tinybird/local": ["$PWD/src/local/index.ts"],
      "react-tinybird/devtools": ["$PWD/src/devtools/index.ts"],
      "react-tinybird/dashboard": ["$PWD/src/dashboard/index.ts"]
    }
  },
  "include": ["$PWD/src"]
}
JSON
echo "test:react18: tsc against @types/react $(node -p "require('./$types/react/package.json').version")"
npx tsc --noEmit -p "$dir/tsconfig.json"

VITE_CONFIG_NATIVE_IGNORE_WARNING=true REACT18_DIR="$dir" npx vitest run --config vitest.react18.config.ts --project dom "$@"
