#!/usr/bin/env bash
# `npm test`: from a fresh clone on a fresh machine — install dependencies,
# bring the local stack up, build, lint, then the unit and integration tests
# against the real Kafka, registry, Redis and ClickHouse, and the Kafka-facing
# integration tests once more against a second broker on Kafka 4.x.
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
# the stack is up (step above): `stack status` (docs/stack.md) must say so
cli stack status

step "lint"
npm run --silent lint

results=.vitest-results
rm -rf "$results"
mkdir -p "$results"
status=0
# the default reporter for the log, JSON for the counts, and one that keeps
# each failure's error (hook errors included) for the summary's FAILED lines
reporters=(--reporter=default --reporter=json --reporter=./scripts/failures-reporter.mjs)

# integration_run REPORT [FILE...]: the integration project (or FILEs of it),
# report in $results/REPORT.json. Tests against a real stack can fail on
# timing on a slow machine: when 1–3 files failed, they run once more
# (REPORT.rerun.json) and the summary lists each such file as FLAKY with its
# first error, or as FAILED when it failed again. More failed files, or a
# failure outside the files, fail the run as it is.
integration_run() {
  local report=$1
  shift
  VALUEPULSE_FAILURES_FILE="$results/$report.failures.jsonl" \
    npx vitest run --project integration "$@" "${reporters[@]}" --outputFile.json="$results/$report.json" && return 0
  local again=()
  mapfile -t again < <(node -e 'for (const t of require(require("node:path").resolve(process.argv[1])).testResults ?? []) if (t.status === "failed") console.log(t.name)' "$results/$report.json" 2>/dev/null || true)
  if ((${#again[@]} < 1 || ${#again[@]} > 3)); then
    return 1
  fi
  step "$report: the ${#again[@]} failed file(s) once more: ${again[*]#"$PWD/"}"
  VALUEPULSE_FAILURES_FILE="$results/$report.rerun.failures.jsonl" \
    npx vitest run --project integration "${again[@]}" "${reporters[@]}" --outputFile.json="$results/$report.rerun.json"
}

step "unit tests"
VALUEPULSE_FAILURES_FILE="$results/unit.failures.jsonl" \
  npx vitest run --project unit "${reporters[@]}" --outputFile.json="$results/unit.json" || status=1

step "integration tests (real stack)"
integration_run integration || status=1

# The Kafka-facing tests once more, against a second broker on Kafka 4.x
# (stack part kafka4: VALUEPULSE_KAFKA4_BROKERS, default 127.0.0.1:19092;
# VALUEPULSE_KAFKA4_VERSION, default 4.1.1), the rest of the stack shared.
# The broker is stopped again at the end when this run started it.
# The set: end to end, the scorer and the sink each with a consumer group
# rebalancing (two instances), and libs/kafka's own tests (~4 min here). The
# restart and outage files also passed on 4.1.1 when added; they are left to
# the 3.9 run to keep CI short.
kafka4_tests=(
  services/cli/src/pipeline.e2e.int.test.ts
  services/health-scorer/src/scorer.int.test.ts
  services/health-scorer/src/two-instances.int.test.ts
  services/history-sink/src/sink.int.test.ts
  services/history-sink/src/rebalance.int.test.ts
  libs/kafka/src/kafka.int.test.ts
  libs/kafka/src/dlq.int.test.ts
  libs/kafka/src/topic-configs.int.test.ts
)
export VALUEPULSE_KAFKA4_BROKERS=${VALUEPULSE_KAFKA4_BROKERS:-127.0.0.1:19092}
step "Kafka 4: second broker (stack part kafka4, $VALUEPULSE_KAFKA4_BROKERS)"
kafka4_was_up=0
bash deploy/local/stack.sh status kafka4 >/dev/null 2>&1 && kafka4_was_up=1
if bash deploy/local/stack.sh up kafka4 && bash deploy/local/stack.sh status kafka4; then
  step "Kafka 4: integration tests against $VALUEPULSE_KAFKA4_BROKERS (e2e, scorer, sink, libs/kafka)"
  KAFKA_BROKERS=$VALUEPULSE_KAFKA4_BROKERS integration_run integration-kafka4 "${kafka4_tests[@]}" || status=1
else
  echo "npm test: the Kafka 4 broker did not come up (above); its tests did not run" >&2
  status=1
fi
if ((kafka4_was_up == 0)); then
  bash deploy/local/stack.sh down kafka4 || true
fi

step "summary"
printf 'npm test took %d s\n' "$((SECONDS - start))"
# last: the "N passed, N failed" line CI reads
node scripts/test-summary.mjs "$results/unit.json" "$results/integration.json" "$results/integration-kafka4.json" || status=1
exit "$status"
