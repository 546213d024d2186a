# Shared helpers for the local stack. Sourced by stack.sh; not run directly.
# shellcheck shell=bash

say() { printf '%s\n' "$*"; }
# progress and diagnostics go to stderr so `status` output stays parseable
note() { printf '%s\n' "$*" >&2; }

# fail PART "what went wrong" "how to fix it" — one line, names the part and the fix.
fail() {
  printf 'valuepulse stack: %s: %s — fix: %s\n' "$1" "$2" "$3" >&2
  exit 1
}

is_loopback_host() {
  case "$1" in
    127.*|localhost|::1|\[::1\]) return 0 ;;
    *) return 1 ;;
  esac
}

# url_host URL / url_port URL DEFAULT — tiny URL parsing good enough for
# scheme://host:port/path (no credentials in local endpoints).
url_hostport() {
  local rest=${1#*://}
  rest=${rest#*@}
  printf '%s' "${rest%%/*}"
}
url_host() {
  local hp
  hp=$(url_hostport "$1")
  printf '%s' "${hp%:*}"
}
url_port() {
  local hp
  hp=$(url_hostport "$1")
  case "$hp" in
    *:*) printf '%s' "${hp##*:}" ;;
    *) printf '%s' "$2" ;;
  esac
}

# redact_url URL — URL with the password of its userinfo masked, for printing.
redact_url() { printf '%s' "$1" | sed -E 's#(://[^/@:]*):[^/@]*@#\1:***@#'; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# listener_cwd PORT PROGRAM — the working directory of the PROGRAM process
# listening on PORT (e.g. another checkout's stack folder of a part); fails
# when none is found.
listener_cwd() {
  local pid
  pid=$(ss -ltnpH "sport = :$1" 2>/dev/null | sed -n "s/.*\"$2\",pid=\([0-9]*\).*/\1/p" | head -n 1)
  [[ -n $pid ]] && readlink "/proc/$pid/cwd" 2>/dev/null
}

# wait_until SECONDS CMD... — polls CMD every 0.5 s; returns non-zero on timeout.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS >= deadline)) && return 1
    sleep 0.5
  done
}

# wait_ready PART SECONDS READY_FN — waits for READY_FN; gives up early (status 2)
# when the part's process has exited, so a crash is reported at once.
wait_ready() {
  local part=$1 deadline=$((SECONDS + $2)) ready=$3
  until "$ready"; do
    owned_pid "$part" >/dev/null || return 2
    ((SECONDS >= deadline)) && return 1
    sleep 0.5
  done
}

pidfile_of() { printf '%s/%s.pid' "$STACK_DIR/run" "$1"; }

# A pid counts as ours only if it is alive and its working directory is the
# part's folder under the stack dir (where spawn started it), so a reused pid
# is never signalled.
owned_pid() {
  local part=$1 pf pid cwd
  pf=$(pidfile_of "$part")
  [[ -f $pf ]] || return 1
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
  # redis-server changes into its data dir, hence "or below"
  [[ $cwd == "$STACK_DIR/$part" || $cwd == "$STACK_DIR/$part/"* ]] || return 1
  printf '%s' "$pid"
}

# spawn PART LOGFILE CMD... — starts CMD detached (own session) from the
# part's folder and records its pid.
spawn() {
  local part=$1 log=$2
  shift 2
  mkdir -p "$STACK_DIR/run" "$STACK_DIR/$part"
  (cd "$STACK_DIR/$part" && exec setsid nohup "$@" >>"$log" 2>&1 </dev/null) &
  printf '%s' "$!" >"$(pidfile_of "$part")"
}

# part_state PART ANSWERS_FN — sets PART_STATE (up/down) and PART_DETAIL:
# "pid N" for a process this stack started, "not started by this stack" for
# another server answering on the port, "external" off loopback.
part_state() {
  local part=$1 answers=$2 pid
  PART_STATE=down PART_DETAIL=""
  if "${part}_managed"; then
    if pid=$(owned_pid "$part") && "$answers"; then PART_STATE=up PART_DETAIL="pid $pid"
    elif "$answers"; then PART_STATE=up PART_DETAIL="not started by this stack"; fi
  else
    PART_DETAIL=external
    "$answers" && PART_STATE=up
  fi
  return 0
}

# stop_part PART — SIGTERM, wait up to 30 s, then SIGKILL. Only our own pid.
stop_part() {
  local part=$1 pid
  if ! pid=$(owned_pid "$part"); then
    rm -f "$(pidfile_of "$part")"
    say "$part: not running (nothing to stop)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until 30 bash -c "! kill -0 $pid 2>/dev/null"; then
    note "$part: did not stop within 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 10 bash -c "! kill -0 $pid 2>/dev/null" || true
  fi
  rm -f "$(pidfile_of "$part")"
  say "$part: stopped (pid $pid)"
}

# with_progress LABEL DIR CMD... — runs a download step, printing the growth of
# DIR every 5 s so a cold start does not look hung. Output of CMD goes to a log.
with_progress() {
  local label=$1 dir=$2 log
  shift 2
  log="$STACK_DIR/logs/${label// /-}.log"
  mkdir -p "$STACK_DIR/logs" "$dir"
  local before now
  before=$(du -sm "$dir" 2>/dev/null | cut -f1)
  "$@" >"$log" 2>&1 &
  local pid=$! start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    kill -0 "$pid" 2>/dev/null || break
    now=$(du -sm "$dir" 2>/dev/null | cut -f1)
    note "  $label: $((now - before)) MB fetched, $((SECONDS - start)) s"
  done
  if ! wait "$pid"; then
    tail -n 15 "$log" >&2
    return 1
  fi
}

java_major() { # JAVA_BIN → major version number
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# find_java MIN — prints a java binary of at least MIN: $JAVA_HOME, then PATH,
# then every JDK under $VALUEPULSE_JVM_DIR (default /usr/lib/jvm; the newest that fits).
find_java() {
  local min=$1 cand best="" best_major=0 major
  for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" "${VALUEPULSE_JVM_DIR:-/usr/lib/jvm}"/*/bin/java; do
    [[ -n $cand && -x $cand ]] || continue
    major=$(java_major "$cand") || continue
    [[ $major =~ ^[0-9]+$ ]] || continue
    if ((major >= min)); then
      # prefer JAVA_HOME / PATH when they fit; else the newest found
      [[ -z $best ]] && { best=$cand; best_major=$major; continue; }
      if [[ $best == "${VALUEPULSE_JVM_DIR:-/usr/lib/jvm}"/* ]] && ((major > best_major)); then best=$cand; best_major=$major; fi
    fi
  done
  [[ -n $best ]] || return 1
  printf '%s' "$best"
}

# apt_install PART PACKAGE... — installs Debian packages (root or sudo), with
# `apt-get update` first when the package is unknown to the local lists.
apt_install() {
  local part=$1
  shift
  local sudo=""
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || fail "$part" "needs Debian package(s) $* and this user is not root (no sudo)" "install them as root: apt-get install -y $*"
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "$part" "package(s) $* missing and apt-get is not available" "install $* with your system's package manager"
  note "$part: installing Debian package(s) $* ..."
  mkdir -p "$STACK_DIR/logs"
  local log="$STACK_DIR/logs/apt-$part.log"
  if [[ -z $(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }' | grep -v '(none)') ]]; then
    $sudo apt-get update >"$log" 2>&1 || fail "$part" "apt-get update failed (see $log)" "check access to the Debian package archive, or install $* by hand"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1 \
    || fail "$part" "apt-get install $* failed (see $log)" "check access to the Debian package archive, or install $* by hand"
}
