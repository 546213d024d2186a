#!/usr/bin/env bash
# The local real stack without Docker: Apache Kafka (KRaft), Apicurio Registry,
# Redis and ClickHouse, each a plain process whose state, logs and pid live
# under one git-ignored folder (.stack/ at the repository root by default).
#
#   stack.sh up [part...]      start what is not running, wait until it answers
#   stack.sh status [part...]  one line per part; exit 1 if any is down
#   stack.sh down [part...]    stop only the processes the stack started
#   stack.sh env               the endpoint variables in force, as KEY=VALUE
#
# Parts: kafka registry redis clickhouse, and for the secured-Redis and cluster
# tests redis-tls (rediss:// + ACL user on 6381) and redis-cluster (3 masters on
# 7001-7003), written to redis-secured.env under the stack folder (the default);
# kafka4 only when named (a second broker, Kafka 4.x, on 127.0.0.1:19092).
# A plain `up` also puts promtool (which the tests lint /metrics with) into
# tools/bin under the stack folder when it is not on PATH, and Debian's chromium
# (the dashboard's browser test) when it is missing (lib/tools.sh).
# Endpoints come from the same variables the services read (KAFKA_BROKERS,
# SCHEMA_REGISTRY_URL, REDIS_URL, CLICKHOUSE_URL; VALUEPULSE_KAFKA4_BROKERS for
# kafka4); a part whose endpoint is not on loopback is "external": it is
# checked, never started or stopped.
set -euo pipefail

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$DEPLOY_DIR/../.." && pwd)
STACK_DIR=${VALUEPULSE_STACK_DIR:-$REPO_ROOT/.stack}
# Downloads are cached in Maven's local repository (set VALUEPULSE_MAVEN_REPO to use another).
MAVEN_REPO=${VALUEPULSE_MAVEN_REPO:-$HOME/.m2/repository}
MVN=(mvn -B -ntp)
[[ -n ${VALUEPULSE_MAVEN_REPO:-} ]] && MVN+=("-Dmaven.repo.local=$VALUEPULSE_MAVEN_REPO")

KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
SCHEMA_REGISTRY_URL=${SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}
SCHEMA_REGISTRY_URL=${SCHEMA_REGISTRY_URL%/}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6380}
CLICKHOUSE_URL=${CLICKHOUSE_URL:-http://127.0.0.1:8123}
CLICKHOUSE_URL=${CLICKHOUSE_URL%/}

ALL_PARTS=(clickhouse redis redis-tls redis-cluster registry kafka)
# started, checked and stopped only when named
OPTIONAL_PARTS=(kafka4)

# shellcheck source=lib/common.sh
source "$DEPLOY_DIR/lib/common.sh"
# shellcheck source=lib/tools.sh
source "$DEPLOY_DIR/lib/tools.sh"
for part in "${ALL_PARTS[@]}" "${OPTIONAL_PARTS[@]}"; do
  # shellcheck source=/dev/null
  source "$DEPLOY_DIR/parts/$part.sh"
done

status_line() { # part version endpoint state detail
  printf '%-13s %-22s %-22s %-5s %s\n' "$1" "$2" "$3" "$4" "${5:+($5)}"
  [[ $4 == up ]] || STATUS_DOWN=1
}

write_endpoints() {
  mkdir -p "$STACK_DIR"
  cat >"$STACK_DIR/endpoints.env" <<EOF
KAFKA_BROKERS=$KAFKA_BROKERS
SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL
REDIS_URL=$REDIS_URL
CLICKHOUSE_URL=$CLICKHOUSE_URL
EOF
}

check_tools() {
  local tool missing=()
  for tool in curl tar setsid; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  ((${#missing[@]} == 0)) || fail stack "missing tool(s): ${missing[*]}" "apt-get install -y curl tar util-linux"
}

select_parts() {
  if (($# == 0)); then
    PARTS=("${ALL_PARTS[@]}")
    return
  fi
  PARTS=()
  local p
  for p in "$@"; do
    case " ${ALL_PARTS[*]} ${OPTIONAL_PARTS[*]} " in
      *" $p "*) PARTS+=("$p") ;;
      *) fail stack "unknown part '$p'" "use one of: ${ALL_PARTS[*]} ${OPTIONAL_PARTS[*]}" ;;
    esac
  done
}

cmd=${1:-status}
shift || true
select_parts "$@"

case "$cmd" in
  up)
    check_tools
    mkdir -p "$STACK_DIR"
    start=$SECONDS
    for part in "${PARTS[@]}"; do "${part}_up"; done
    # the tests' tools (promtool, chromium) with a plain up, not when parts are named
    if (($# == 0)); then
      promtool_up
      chromium_up
    fi
    write_endpoints
    write_redis_secured_env
    say "stack: up in $((SECONDS - start)) s (state in $STACK_DIR)"
    ;;
  status)
    STATUS_DOWN=0
    printf '%-13s %-22s %-22s %-5s %s\n' PART VERSION ENDPOINT STATE DETAIL
    for part in "${PARTS[@]}"; do "${part}_status"; done
    exit "$STATUS_DOWN"
    ;;
  down)
    # a plain down also stops the optional parts (those this stack started)
    (($# == 0)) && PARTS+=("${OPTIONAL_PARTS[@]}")
    # reverse order: clients (kafka, registry) before the stores
    for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do "${PARTS[$i]}_down"; done
    ;;
  env)
    # a password in a URL's userinfo is masked: this output ends up in terminals and CI logs
    printf 'KAFKA_BROKERS=%s\nSCHEMA_REGISTRY_URL=%s\nREDIS_URL=%s\nCLICKHOUSE_URL=%s\n' \
      "$KAFKA_BROKERS" "$(redact_url "$SCHEMA_REGISTRY_URL")" "$(redact_url "$REDIS_URL")" "$(redact_url "$CLICKHOUSE_URL")"
    ;;
  -h | --help | help)
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    ;;
  *)
    fail stack "unknown command '$cmd'" "use up, down, status or env"
    ;;
esac
