# Apicurio Registry 3.x (Confluent-compatible API at /apis/ccompat/v7), runnable
# distribution from Maven Central, in-memory storage, global rule BACKWARD.
# shellcheck shell=bash

APICURIO_VERSION=${VALUEPULSE_APICURIO_VERSION:-3.3.3}
REGISTRY_HEAP=${VALUEPULSE_REGISTRY_HEAP:-512m}
REGISTRY_HOST=$(url_host "$SCHEMA_REGISTRY_URL")
REGISTRY_PORT=$(url_port "$SCHEMA_REGISTRY_URL" 80)
REGISTRY_BASE="http://$REGISTRY_HOST:$REGISTRY_PORT"
# Quarkus' management interface (health, metrics) defaults to 0.0.0.0:9000,
# which is ClickHouse's native port: move it to API port + 20 (8101; + 10 would be
# 8091, the health-api's default port).
REGISTRY_MGMT_PORT=${VALUEPULSE_REGISTRY_MANAGEMENT_PORT:-$((REGISTRY_PORT + 20))}
REGISTRY_DIR=$STACK_DIR/registry
REGISTRY_DIST=$REGISTRY_DIR/apicurio-registry-$APICURIO_VERSION

registry_managed() { is_loopback_host "$REGISTRY_HOST"; }

# Apicurio 3.1+ is built for Java 21; 3.0.x runs on Java 17.
registry_min_java() { case "$APICURIO_VERSION" in 3.0.*) echo 17 ;; *) echo 21 ;; esac; }

registry_java() {
  local min
  min=$(registry_min_java)
  find_java "$min" || fail registry "Apicurio Registry $APICURIO_VERSION needs Java $min+, none found (JAVA_HOME, PATH, /usr/lib/jvm)" \
    "install a JDK $min+ under /usr/lib/jvm or set JAVA_HOME, or use VALUEPULSE_APICURIO_VERSION=3.0.9 with Java 17"
}

registry_fetch() {
  [[ -f $REGISTRY_DIST/.complete ]] && return 0
  command -v mvn >/dev/null 2>&1 || fail registry "Maven (mvn) not found; it downloads the registry" "apt-get install -y maven"
  note "registry: downloading Apicurio Registry $APICURIO_VERSION with Maven (first run ~160 MB) ..."
  local tmp="$REGISTRY_DIR/download"
  rm -rf "$tmp" "$REGISTRY_DIST"
  mkdir -p "$tmp"
  with_progress "registry download" "$MAVEN_REPO" \
    "${MVN[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
      "-Dartifact=io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" "-DoutputDirectory=$tmp" \
    || fail registry "Maven could not fetch io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all (log above)" \
      "check access to Maven Central or set VALUEPULSE_APICURIO_VERSION"
  mkdir -p "$REGISTRY_DIST"
  tar -xzf "$tmp"/*.tar.gz -C "$REGISTRY_DIST" || fail registry "could not unpack the registry archive" "delete $REGISTRY_DIR and retry"
  rm -rf "$tmp"
  touch "$REGISTRY_DIST/.complete"
}

# 3.1+ ships a Quarkus fast-jar (quarkus-run.jar at the archive root, not under
# quarkus-app/); 3.0.x an uber runner jar.
registry_jar() {
  local jar
  for jar in "$REGISTRY_DIST/quarkus-run.jar" "$REGISTRY_DIST/quarkus-app/quarkus-run.jar" "$REGISTRY_DIST"/*-runner.jar; do
    [[ -f $jar ]] && { printf '%s' "$jar"; return 0; }
  done
  fail registry "no runnable jar in $REGISTRY_DIST" "delete $REGISTRY_DIR and run 'stack up' again"
}

registry_ready() { curl -fsS -o /dev/null --max-time 2 "$REGISTRY_BASE/apis/registry/v3/system/info" 2>/dev/null; }

registry_version() {
  curl -fsS --max-time 2 "$REGISTRY_BASE/apis/registry/v3/system/info" 2>/dev/null \
    | sed -n 's/.*"version":"\([^"]*\)".*/\1/p'
}

registry_compat() {
  curl -fsS --max-time 2 "$SCHEMA_REGISTRY_URL/config" 2>/dev/null | sed -n 's/.*"compatibilityLevel":"\([^"]*\)".*/\1/p'
}

