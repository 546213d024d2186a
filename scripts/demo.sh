#!/usr/bin/env bash
# `npm run demo`: from a fresh clone on a fresh machine — install
# dependencies, build, bring the local stack up, then `valuepulse demo`:
# the whole pipeline on a simulated scenario, with a report at the end.
# Arguments go to `valuepulse demo` (e.g. `npm run demo -- --accounts 50`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
step() { printf '\n== %s (%d s)\n' "$1" "$((SECONDS - start))"; }

step "dependencies"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

step "build"
npm run --silent build

step "local stack"
bash deploy/local/stack.sh up

step "demo"
node services/cli/dist/bin.js demo "$@"
