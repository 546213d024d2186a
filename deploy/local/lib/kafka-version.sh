# What differs between Kafka broker major versions, for parts/kafka.sh (and so
# for parts/kafka4.sh, which runs that part on other ports). Sourced by
# stack.sh; not run directly. Reads KAFKA_VERSION and DEPLOY_DIR.
#
#            jars from   logging                            Java
#   3.x      pom.xml     reload4j, kafka/log4j.properties   11+
#   4.x      pom-4.xml   log4j2,   kafka/log4j2.yaml        17+
#
# Both are KRaft in combined mode with a static quorum
# (controller.quorum.voters), formatted with `StorageTool format -t ID -c FILE`:
# Kafka 4 dropped ZooKeeper but still accepts a static quorum, so server
# properties and the format command are the same.
# shellcheck shell=bash

# fails (one line, names the fix) unless KAFKA_VERSION is a 3.x or 4.x release
kafka_check_version() {
  [[ $KAFKA_VERSION =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] && ((BASH_REMATCH[1] == 3 || BASH_REMATCH[1] == 4)) \
    || fail kafka "VALUEPULSE_KAFKA_VERSION '$KAFKA_VERSION' is not a Kafka 3.x or 4.x release" "set VALUEPULSE_KAFKA_VERSION=3.9.2 (the default) or a 4.x release such as 4.1.1"
}

kafka_major() { printf '%s' "${KAFKA_VERSION%%.*}"; }

# the POM whose runtime dependencies are the broker's classpath
kafka_pom() {
  if (($(kafka_major) >= 4)); then printf '%s' "$DEPLOY_DIR/kafka/pom-4.xml"; else printf '%s' "$DEPLOY_DIR/kafka/pom.xml"; fi
}

# the JVM option that points the broker's logging at its configuration
kafka_log_config_opt() {
  if (($(kafka_major) >= 4)); then
    printf '%s' "-Dlog4j2.configurationFile=$DEPLOY_DIR/kafka/log4j2.yaml"
  else
    printf '%s' "-Dlog4j.configuration=file:$DEPLOY_DIR/kafka/log4j.properties"
  fi
}

kafka_min_java() {
  if (($(kafka_major) >= 4)); then printf 17; else printf 11; fi
}
