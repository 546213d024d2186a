# The broker's extra SASL_SSL listener, for tests of secured connections.
# Sourced by parts/kafka.sh; not run directly.
#
# Next to the plain listener (left as it is) the broker serves SASL_SSL on
# $KAFKA_SECURE_PORT (default: the plain port + 2, so 9094 beside 9092 and the
# controller on 9093). A self-signed CA and the broker's keystore are made
# once with the JDK's keytool; one user, "valuepulse", may log in with PLAIN,
# SCRAM-SHA-256 and SCRAM-SHA-512 (SCRAM credentials are created with
# ConfigCommand, i.e. kafka-configs, after each start). Client certificates
# are requested, not required: one signed by the CA is accepted, any other
# refused (a client certificate made by the CA, and a "stranger" one signed
# by itself, are there for tests; openssl turns their keys into PEM).
# What a client needs is written to $KAFKA_DIR/secure.env (mode 600):
#   KAFKA_SECURE_BROKERS, KAFKA_SSL_CA_FILE, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
#   KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE (the CA's client), KAFKA_SECURE_STRANGER_{CERT,KEY}_FILE
# shellcheck shell=bash

KAFKA_SECURE_PORT=${VALUEPULSE_KAFKA_SECURE_PORT:-$((KAFKA_PORT + 2))}
KAFKA_SECURE_DIR=$KAFKA_DIR/secure
KAFKA_SECURE_USER=valuepulse

kafka_secure_answers() { port_open "$KAFKA_HOST" "$KAFKA_SECURE_PORT"; }

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# kafka_secure_material JAVA — once per stack dir: CA, broker keystore, passwords, secure.env.
kafka_secure_material() {
  [[ -f $KAFKA_SECURE_DIR/.complete-2 ]] && return 0
  local java=$1 keytool store log=$KAFKA_DIR/logs/keytool.log
  command -v openssl >/dev/null 2>&1 || fail kafka "openssl not found (it turns the test client keys into PEM)" "apt-get install -y openssl"
  keytool="$(dirname "$java")/keytool"
  [[ -x $keytool ]] || keytool=$(command -v keytool) \
    || fail kafka "keytool not found (it comes with the JDK that runs the broker)" "apt-get install -y openjdk-17-jre-headless"
  rm -rf "$KAFKA_SECURE_DIR"
  mkdir -p "$KAFKA_SECURE_DIR" "$KAFKA_DIR/logs"
  chmod 700 "$KAFKA_SECURE_DIR"
  store=$(random_hex 12)
  # keytool alone: a CA key pair, its certificate as PEM for clients, a broker
  # key pair signed by the CA for localhost/127.0.0.1, chained in the keystore.
  (
    set -e
    cd "$KAFKA_SECURE_DIR"
    kt() { "$keytool" "$@" -storetype PKCS12 -storepass "$store"; }
    kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=valuepulse local test CA" -ext bc:c -keystore ca.p12 -keypass "$store"
    kt -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
    kt -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=localhost" -keystore broker.p12 -keypass "$store"
    kt -certreq -alias broker -keystore broker.p12 -file broker.csr
    kt -gencert -alias ca -keystore ca.p12 -infile broker.csr -outfile broker.pem -rfc -validity 3650 \
      -ext "SAN=dns:localhost,ip:127.0.0.1" -ext "EKU=serverAuth"
    kt -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12
    kt -importcert -noprompt -alias broker -file broker.pem -keystore broker.p12
    kt -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12
    # clients: one signed by the CA, one by nobody but itself
    kt -genkeypair -alias client -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=valuepulse-client" -keystore client.p12 -keypass "$store"
    kt -certreq -alias client -keystore client.p12 -file client.csr
    kt -gencert -alias ca -keystore ca.p12 -infile client.csr -outfile client-signed.pem -rfc -validity 3650 -ext "EKU=clientAuth"
    kt -importcert -noprompt -alias ca -file ca.pem -keystore client.p12
    kt -importcert -noprompt -alias client -file client-signed.pem -keystore client.p12
    kt -genkeypair -alias stranger -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=stranger" -keystore stranger.p12 -keypass "$store"
    for who in client stranger; do
      openssl pkcs12 -in "$who.p12" -passin "pass:$store" -nokeys -clcerts -out "$who.pem"
      openssl pkcs12 -in "$who.p12" -passin "pass:$store" -nocerts -nodes -out "$who.key"
    done
  ) >"$log" 2>&1 || fail kafka "keytool could not make the test CA and broker keystore (see $log)" "delete $KAFKA_SECURE_DIR and run 'stack up' again"
  printf '%s' "$store" >"$KAFKA_SECURE_DIR/store.pass"
  random_hex 16 >"$KAFKA_SECURE_DIR/user.pass"
  (
    umask 077
    cat >"$KAFKA_DIR/secure.env" <<EOF
# the broker's SASL_SSL listener (deploy/local/lib/kafka-secure.sh); test credentials, not a secret worth keeping
KAFKA_SECURE_BROKERS=$KAFKA_HOST:$KAFKA_SECURE_PORT
KAFKA_SSL_CA_FILE=$KAFKA_SECURE_DIR/ca.pem
KAFKA_SASL_USERNAME=$KAFKA_SECURE_USER
KAFKA_SASL_PASSWORD=$(<"$KAFKA_SECURE_DIR/user.pass")
KAFKA_SSL_CERT_FILE=$KAFKA_SECURE_DIR/client.pem
KAFKA_SSL_KEY_FILE=$KAFKA_SECURE_DIR/client.key
KAFKA_SECURE_STRANGER_CERT_FILE=$KAFKA_SECURE_DIR/stranger.pem
KAFKA_SECURE_STRANGER_KEY_FILE=$KAFKA_SECURE_DIR/stranger.key
EOF
  )
  touch "$KAFKA_SECURE_DIR/.complete-2"
}

