#!/usr/bin/env bash
# `npm test`: from a fresh clone on a fresh machine — install dependencies,
# bring the local stack up, build, lint, then the unit and integration tests
# against the real Kafka, registry, Redis and ClickHouse.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
step() { printf '\n== %s (%d s)\n' "$1" "$((SECONDS - start))"; }

step "dependencies"
# npm ci when node_modules is missing or older than the lockfile; it runs the
# root `prepare` script, i.e. the build.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

step "local stack"
bash deploy/local/stack.sh up

step "build"
npm run --silent build

step "lint"
npm run --silent lint

results=.vitest-results
rm -rf "$results"
mkdir -p "$results"
status=0

step "unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" || status=1

step "integration tests (real stack)"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$results/integration.json" || status=1

step "summary"
printf 'npm test took %d s\n' "$((SECONDS - start))"
# last: the "N passed, N failed" line CI reads
node scripts/test-summary.mjs "$results/unit.json" "$results/integration.json" || status=1
exit "$status"
