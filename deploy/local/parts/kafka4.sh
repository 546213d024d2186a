# A second Apache Kafka broker, 4.x by default, beside the main one: other
# ports, its own state under .stack/kafka4/. It is the kafka part itself
# (parts/kafka.sh), run by a nested stack.sh with other variables, so both
# brokers are set up the same way. Not part of a plain `up`: `stack.sh up
# kafka4` starts it; `npm test` does so for its Kafka 4 step. It never adopts a
# server it did not start (the other parts do): its version would be unknown.
#
#   VALUEPULSE_KAFKA4_BROKERS          host:port     (default 127.0.0.1:19092)
#   VALUEPULSE_KAFKA4_VERSION          Kafka release (default 4.1.1)
#   VALUEPULSE_KAFKA4_CONTROLLER_PORT  KRaft port    (default broker port + 1)
#   VALUEPULSE_KAFKA4_HEAP             JVM -Xmx      (default 768m, as the main broker)
# shellcheck shell=bash

KAFKA4_BROKERS=${VALUEPULSE_KAFKA4_BROKERS:-127.0.0.1:19092}
KAFKA4_VERSION=${VALUEPULSE_KAFKA4_VERSION:-4.1.1}
KAFKA4_HOST=${KAFKA4_BROKERS%:*}
KAFKA4_PORT=${KAFKA4_BROKERS##*:}
KAFKA4_HEAP=${VALUEPULSE_KAFKA4_HEAP:-768m}
KAFKA4_STACK_DIR=$STACK_DIR/kafka4

kafka4_managed() { is_loopback_host "$KAFKA4_HOST"; }

kafka4_check() {
  [[ $KAFKA4_BROKERS =~ ^[^,:]+:[0-9]+$ ]] \
    || fail kafka4 "VALUEPULSE_KAFKA4_BROKERS '$KAFKA4_BROKERS' is not one host:port" "set VALUEPULSE_KAFKA4_BROKERS=127.0.0.1:19092"
  KAFKA4_CONTROLLER_PORT=${VALUEPULSE_KAFKA4_CONTROLLER_PORT:-$((KAFKA4_PORT + 1))}
  local taken
  for taken in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if [[ $KAFKA4_PORT == "$taken" || $KAFKA4_CONTROLLER_PORT == "$taken" ]]; then
      fail kafka4 "port $taken is the main broker's (KAFKA_BROKERS $KAFKA_ENDPOINT, controller $KAFKA_CONTROLLER_PORT)" \
        "set VALUEPULSE_KAFKA4_BROKERS (and VALUEPULSE_KAFKA4_CONTROLLER_PORT) to free ports"
    fi
  done
}

# kafka4_stack ACTION — stack.sh ACTION on the kafka part, as the second broker
kafka4_stack() {
  KAFKA_BROKERS=$KAFKA4_BROKERS VALUEPULSE_STACK_DIR=$KAFKA4_STACK_DIR VALUEPULSE_KAFKA_VERSION=$KAFKA4_VERSION \
    VALUEPULSE_KAFKA_CONTROLLER_PORT=$KAFKA4_CONTROLLER_PORT VALUEPULSE_KAFKA_HEAP=$KAFKA4_HEAP \
    bash "$DEPLOY_DIR/stack.sh" "$1" kafka
}

# the nested run's lines name the part "kafka": say "kafka4", on the same stream
kafka4_relabel() {
  sed -u -e '/^stack: up in /d' -e 's/^kafka: /kafka4: /' -e 's/^valuepulse stack: kafka: /valuepulse stack: kafka4: /' \
    -e 's/^  kafka download: /  kafka4 download: /'
}
kafka4_run() {
  { kafka4_stack "$1" 2>&1 1>&3 3>&- | kafka4_relabel >&2; } 3>&1 | kafka4_relabel
}

kafka4_owned() { (STACK_DIR=$KAFKA4_STACK_DIR && owned_pid kafka >/dev/null); }

kafka4_up() {
  kafka4_check
  # Unlike the other parts, never adopt a server someone else started there:
  # this part exists to test one Kafka version, and a foreign one's is unknown.
  if kafka4_managed && ! kafka4_owned && port_open "$KAFKA4_HOST" "$KAFKA4_PORT"; then
    fail kafka4 "$KAFKA4_BROKERS is served by a process this stack did not start (its Kafka version is unknown)" \
      "stop it, or set VALUEPULSE_KAFKA4_BROKERS to a free port"
  fi
  kafka4_run up
}

kafka4_answers() { port_open "$KAFKA4_HOST" "$KAFKA4_PORT"; }

kafka4_status() {
  local state
  # part_state on the nested stack's kafka part: its pid file and folder
  state=$(
    STACK_DIR=$KAFKA4_STACK_DIR KAFKA_HOST=$KAFKA4_HOST KAFKA_PORT=$KAFKA4_PORT
    part_state kafka kafka_answers
    printf '%s|%s' "$PART_STATE" "$PART_DETAIL"
  )
  local version="?"
  [[ ${state#*|} != external && -f $KAFKA4_STACK_DIR/kafka/version ]] && version=$(<"$KAFKA4_STACK_DIR/kafka/version")
  status_line kafka4 "Apache Kafka $version" "$KAFKA4_BROKERS" "${state%%|*}" "${state#*|}"
}

kafka4_down() {
  kafka4_managed || return 0
  kafka4_check
  kafka4_run down
}