# server.properties lines for the listener (appended by kafka_write_config).
kafka_secure_config() {
  local store user
  store=$(<"$KAFKA_SECURE_DIR/store.pass")
  user=$(<"$KAFKA_SECURE_DIR/user.pass")
  cat <<EOF
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SECURE_USER="$user";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_SECURE_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$store
listener.name.sasl_ssl.ssl.key.password=$store
listener.name.sasl_ssl.ssl.client.auth=requested
listener.name.sasl_ssl.ssl.truststore.type=PKCS12
listener.name.sasl_ssl.ssl.truststore.location=$KAFKA_SECURE_DIR/truststore.p12
listener.name.sasl_ssl.ssl.truststore.password=$store
EOF
}

# kafka_secure_users JAVA — the SCRAM credentials of the test user, through the
# plain listener (kafka-configs' ConfigCommand; idempotent, so after every start).
kafka_secure_users() {
  local java=$1 user log=$KAFKA_DIR/logs/kafka-configs.log cls mechanism
  user=$(<"$KAFKA_SECURE_DIR/user.pass")
  : >"$log"
  # one mechanism per request: a request may alter a user's credentials only once
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    for cls in kafka.admin.ConfigCommand org.apache.kafka.tools.ConfigCommand; do
      "$java" -cp "$KAFKA_LIBS/*" "-Dlog4j.configuration=file:$DEPLOY_DIR/kafka/log4j.properties" "$cls" \
        --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --alter --entity-type users --entity-name "$KAFKA_SECURE_USER" \
        --add-config "$mechanism=[password=$user]" >>"$log" 2>&1 && continue 2
      tail -n 5 "$log" | grep -q 'ClassNotFoundException\|Could not find or load main class' || break
    done
    fail kafka "creating the $mechanism user with kafka-configs failed (see $log)" "'stack down kafka' then 'stack up kafka'"
  done
}

# One line for a broker this run did not start: is the secured listener there?
kafka_secure_check() {
  kafka_secure_answers && { kafka_secure_adopt; return 0; }
  note "kafka: no SASL_SSL listener on $KAFKA_HOST:$KAFKA_SECURE_PORT (the running broker was started by an older stack script or another checkout); the secured-connection tests will fail — fix: 'npx valuepulse stack down kafka' (in the checkout that started it) then 'stack up kafka' here"
}

# kafka_secure_adopt — the broker was started by another checkout's stack (its
# working directory is <stack>/kafka): copy that stack's secure.env here, so
# tests of this checkout find the listener's CA and credentials (a fresh clone
# run while another checkout's stack is up, as CI on a developer machine).
kafka_secure_adopt() {
  owned_pid kafka >/dev/null && return 0
  local cwd
  cwd=$(listener_cwd "$KAFKA_PORT" java) || return 0
  # -ef, not !=: the two are one directory when .stack is a symlink to that checkout's
  [[ ! $cwd -ef $KAFKA_DIR && -f $cwd/secure.env ]] || return 0
  mkdir -p "$KAFKA_DIR"
  (umask 077 && cp "$cwd/secure.env" "$KAFKA_DIR/secure.env")
  note "kafka: the SASL_SSL listener's CA and test credentials come from the stack that started the broker ($cwd/secure.env)"
}
