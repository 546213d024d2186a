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

step "valuepulse bin"
# Every README command starts with `npx valuepulse`: fail here, with the
# reason, when npm did not link the bin or the built CLI does not start.
cli() {
  local out
  if ! out=$(npx --no-install valuepulse "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "npm test: \`npx --no-install valuepulse $*\` failed: node_modules/.bin/valuepulse must link to services/cli/bin/valuepulse.mjs (the \"bin\" of services/cli/package.json; npm ci links it) and the CLI must be built" >&2
    exit 1
  fi
  printf '%s\n' "$out"
}
cli --help >/dev/null
version=$(cli --version)
expected="valuepulse $(node -p 'require("./package.json").version')"
if [[ $version != "$expected" ]]; then
  echo "npm test: \`npx valuepulse --version\` printed '$version', expected '$expected' (the root package.json's version)" >&2
  exit 1
fi
echo "$version: --help and --version ok"

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