# curl with SCHEMA_REGISTRY_BASIC_AUTH when set (a hosted registry), passed on stdin, not argv
registry_curl() {
  if [[ -n ${SCHEMA_REGISTRY_BASIC_AUTH:-} ]]; then printf 'user = "%s"\n' "$SCHEMA_REGISTRY_BASIC_AUTH" | curl -K - "$@"; else curl "$@"; fi
}

registry_up() {
  if ! registry_managed; then
    registry_curl -fsS -o /dev/null --max-time 5 "$SCHEMA_REGISTRY_URL/subjects" \
      || fail registry "external registry $(redact_url "$SCHEMA_REGISTRY_URL") does not answer" "start it, or unset SCHEMA_REGISTRY_URL to use the local stack"
    say "registry: external $(redact_url "$SCHEMA_REGISTRY_URL") answers (not managed by the stack)"
    return 0
  fi
  local running
  if running=$(owned_pid registry); then
    registry_ready || fail registry "the stack's server (pid $running) runs but does not answer at $SCHEMA_REGISTRY_URL (started with other settings?)" \
      "'valuepulse stack down registry' then 'stack up', or correct SCHEMA_REGISTRY_URL"
    say "registry: already up at $SCHEMA_REGISTRY_URL"
    return 0
  fi
  # e.g. the stack of another checkout: a server of the right kind already
  # answers there, so use it rather than fail; it stays someone else's to stop.
  if registry_ready; then
    say "registry: $SCHEMA_REGISTRY_URL is already served by a process this stack did not start; using it"
    return 0
  fi
  port_open "$REGISTRY_HOST" "$REGISTRY_PORT" && fail registry "port $REGISTRY_PORT is taken by a process the stack did not start" \
    "stop it, or pick another port with SCHEMA_REGISTRY_URL=http://127.0.0.1:<port>/apis/ccompat/v7"
  local java jar
  java=$(registry_java)
  registry_fetch
  jar=$(registry_jar)
  mkdir -p "$REGISTRY_DIR/logs"
  [[ -f $REGISTRY_DIR/logs/registry.log ]] && mv -f "$REGISTRY_DIR/logs/registry.log" "$REGISTRY_DIR/logs/registry.log.prev"
  note "registry: starting Apicurio Registry $APICURIO_VERSION on $REGISTRY_BASE ..."
  spawn registry "$REGISTRY_DIR/logs/registry.log" "$java" "-Xmx$REGISTRY_HEAP" -Djava.awt.headless=true \
    "-Dquarkus.http.host=$REGISTRY_HOST" "-Dquarkus.http.port=$REGISTRY_PORT" \
    -Dapicurio.rules.global.compatibility=BACKWARD \
    "-Dquarkus.management.host=$REGISTRY_HOST" "-Dquarkus.management.port=$REGISTRY_MGMT_PORT" \
    -Dquarkus.log.level=WARN -Dquarkus.log.category.\"io.apicurio\".level=INFO \
    -jar "$jar"
  if ! wait_ready registry 120 registry_ready; then
    tail -n 20 "$REGISTRY_DIR/logs/registry.log" >&2
    fail registry "Apicurio exited or did not answer within 120 s (log in $REGISTRY_DIR/logs)" "read the log lines above; 'stack down' then 'stack up' retries"
  fi
  say "registry: up at $SCHEMA_REGISTRY_URL (Apicurio Registry $(registry_version), global compatibility $(registry_compat))"
}

# the Confluent API both registries serve (Apicurio's system/info is Apicurio-only)
registry_answers() { registry_curl -fsS -o /dev/null --max-time 2 "$SCHEMA_REGISTRY_URL/subjects" 2>/dev/null; }

registry_status() {
  part_state registry registry_answers
  local version="?"
  [[ $PART_DETAIL == pid* ]] && PART_DETAIL+=", compatibility $(registry_compat)"
  [[ $PART_STATE == up ]] && version=$(registry_version)
  status_line registry "Apicurio ${version:-?}" "$REGISTRY_HOST:$REGISTRY_PORT" "$PART_STATE" "$PART_DETAIL"
}

registry_down() { registry_managed && stop_part registry || true; }
